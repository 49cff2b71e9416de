package io.inferscope.sim;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated OpenAI-compatible streaming engine on loopback. Serves {@code POST
 * /v1/chat/completions}, {@code POST /v1/completions}, {@code POST /tokenize}, {@code GET
 * /v1/models}, {@code GET /health} and {@code GET /metrics}.
 *
 * <p>Each connection reads its requests on its own virtual thread; streams are written by one
 * platform thread, each event when it is due, with one non-blocking socket write per event, so
 * thousands of concurrent streams cost little more than their sockets and keep their schedule. With
 * a capacity option (see {@link SimConfig}), a {@link CapacityModel} decides when each token is due
 * (slots, their queue, one decode step clock) and the same threads write it.
 */
public final class SimEngine implements AutoCloseable {

  /** Deep enough for a burst of thousands of clients connecting at once. */
  private static final int ACCEPT_BACKLOG = 4096;

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static final long ACCEPT_RETRY_NANOS = Duration.ofMillis(10).toNanos();

  private final ServerSocketChannel serverSocket;
  private final int port;
  private final String baseUrl;
  private final ShutdownSignal signal = new ShutdownSignal();
  private final Router router;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong connectionsAccepted =
      new java.util.concurrent.atomic.AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread acceptor;

  private SimEngine(SimConfig config, ServerSocketChannel serverSocket) throws IOException {
    this.serverSocket = serverSocket;
    this.router = new Router(config, signal);
    InetSocketAddress bound = (InetSocketAddress) serverSocket.getLocalAddress();
    this.port = bound.getPort();
    InetAddress address = bound.getAddress();
    String host =
        address.isAnyLocalAddress()
            ? InetAddress.getLoopbackAddress().getHostAddress()
            : address.getHostAddress();
    this.baseUrl =
        "http://" + (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    this.acceptor = Thread.ofVirtual().name("sim-acceptor").unstarted(this::acceptLoop);
  }

  /** Starts the engine; returns once it accepts connections. */
  public static SimEngine start(SimConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    InetAddress address =
        config.host() == null
            ? InetAddress.getLoopbackAddress()
            : InetAddress.getByName(config.host());
    ServerSocketChannel serverSocket = ServerSocketChannel.open();
    SimEngine engine;
    try {
      serverSocket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      serverSocket.bind(new InetSocketAddress(address, config.port()), ACCEPT_BACKLOG);
      engine = new SimEngine(config, serverSocket);
    } catch (IOException | RuntimeException e) {
      serverSocket.close();
      throw e;
    }
    engine.acceptor.start();
    return engine;
  }

  /** The bound port. */
  public int port() {
    return port;
  }

  /** {@code http://host:port}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** TCP connections accepted so far: with keep-alive, fewer than requests. */
  public long connectionsAccepted() {
    return connectionsAccepted.get();
  }

  /** Requests received so far (all endpoints that stream). */
  public long requestsReceived() {
    return router.completionRequests();
  }

  /**
   * Connections whose threads have not yet ended. After {@link #close()} returns it is zero unless
   * a connection thread failed to end within the close's wait.
   */
  int openConnections() {
    return connections.size();
  }

  /**
   * When the first completion request ({@code /v1/chat/completions} or {@code /v1/completions},
   * whatever its method or body) had been read, on the wall clock; empty before one arrived. Lets a
   * caller in this process time another process's way to its first request on one clock.
   */
  public Optional<Instant> firstCompletionRequestAt() {
    return Optional.ofNullable(router.firstCompletionAt());
  }

  /** Stops accepting, ends open streams, frees the port. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    signal.close();
    router.close();
    try {
      serverSocket.close();
    } catch (IOException e) {
      // The port is released either way.
    }
    for (Connection connection : connections) {
      connection.abort();
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    awaitExit(acceptor, deadline);
    for (Connection connection : connections) {
      awaitExit(connection.thread(), deadline);
    }
  }

  private void acceptLoop() {
    while (!signal.isClosed()) {
      SocketChannel socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (signal.isClosed()) {
          return;
        }
        // Likely out of file descriptors: back off rather than spin.
        LockSupport.parkNanos(ACCEPT_RETRY_NANOS);
        continue;
      }
      connectionsAccepted.incrementAndGet();
      Connection connection = new Connection(socket, router, connections::remove);
      Thread thread = Thread.ofVirtual().name("sim-connection").unstarted(connection);
      connection.runOn(thread);
      connections.add(connection);
      thread.start();
      // close() may have swept the connections just before this one joined them.
      if (signal.isClosed()) {
        connection.abort();
      }
    }
  }

  private static void awaitExit(Thread thread, long deadlineNanos) {
    long remainingNanos = deadlineNanos - System.nanoTime();
    if (thread == null || remainingNanos <= 0) {
      return;
    }
    try {
      thread.join(Duration.ofNanos(remainingNanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
