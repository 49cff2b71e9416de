package io.inferscope.probe;

import io.inferscope.core.EventLog;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.Summary;
import io.inferscope.sim.ScheduleReport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures {@link HttpClient} as a candidate stream reader beside the project's own ({@link
 * LoadRunner}), on the same harness and the same per-event parsing ({@link SseBody} into a {@link
 * StreamRecorder}), against an engine that stamps each event with its send time and books its own
 * schedule lateness ({@code inferscope sim --ttft 20ms --itl 10ms --output-tokens 64 --stamp}).
 *
 * <p>Modes: {@code project} runs {@link LoadRunner} closed-loop; {@code jdk} runs a closed loop of
 * streams on one {@link HttpClient} (HTTP/1.1) whose executor runs every task in place, so bodies
 * are handed over on its selector thread; {@code jdk-default} the same on the client's default
 * executor (a cached pool of worker threads). In the {@code jdk} modes a {@link
 * HttpResponse.BodySubscriber} stamps {@link System#nanoTime()} once per {@code onNext} and pushes
 * the bytes through {@link SseBody}; each stream sends its next request when its last one ended,
 * until the level's time.
 *
 * <p>Per level: an unmeasured warm-up at the same streams, then the measured level. Prints events/s
 * (engine-written events over the level's wall time), client CPU per event (process CPU over the
 * level / engine events), observation delay (arrival − the engine's send stamp, same clock), ITL
 * error (|arrival gap − send-stamp gap| of successive text events), the engine's schedule lateness
 * over the level, and what the client process did meanwhile: allocation, GC, threads.
 *
 * <p>A benchmark, not a test. Run with the engine started apart (its own session), e.g. {@code java
 * --enable-native-access=ALL-UNNAMED -XX:+UseZGC -cp
 * is-probe/target/test-classes:inferscope-bench/target/inferscope-bench.jar
 * io.inferscope.probe.JdkHttpClientCandidateBench http://127.0.0.1:PORT jdk 512,1024 10 5}.
 */
public final class JdkHttpClientCandidateBench {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private JdkHttpClientCandidateBench() {}

  public static void main(String[] a) throws Exception {
    if (a.length < 3 || a.length > 5) {
      System.err.println(
          "usage: JdkHttpClientCandidateBench URL project|jdk|jdk-default STREAMS[,STREAMS..]"
              + " [SECONDS=10] [WARMUP_SECONDS=5]");
      System.exit(2);
    }
    URI base = URI.create(a[0]);
    String mode = a[1];
    if (!List.of("project", "jdk", "jdk-default").contains(mode)) {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    int[] levels = Arrays.stream(a[2].split(",")).mapToInt(Integer::parseInt).toArray();
    Duration measured = Duration.ofSeconds(a.length > 3 ? Long.parseLong(a[3]) : 10);
    Duration warmup = Duration.ofSeconds(a.length > 4 ? Long.parseLong(a[4]) : 5);
    for (int streams : levels) {
      runLevel(base, mode, streams, warmup);
      System.gc();
      schedule(base); // starts the engine's window for the measured level
      Snapshot before = Snapshot.take();
      THREADS.resetPeakThreadCount();
      ThreadCensus census = new ThreadCensus(measured.toNanos() / 2);
      census.start();
      long t0 = System.nanoTime();
      Level level = runLevel(base, mode, streams, measured);
      long wall = System.nanoTime() - t0;
      Snapshot after = Snapshot.take();
      ScheduleReport engine = schedule(base);
      census.join();
      report(mode, streams, level, engine, wall, before, after, census.names);
    }
  }

  /** What the client saw over one level. */
  record Level(
      List<EventLog> logs,
      int requests,
      int failures,
      String firstFailure,
      long onNextCalls,
      long buffers,
      long copiedBuffers) {}

  private static Level runLevel(URI base, String mode, int streams, Duration duration)
      throws Exception {
    LoadSpec spec =
        LoadSpec.builder(base, Endpoint.CHAT)
            .model("m")
            .prompt("hi")
            .maxTokens(64)
            .concurrency(streams)
            .duration(duration)
            .build();
    return mode.equals("project") ? project(spec) : jdk(spec, mode.equals("jdk"));
  }

  private static Level project(LoadSpec spec) {
    List<RequestTrace> traces = LoadRunner.create(spec, RunClock.startNow()).run(null).traces();
    List<EventLog> logs = new ArrayList<>(traces.size());
    int failures = 0;
    String first = null;
    for (RequestTrace t : traces) {
      if (t.warmup()) {
        continue;
      }
      logs.add(t.events());
      if (!t.ok()) {
        failures++;
        if (first == null) {
          first = String.valueOf(t.failure());
        }
      }
    }
    return new Level(logs, logs.size(), failures, first, 0, 0, 0);
  }

  private static Level jdk(LoadSpec spec, boolean direct) throws Exception {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
    if (direct) {
      b.executor(Runnable::run);
    }
    byte[] body =
        RequestBodies.body(
            spec, RequestBodies.extraFields(null), spec.workload().items().getFirst());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(RequestBodies.url(spec.baseUrl(), spec.endpoint())))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try (HttpClient http = b.build()) {
      JdkLoop loop =
          new JdkLoop(
              http,
              request,
              RunClock.startNow(),
              System.nanoTime() + spec.duration().toNanos(),
              spec.concurrency());
      for (int i = 0; i < spec.concurrency(); i++) {
        loop.next();
      }
      if (!loop.done.await(spec.duration().toSeconds() + 60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("streams did not end");
      }
      return new Level(
          new ArrayList<>(loop.logs),
          loop.requests.get(),
          loop.failures.get(),
          loop.firstFailure,
          loop.onNextCalls.sum(),
          loop.buffers.sum(),
          loop.copied.sum());
    }
  }

  /** A closed loop of streams on one client: each sends its next request when its last ended. */
  private static final class JdkLoop {
    final HttpClient http;
    final HttpRequest request;
    final RunClock clock;
    final long deadline;
    final CountDownLatch done;
    final ConcurrentLinkedQueue<EventLog> logs = new ConcurrentLinkedQueue<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final LongAdder onNextCalls = new LongAdder();
    final LongAdder buffers = new LongAdder();
    final LongAdder copied = new LongAdder();
    volatile String firstFailure;

    JdkLoop(HttpClient http, HttpRequest request, RunClock clock, long deadline, int streams) {
      this.http = http;
      this.request = request;
      this.clock = clock;
      this.deadline = deadline;
      this.done = new CountDownLatch(streams);
    }

    void next() {
      http.sendAsync(request, info -> new Subscriber(this, info.statusCode()))
          .whenComplete(
              (response, error) -> {
                requests.incrementAndGet();
                if (error != null) {
                  fail(String.valueOf(error));
                } else {
                  StreamRecorder r = response.body();
                  logs.add(r.events());
                  if (response.statusCode() != 200) {
                    fail("HTTP " + response.statusCode());
                  } else if (r.failure() != null) {
                    fail(String.valueOf(r.failure()));
                  }
                }
                if (System.nanoTime() - deadline < 0) {
                  next();
                } else {
                  done.countDown();
                }
              });
    }

    void fail(String why) {
      failures.incrementAndGet();
      if (firstFailure == null) {
        firstFailure = why;
      }
    }
  }

  /**
   * One response body: stamps each {@code onNext} once and pushes its bytes through {@link SseBody}
   * into a {@link StreamRecorder}. Completes with the recorder when the body ends.
   */
  private static final class Subscriber implements HttpResponse.BodySubscriber<StreamRecorder> {
    private final JdkLoop loop;
    private final StreamRecorder recorder;
    private final SseBody body;
    private final CompletableFuture<StreamRecorder> result = new CompletableFuture<>();
    private byte[] scratch;

    Subscriber(JdkLoop loop, int status) {
      this.loop = loop;
      this.recorder = new StreamRecorder(loop.clock);
      this.body = new SseBody(recorder::accept);
    }

    @Override
    public CompletionStage<StreamRecorder> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      long at = loop.clock.nowNanos();
      loop.onNextCalls.increment();
      loop.buffers.add(items.size());
      for (ByteBuffer bb : items) {
        int length = bb.remaining();
        if (length == 0) {
          continue;
        }
        if (bb.hasArray()) {
          body.feed(bb.array(), bb.arrayOffset() + bb.position(), length, at);
        } else {
          if (scratch == null || scratch.length < length) {
            scratch = new byte[Math.max(length, 4096)];
          }
          bb.get(bb.position(), scratch, 0, length);
          body.feed(scratch, 0, length, at);
          loop.copied.increment();
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      body.end(loop.clock.nowNanos());
      recorder.endOfStream();
      result.complete(recorder);
    }
  }

  /** Reads the engine's schedule lateness since the last call and starts a new window. */
  private static ScheduleReport schedule(URI base) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) base.resolve(ScheduleReport.PATH).toURL().openConnection();
    c.setRequestMethod("DELETE");
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    try (InputStream in = c.getInputStream()) {
      return ScheduleReport.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      c.disconnect();
    }
  }

  /** The client process's counters at one moment. */
  record Snapshot(long cpuNanos, long allocatedBytes, long gcCount, long gcMillis) {
    static Snapshot take() {
      long count = 0;
      long millis = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        count += Math.max(0, gc.getCollectionCount());
        millis += Math.max(0, gc.getCollectionTime());
      }
      return new Snapshot(
          OS.getProcessCpuTime(), THREADS.getTotalThreadAllocatedBytes(), count, millis);
    }
  }

  /** Counts the live threads by name (digits dropped) once, midway through the level. */
  private static final class ThreadCensus extends Thread {
    private final long afterNanos;
    volatile Map<String, Integer> names = Map.of();

    ThreadCensus(long afterNanos) {
      super("bench-census");
      setDaemon(true);
      this.afterNanos = afterNanos;
    }

    @Override
    public void run() {
      try {
        TimeUnit.NANOSECONDS.sleep(afterNanos);
      } catch (InterruptedException e) {
        return;
      }
      Map<String, Integer> m = new TreeMap<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        m.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
      }
      names = m;
    }
  }

  private static void report(
      String mode,
      int streams,
      Level level,
      ScheduleReport engine,
      long wallNanos,
      Snapshot before,
      Snapshot after,
      Map<String, Integer> threads) {
    long clientEvents = 0;
    int stamped = 0;
    int gaps = 0;
    for (EventLog ev : level.logs()) {
      clientEvents += ev.size();
      for (int i = 0; i < ev.size(); i++) {
        if (ev.hasSentNanos(i)) {
          stamped++;
        }
      }
      gaps += Math.max(0, ev.textEventCount() - 1);
    }
    long[] delays = new long[stamped];
    long[] errors = new long[gaps];
    int d = 0;
    int e = 0;
    for (EventLog ev : level.logs()) {
      for (int i = 0; i < ev.size(); i++) {
        if (ev.hasSentNanos(i)) {
          delays[d++] = ev.observationDelayNanos(i);
        }
      }
      for (long x : ev.sentGapErrorsNanos()) {
        errors[e++] = x;
      }
    }
    Summary obs = Summary.of(delays);
    Summary err = Summary.of(Arrays.copyOf(errors, e));
    long events = engine.events();
    long cpu = after.cpuNanos() - before.cpuNanos();
    System.out.printf(
        Locale.ROOT,
        "RESULT mode=%s streams=%d wall_s=%.2f engine_events=%d client_events=%d events_per_s=%.0f"
            + " cpu_us_per_event=%.2f obs_p50_ms=%.3f obs_p99_ms=%.3f itl_err_p99_ms=%.3f"
            + " lateness_p50_ms=%.3f lateness_p99_ms=%.3f lateness_max_ms=%.3f requests=%d"
            + " failures=%d%n",
        mode,
        streams,
        wallNanos / 1e9,
        events,
        clientEvents,
        events * 1e9 / wallNanos,
        events == 0 ? Double.NaN : cpu / 1e3 / events,
        obs == null ? Double.NaN : obs.p50() / 1e6,
        obs == null ? Double.NaN : obs.p99() / 1e6,
        err == null ? Double.NaN : err.p99() / 1e6,
        millis(engine.lateness().p50Nanos()),
        millis(engine.lateness().p99Nanos()),
        millis(engine.lateness().maxNanos()),
        level.requests(),
        level.failures());
    System.out.printf(
        Locale.ROOT,
        "  detail alloc_bytes_per_event=%.0f gc_cycles_and_pauses=%d gc_ms=%d threads_peak=%d"
            + " on_next=%d buffers=%d copied_buffers=%d events_per_on_next=%.2f"
            + " first_failure=%s%n",
        clientEvents == 0
            ? Double.NaN
            : (double) (after.allocatedBytes() - before.allocatedBytes()) / clientEvents,
        after.gcCount() - before.gcCount(),
        after.gcMillis() - before.gcMillis(),
        THREADS.getPeakThreadCount(),
        level.onNextCalls(),
        level.buffers(),
        level.copiedBuffers(),
        level.onNextCalls() == 0 ? Double.NaN : (double) clientEvents / level.onNextCalls(),
        level.firstFailure());
    System.out.println("  threads midway " + threads);
    System.out.flush();
  }

  private static double millis(Long nanos) {
    return nanos == null ? Double.NaN : nanos / 1e6;
  }
}
