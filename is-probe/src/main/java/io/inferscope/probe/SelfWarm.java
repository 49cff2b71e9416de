package io.inferscope.probe;

import io.inferscope.core.RequestTrace;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Warms the stream reader's hot path before a large run's load: streams of events from a loopback
 * server of its own through the whole read path (event loops, HTTP codec, event framing, chunk
 * reader, recorder), batch after batch, until the JIT compiler has almost nothing left to do.
 * Without it, a run of hundreds of streams read its first second with interpreted and C1-compiled
 * code, and that second landed in the measured tails (docs/benchmarks.md, "Cold start"). Nothing
 * reaches the engine. Once per process: what the JIT compiled stays compiled.
 */
final class SelfWarm {
  /** Streams a batch reads at once: several per event loop, as a large run has. */
  static final int CONNECTIONS = 32;

  /** Events per stream of a batch. */
  static final int EVENTS = 500;

  /** Events read before the JIT's quiet is believed: C2's thresholds are about 10-15k calls. */
  static final long MIN_EVENTS = 4L * CONNECTIONS * EVENTS;

  /** Settled: the compilers took less than 1/this of a batch's time. */
  private static final int SETTLED_SHARE = 20;

  private static final Timeouts TIMEOUTS =
      Timeouts.defaults()
          .withConnect(Duration.ofSeconds(2))
          .withFirstByte(Duration.ofSeconds(2))
          .withIdle(Duration.ofSeconds(2))
          .withTotal(Duration.ofSeconds(10));

  private static boolean warmed;

  private SelfWarm() {}

  /**
   * {@link #run}, unless this process was warmed before; null then, and when the warm-up could not
   * run (which only leaves the path cold).
   */
  static synchronized LoadRunner.WarmUp once(int eventLoops, long maxNanos, BooleanSupplier stop) {
    if (warmed || maxNanos <= 0) {
      return null;
    }
    LoadRunner.WarmUp w = run(eventLoops, maxNanos, stop);
    warmed = w != null;
    return w;
  }

  /**
   * Warms the read path on {@code eventLoops} event loops: batch after batch until the JIT compiler
   * was nearly idle over a whole batch after {@link #MIN_EVENTS}, or {@code maxNanos} have passed,
   * or {@code stop} says so (each checked after a batch). Returns what it did, or null when a
   * stream failed or the loopback server could not be set up.
   */
  static LoadRunner.WarmUp run(int eventLoops, long maxNanos, BooleanSupplier stop) {
    long start = System.nanoTime();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long events = 0;
    int batches = 0;
    boolean settled = false;
    try (LoopbackStreams loopback =
        LoopbackStreams.open(
            "inferscope-self-warm-server", CONNECTIONS, SelfWarm::serve, TIMEOUTS, eventLoops)) {
      long compiled = timed ? jit.getTotalCompilationTime() : -1;
      long batchStart = System.nanoTime();
      while (true) {
        List<CompletableFuture<RequestTrace>> streams = new ArrayList<>(CONNECTIONS);
        for (int i = 0; i < CONNECTIONS; i++) {
          streams.add(loopback.start(i));
        }
        for (CompletableFuture<RequestTrace> s : streams) {
          RequestTrace t = s.join();
          if (!t.ok()) {
            return null; // cold, not broken: the run works without it
          }
          events += t.events().size();
        }
        batches++;
        long compiledNow = timed ? jit.getTotalCompilationTime() : -1;
        long now = System.nanoTime();
        // The hot path is compiled when the compilers have (almost) nothing left to do: other
        // code of the process keeps them a little busy for seconds more (measured: 0-70 ms a
        // batch of about 100 ms, long after the read path's own compilations).
        settled = timed && (compiledNow - compiled) * 1_000_000 * SETTLED_SHARE < now - batchStart;
        compiled = compiledNow;
        batchStart = now;
        if ((events >= MIN_EVENTS && settled)
            || System.nanoTime() - start >= maxNanos
            || stop.getAsBoolean()) {
          break;
        }
      }
      return new LoadRunner.WarmUp(
          events, batches, System.nanoTime() - start, settled && events >= MIN_EVENTS);
    } catch (IOException | RuntimeException | OutOfMemoryError | LinkageError e) {
      return null; // cold, not broken: the run reports what it meets itself
    }
  }

  /** Serves batch after batch: each of its streams' events written one at a time, interleaved. */
  private static void serve(ServerSocketChannel server) {
    // Two shapes, with and without the simulated engine's send stamp, as engines send them.
    byte[] stamped = LoopbackStreams.stamped();
    byte[] tail = LoopbackStreams.tail(EVENTS);
    List<SocketChannel> batch = new ArrayList<>(CONNECTIONS);
    try {
      while (!Thread.currentThread().isInterrupted()) {
        for (int i = 0; i < CONNECTIONS; i++) {
          SocketChannel ch = server.accept();
          batch.add(ch);
          LoopbackStreams.readRequest(ch);
          ch.socket().setTcpNoDelay(true);
          LoopbackStreams.write(ch, LoopbackStreams.HEAD);
        }
        for (int e = 0; e < EVENTS; e++) {
          for (SocketChannel ch : batch) {
            LoopbackStreams.write(ch, (e & 1) == 0 ? LoopbackStreams.CONTENT : stamped);
          }
        }
        for (SocketChannel ch : batch) {
          LoopbackStreams.write(ch, tail);
          ch.close();
        }
        batch.clear();
      }
    } catch (IOException e) {
      // the warm-up is over (its server closed) or failed (the client sees it)
    } finally {
      for (SocketChannel ch : batch) {
        try {
          ch.close();
        } catch (IOException e) {
          // closing
        }
      }
    }
  }
}
