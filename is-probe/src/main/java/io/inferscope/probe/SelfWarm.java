package io.inferscope.probe;

import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Warms the client's hot path before a large run's load, in two phases against loopback servers of
 * its own: first long streams of events through the whole read path (event loops, HTTP codec, event
 * framing, chunk reader, recorder), batch after batch, then many short requests through the run's
 * own load loop (request bodies, virtual threads, the connection pool, the HTTP encoder), each
 * phase until the JIT compilers have almost nothing left to do. Without it, a run of hundreds of
 * streams read its first seconds with interpreted and C1-compiled code, and they landed in the
 * measured tails (docs/benchmarks.md, "Cold start"). Nothing reaches the engine. Once per process:
 * what the JIT compiled stays compiled.
 */
final class SelfWarm {
  /** Streams a batch reads at once: several per event loop, as a large run has. */
  static final int CONNECTIONS = 32;

  /** Events per stream of a batch. */
  static final int EVENTS = 500;

  /** Events read before the JIT's quiet is believed: C2's thresholds are about 10-15k calls. */
  static final long MIN_EVENTS = 4L * CONNECTIONS * EVENTS;

  /** Streams of the request-path phase (after the read phase): a few per event loop. */
  static final int REQUEST_STREAMS = 64;

  /**
   * Text events per answer in the request-path phase: short, so that requests are many (about 7,000
   * a second on a 2-vCPU VM, against 3,700 with 32).
   */
  static final int REQUEST_EVENTS = 8;

  /**
   * Requests of the request-path phase before its quiet is believed. C2 compiles a method called
   * once per request after about 5,000 calls, and later while its queue is long (the thresholds
   * scale with it): after 5,000 the compilers had a lull, the phase ended, and a 512-stream run
   * compiled the request path in its first seconds (its compiler threads took 2.2 s of CPU in
   * {@code bench fidelity}'s cold level, 0.26 s in the warm one; docs/benchmarks.md, "The request
   * path's C2 thresholds"). A run on a fixed schedule sends at most {@link #BURST} requests per
   * {@link #BURST_GAP_NANOS}, 4,000 a second: its phase needs 3.75 s at least.
   */
  static final long MIN_REQUESTS = 15_000;

  /** Requests due at once in the request-path phase of a run on a fixed schedule, as a trace's. */
  static final int BURST = 16;

  /** The time between two bursts there: longer than the scheduler's spin, so it parks too. */
  static final long BURST_GAP_NANOS = 4_000_000;

  /** How often the request-path phase asks the compilers how busy they were. */
  private static final long CHECK_MILLIS = 100;

  /** Settled: the compilers took less than 1/this of a batch's (or a check's) time. */
  private static final int SETTLED_SHARE = 20;

  private static boolean warmed;

  private SelfWarm() {}

  /**
   * {@link #run} until {@code endNanos} (on {@link System#nanoTime}), unless this process was
   * warmed before; null then, and when the warm-up could not run (which only leaves the path cold).
   */
  static synchronized LoadRunner.WarmUp once(
      int eventLoops, long endNanos, BooleanSupplier stop, boolean onSchedule) {
    // The time left is read once this thread holds the lock: another may have warmed meanwhile.
    long maxNanos = endNanos - System.nanoTime();
    if (warmed || maxNanos <= 0) {
      return null;
    }
    LoadRunner.WarmUp w = run(eventLoops, maxNanos, stop, onSchedule);
    warmed = w != null;
    return w;
  }

  /**
   * Warms the read path on {@code eventLoops} event loops, batch after batch until the JIT compiler
   * was nearly idle over a whole batch after {@link #MIN_EVENTS} or half of {@code maxNanos} has
   * passed (the request path needs the other half), then the request path ({@link #requestPath});
   * within {@code maxNanos} in all (the last answers under way may end after it), and until {@code
   * stop} says so (asked after each batch, then every {@link #CHECK_MILLIS} ms). {@code
   * onSchedule}: the run sends on a fixed schedule, and the request phase does too. Returns what it
   * did ({@code batches}: those of the read phase), or null when a stream of the read phase failed
   * or its server could not be set up; a request phase that fails is left out.
   */
  static LoadRunner.WarmUp run(
      int eventLoops, long maxNanos, BooleanSupplier stop, boolean onSchedule) {
    long start = System.nanoTime();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long events = 0;
    int batches = 0;
    boolean settled = false;
    try (LoopbackStreams loopback =
        LoopbackStreams.open(
            "inferscope-self-warm-server", CONNECTIONS, SelfWarm::serve, eventLoops)) {
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
        settled = timed && quiet(compiledNow - compiled, now - batchStart);
        compiled = compiledNow;
        batchStart = now;
        if ((events >= MIN_EVENTS && settled)
            || System.nanoTime() - start >= maxNanos / 2
            || stop.getAsBoolean()) {
          break;
        }
      }
    } catch (IOException | RuntimeException | OutOfMemoryError | LinkageError e) {
      return null; // cold, not broken: the run reports what it meets itself
    }
    settled = settled && events >= MIN_EVENTS;
    long requests = (long) batches * CONNECTIONS;
    if (System.nanoTime() - start < maxNanos && !stop.getAsBoolean()) {
      Phase p = requestPath(start + maxNanos, stop, timed ? jit : null, onSchedule);
      if (p != null) {
        events += p.events();
        requests += p.requests();
        settled = p.settled();
      }
    }
    return new LoadRunner.WarmUp(events, requests, batches, System.nanoTime() - start, settled);
  }

  /**
   * What the request-path phase did; settled when it ended because the compilers were nearly idle
   * after {@link #MIN_REQUESTS}.
   */
  private record Phase(long requests, long events, boolean settled) {}

  /**
   * The request path: the run's own load loop (request bodies, virtual threads, the connection
   * pool, the HTTP encoder, each answer's first and last events, timeouts) in a closed loop of
   * {@link #REQUEST_STREAMS} streams of short answers against a loopback server that keeps its
   * connections alive, as engines do, until the compilers were nearly idle over a check after
   * {@link #MIN_REQUESTS}, or {@code deadlineNanos} (on {@link System#nanoTime}), or a stop. The
   * read phase alone sent a few hundred requests: a large run's first seconds then compiled this
   * path (measured: hundreds of methods of the HTTP encoder, the outbound buffer, the
   * virtual-thread scheduler and the load loop). {@code onSchedule}: an open loop on a fixed
   * schedule instead, bursts of {@link #BURST} requests due at once every {@link #BURST_GAP_NANOS}
   * (at most {@link #REQUEST_STREAMS} in flight), each with a body of its own, so that a trace's
   * path is what compiles: bodies made ahead, the scheduler's wait and spin, bursts handed over
   * before their threads start (a replayed trace's bursts were sent 0.1 ms later per request cold,
   * docs/benchmarks.md, "Trace replay"). Null when it could not run.
   */
  private static Phase requestPath(
      long deadlineNanos, BooleanSupplier stop, CompilationMXBean jit, boolean onSchedule) {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), REQUEST_STREAMS);
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      Thread accepting =
          Thread.ofPlatform()
              .daemon()
              .name("inferscope-self-warm-requests")
              .start(() -> serveKeptAlive(server));
      long left = Math.max(1, deadlineNanos - System.nanoTime());
      LoadSpec.Builder b =
          LoadSpec.builder(URI.create("http://127.0.0.1:" + port), Endpoint.CHAT).model("warm-up");
      if (onSchedule) {
        b.workload(bursts(left));
      } else {
        b.prompt("w");
      }
      LoadSpec spec =
          b.maxTokens(REQUEST_EVENTS)
              .concurrency(REQUEST_STREAMS)
              .duration(Duration.ofNanos(left))
              .timeouts(LoopbackStreams.TIMEOUTS)
              .build();
      LoadRunner runner = LoadRunner.create(spec, RunClock.startNow());
      CompletableFuture<LoadResult> done = new CompletableFuture<>();
      try {
        Thread.ofPlatform()
            .daemon()
            .name("inferscope-self-warm-load")
            .start(
                () -> {
                  try {
                    // No callback: a run's is the default one, and the JIT learns that (run()).
                    done.complete(runner.run(null));
                  } catch (RuntimeException | Error e) {
                    done.completeExceptionally(e);
                  }
                });
        long compiled = jit != null ? jit.getTotalCompilationTime() : -1;
        long checkStart = System.nanoTime();
        boolean settled = false;
        while (!done.isDone()) {
          try {
            done.get(CHECK_MILLIS, TimeUnit.MILLISECONDS);
            break; // ended by its duration: the bound, not the compilers' quiet
          } catch (TimeoutException e) {
            // a check
          }
          long compiledNow = jit != null ? jit.getTotalCompilationTime() : -1;
          long now = System.nanoTime();
          boolean quiet = jit != null && quiet(compiledNow - compiled, now - checkStart);
          compiled = compiledNow;
          checkStart = now;
          if (runner.finished() >= MIN_REQUESTS && quiet) {
            settled = true;
            break;
          }
          if (runner.failed() > 0 || stop.getAsBoolean()) {
            break;
          }
        }
        // Answers cut by the stop below fail as cancelled: only those before it count.
        boolean failed = runner.failed() > 0;
        runner.stop("warmed");
        LoadResult result = done.get();
        if (failed) {
          return null;
        }
        long requests = 0;
        long events = 0;
        for (RequestTrace t : result.traces()) {
          if (t.ok()) {
            requests++;
            events += t.events().size();
          }
        }
        return new Phase(requests, events, settled);
      } finally {
        if (!done.isDone()) {
          // Left by an exception: the load must not outlive the warm-up.
          runner.stop("warmed");
          done.handle((r, e) -> null).join();
        }
        accepting.interrupt();
      }
    } catch (IOException | RuntimeException | InterruptedException | ExecutionException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return null; // the read path is warm: the run works without this
    }
  }

  /**
   * A fixed schedule of bursts that lasts {@code nanos}: {@link #BURST} requests at each multiple
   * of {@link #BURST_GAP_NANOS}, their prompts made of prefix blocks as a trace's (so each body is
   * made ahead, as a trace's is), short.
   */
  static Workload bursts(long nanos) {
    long count = Math.min(1_000_000, (nanos / BURST_GAP_NANOS + 1) * BURST);
    List<WorkItem> items = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      Prompt p = new Prompt.Blocks(0, new long[] {i % BURST, i}, 4, 4);
      items.add(new WorkItem(p, null, (i / BURST) * BURST_GAP_NANOS, null));
    }
    return new Workload(items, false, Workload.prompt("w").facts());
  }

  /**
   * Whether the compilers were nearly idle: {@code compiledMillis} of compile time in {@code
   * elapsedNanos} is less than 1/{@value #SETTLED_SHARE} of it.
   */
  private static boolean quiet(long compiledMillis, long elapsedNanos) {
    return compiledMillis * 1_000_000 * SETTLED_SHARE < elapsedNanos;
  }

  /** Serves each connection on a virtual thread of its own, request after request. */
  private static void serveKeptAlive(ServerSocketChannel server) {
    // One count for all connections, so that every head is sent from the first few answers on.
    AtomicInteger answers = new AtomicInteger();
    try {
      while (true) {
        SocketChannel ch = server.accept();
        Thread.ofVirtual().start(() -> answerEach(ch, answers));
      }
    } catch (IOException e) {
      // the phase is over (its server closed)
    }
  }

  private static void answerEach(SocketChannel ch, AtomicInteger answers) {
    byte[][] events = LoopbackStreams.ENGINE_EVENTS;
    byte[] tail = LoopbackStreams.tail(REQUEST_EVENTS);
    try (ch) {
      ch.socket().setTcpNoDelay(true);
      while (LoopbackStreams.readRequest(ch)) {
        int n = answers.getAndIncrement() & Integer.MAX_VALUE;
        LoopbackStreams.write(
            ch, LoopbackStreams.HEADS_KEEP_ALIVE[n % LoopbackStreams.HEADS_KEEP_ALIVE.length]);
        for (int e = 0; e < REQUEST_EVENTS; e++) {
          LoopbackStreams.write(ch, events[e % events.length]);
        }
        LoopbackStreams.write(ch, tail);
      }
    } catch (IOException e) {
      // the client closed the connection
    }
  }

  /** Serves batch after batch: each of its streams' events written one at a time, interleaved. */
  private static void serve(ServerSocketChannel server) {
    byte[][] events = LoopbackStreams.ENGINE_EVENTS;
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
            LoopbackStreams.write(ch, events[e % events.length]);
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
