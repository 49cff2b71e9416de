package io.inferscope.probe;

import io.inferscope.core.RequestTrace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sets up the stream reader once per process, off the critical path: loads Netty's native
 * transport, its buffer pool and codec, and runs one canned answer through the whole read path (a
 * connection, the HTTP codec, the event framing, the chunk reader, the recorder) against a loopback
 * server of its own. Without it, about 200 ms of that set-up (450 ms without the AOT cache) ran
 * after the first request's send stamp and was counted as its time to first token. No request
 * reaches the engine.
 *
 * <p>The same thread first sets up the engine probe's first call ({@link
 * EngineProbe#setUpFirstCall}), which a run needs before its reader: on a thread of its own, a
 * third runnable thread on two cores slowed the main thread's build of picocli's command model by
 * about what it saved.
 */
final class ReaderSetUp {
  /** Longest wait of a run for the set-up; past it the run starts anyway. */
  static final Duration MAX_WAIT = Duration.ofSeconds(5);

  private static CompletableFuture<Void> started;

  private ReaderSetUp() {}

  /** Starts the set-up on a thread of its own, once per process. */
  static synchronized CompletableFuture<Void> start() {
    if (started == null) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      Thread.ofPlatform()
          .daemon()
          .name("inferscope-reader-setup")
          .start(
              () -> {
                try {
                  EngineProbe.setUpFirstCall();
                  exchangeOnce();
                  startVirtualThreads();
                } finally {
                  f.complete(null);
                }
              });
      started = f;
    }
    return started;
  }

  /**
   * Starts the JVM's virtual-thread scheduler with one thread that does nothing: the first virtual
   * thread a process starts sets the scheduler up (4.5 ms measured on the 2-core project machine),
   * and the open loop starts one per request right after its send stamp, so in a burst of requests
   * due at once the next ones waited for it.
   */
  private static void startVirtualThreads() {
    try {
      Thread.ofVirtual().name("inferscope-warm").start(() -> {}).join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for {@code setUp} (at most {@link #MAX_WAIT}). */
  static void await(CompletableFuture<Void> setUp) {
    try {
      setUp.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The run's first request pays what is left.
    }
  }

  /**
   * Loads what an HTTP/2 engine needs (framing, stream multiplexing, the stream-to-HTTP/1.1 codec)
   * by making one of each, unused: a TLS engine may choose HTTP/2 at the first handshake, and that
   * request's time to first token must not include it. Never throws.
   */
  static void loadHttp2() {
    try {
      io.netty.handler.codec.http2.Http2FrameCodecBuilder.forClient().build();
      new io.netty.handler.codec.http2.Http2MultiplexHandler(
          new io.netty.channel.ChannelInboundHandlerAdapter());
      new io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec(false);
    } catch (RuntimeException | LinkageError e) {
      // cold, not broken
    }
  }

  /**
   * One canned answer through a stream client of its own; returns its trace, or null when the
   * set-up failed (which only leaves the path cold).
   */
  static RequestTrace exchangeOnce() {
    try (LoopbackStreams loopback =
        LoopbackStreams.open("inferscope-reader-setup-server", 1, ReaderSetUp::serve, 1)) {
      return loopback.start(0).join();
    } catch (IOException | RuntimeException e) {
      return null; // cold, not broken: the run works without it
    }
  }

  private static void serve(ServerSocketChannel server) {
    try (SocketChannel ch = server.accept()) {
      LoopbackStreams.readRequest(ch);
      LoopbackStreams.write(ch, answer());
    } catch (IOException e) {
      // the set-up is over
    }
  }

  /** A short event stream in the shapes engines send, one chunk per event. */
  static byte[] answer() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(LoopbackStreams.HEAD);
    out.writeBytes(
        LoopbackStreams.chunk("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}"));
    for (int i = 0; i < 4; i++) {
      out.writeBytes(LoopbackStreams.stamped());
    }
    out.writeBytes(LoopbackStreams.tail(4));
    return out.toByteArray();
  }
}
