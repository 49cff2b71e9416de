package io.inferscope.sim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/** Serves the requests of one client connection, one after another, on its own thread. */
final class Connection implements Runnable {

  private final SocketChannel channel;
  private final Socket socket;
  private final Router router;
  private final Consumer<Connection> onExit;
  private volatile Thread thread;

  Connection(SocketChannel channel, Router router, Consumer<Connection> onExit) {
    this.channel = channel;
    this.socket = channel.socket();
    this.router = router;
    this.onExit = onExit;
  }

  /** Records the thread that runs this connection, so that {@link #abort} can wake it. */
  void runOn(Thread thread) {
    this.thread = thread;
  }

  Thread thread() {
    return thread;
  }

  @Override
  public void run() {
    try {
      // Events are small and must leave at once: Nagle's algorithm would hold them back.
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ChannelSource source = new ChannelSource(channel);
      RequestReader reader = new RequestReader(new BufferedInputStream(source, 4096));
      ChannelSink sink = new ChannelSink(channel, source);
      HttpOutput out = new HttpOutput(sink);
      while (true) {
        HttpRequest request;
        try {
          request = reader.read(out::sendContinue);
        } catch (RequestException e) {
          router.refuse(e, out);
          return;
        }
        if (request == null || !router.handle(request, out, sink)) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away or the engine closed: either way this connection is over.
    } finally {
      closeGracefully();
      onExit.accept(this);
    }
  }

  /**
   * Closes so that every byte written reaches the client: a close with unread input makes the
   * kernel send a reset, and a reset can discard data the client has received but not yet read (a
   * truncated stream would then lose its last events). So: end our side (FIN), let the client close
   * its side, then release the socket. The wait is bounded.
   */
  private void closeGracefully() {
    try {
      if (!socket.isClosed()) {
        socket.shutdownOutput();
        socket.setSoTimeout(GRACEFUL_CLOSE_MILLIS);
        java.io.InputStream in = socket.getInputStream();
        byte[] sink = new byte[4096];
        long deadline = System.nanoTime() + GRACEFUL_CLOSE_MILLIS * 1_000_000L;
        while (in.read(sink) != -1 && System.nanoTime() < deadline) {
          // discard what the client still sends until it closes
        }
      }
    } catch (IOException e) {
      // Reset, timeout or already closed: close below either way.
    } finally {
      closeSocket();
    }
  }

  private static final int GRACEFUL_CLOSE_MILLIS = 500;

  /** Ends the connection from another thread: closes the socket and wakes any wait. */
  void abort() {
    closeSocket();
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
