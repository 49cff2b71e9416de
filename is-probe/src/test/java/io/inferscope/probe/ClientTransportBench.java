package io.inferscope.probe;

import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.Summary;
import java.lang.management.*;
import java.net.URI;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import okhttp3.*;
import okhttp3.sse.*;

/**
 * Compares ways of reading SSE with OkHttp at a given number of concurrent streams, against an
 * engine sending tokens on a fixed 10 ms schedule and stamping each event with its send time
 * ({@code inferscope sim --itl 10ms --stamp}): the project's blocking reads ({@link LoadRunner}) on
 * platform or on virtual threads, and OkHttp's EventSource on its dispatcher threads, all parsing
 * every event with {@link ChunkParser}. Prints observation delay (send stamp to arrival), chunk ITL
 * and its error against the schedule, client CPU time and peak threads. A benchmark, not a test:
 * see docs/benchmarks.md for how it is run.
 */
public final class ClientTransportBench {
  static final long GAP = 10_000_000L;

  public static void main(String[] a) throws Exception {
    if (a.length != 3) {
      System.err.println(
          "usage: ClientTransportBench URL blocking-platform|blocking-vt|async-eventsource STREAMS");
      System.exit(2);
    }
    String url = a[0];
    String mode = a[1];
    int streams = Integer.parseInt(a[2]);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    // warm-up round, not measured
    run(url, mode, Math.min(streams, 256), new ArrayList<>(), new ArrayList<>());
    System.gc();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<Long> delays = Collections.synchronizedList(new ArrayList<>());
    List<Long> firsts = Collections.synchronizedList(new ArrayList<>());
    double[] gaps = run(url, mode, streams, delays, firsts);
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - t0;
    double[] errors = new double[gaps.length];
    for (int i = 0; i < gaps.length; i++) errors[i] = Math.abs(gaps[i] - GAP);
    long[] delayValues = delays.stream().mapToLong(Long::longValue).toArray();
    if (delayValues.length == 0) {
      throw new IllegalStateException("no stamped events: run the engine with --stamp");
    }
    // Percentiles as everywhere in inferscope (interpolated, ADR 0002).
    Summary obs = Summary.of(delayValues);
    Summary itl = Summary.of(gaps);
    Summary err = Summary.of(errors);
    double[] first = firsts.stream().mapToDouble(Long::doubleValue).sorted().toArray();
    // How spread out the streams' first tokens are: the wider, the fewer events fall due at once.
    double spreadMs =
        first.length < 10
            ? 0
            : (Summary.percentileOfSorted(first, 90) - Summary.percentileOfSorted(first, 10)) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "%s streams=%d gaps=%d obs_p50=%.3fms obs_p99=%.3fms obs_max=%.3fms itl_p50=%.3fms"
            + " itl_p99=%.3fms abs_err_p50=%.3fms abs_err_p99=%.3fms max=%.3fms cpu=%.0fms"
            + " wall=%.0fms threads_peak=%d first_token_spread_p10_p90=%.1fms%n",
        mode,
        streams,
        gaps.length,
        obs.p50() / 1e6,
        obs.p99() / 1e6,
        obs.max() / 1e6,
        itl.p50() / 1e6,
        itl.p99() / 1e6,
        err.p50() / 1e6,
        err.p99() / 1e6,
        itl.max() / 1e6,
        cpu / 1e6,
        wall / 1e6,
        ManagementFactory.getThreadMXBean().getPeakThreadCount(),
        spreadMs);
  }

  /**
   * Runs one round; adds every stamped event's observation delay to {@code delays} and each
   * stream's first text arrival (on any one clock) to {@code firsts}.
   */
  static double[] run(String url, String mode, int streams, List<Long> delays, List<Long> firsts)
      throws Exception {
    if (mode.startsWith("blocking-")) {
      LoadSpec spec =
          LoadSpec.builder(URI.create(url), Endpoint.CHAT)
              .model("m")
              .prompt("hi")
              .maxTokens(64)
              .concurrency(streams)
              .requests(streams)
              .streamThreads(
                  mode.equals("blocking-vt")
                      ? LoadSpec.StreamThreads.VIRTUAL
                      : LoadSpec.StreamThreads.PLATFORM)
              .build();
      List<RequestTrace> ts = LoadRunner.create(spec, RunClock.startNow()).run(null).traces();
      List<Double> g = new ArrayList<>();
      for (RequestTrace t : ts) {
        if (!t.ok()) throw new IllegalStateException(t.failure().detail());
        for (long x : t.events().textGapsNanos()) g.add((double) x);
        if (t.events().firstTextIndex() >= 0) {
          firsts.add(t.events().atNanos(t.events().firstTextIndex()));
        }
        for (int i = 0; i < t.events().size(); i++) {
          if (t.events().hasSentNanos(i)) {
            delays.add(t.events().observationDelayNanos(i));
          }
        }
      }
      return g.stream().mapToDouble(Double::doubleValue).toArray();
    }
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(streams + 8);
    d.setMaxRequestsPerHost(streams + 8);
    OkHttpClient c =
        new OkHttpClient.Builder()
            .dispatcher(d)
            .connectionPool(new ConnectionPool(streams, 4, TimeUnit.SECONDS))
            .readTimeout(Duration.ofSeconds(60))
            .protocols(List.of(Protocol.HTTP_1_1))
            .retryOnConnectionFailure(false)
            .build();
    EventSource.Factory f = EventSources.createFactory(c);
    CountDownLatch done = new CountDownLatch(streams);
    ConcurrentLinkedQueue<long[]> all = new ConcurrentLinkedQueue<>();
    String body =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"max_tokens\":64}";
    for (int i = 0; i < streams; i++) {
      Request r =
          new Request.Builder()
              .url(url + "/v1/chat/completions")
              .post(RequestBody.create(body, MediaType.get("application/json")))
              .build();
      long[] times = new long[200];
      int[] n = {0};
      f.newEventSource(
          r,
          new EventSourceListener() {
            @Override
            public void onEvent(EventSource es, String id, String type, String data) {
              long now = System.nanoTime();
              Chunk ch = ChunkParser.parse(data);
              if (ch.sentNanos() != null) {
                delays.add(now - ch.sentNanos());
              }
              if (ch.kind().isText()) {
                times[n[0]++] = now;
              }
            }

            @Override
            public void onClosed(EventSource es) {
              all.add(Arrays.copyOf(times, n[0]));
              if (n[0] > 0) {
                firsts.add(times[0]);
              }
              done.countDown();
            }

            @Override
            public void onFailure(EventSource es, Throwable t, Response resp) {
              System.err.println("fail " + t);
              done.countDown();
            }
          });
    }
    done.await();
    c.dispatcher().executorService().shutdown();
    c.connectionPool().evictAll();
    List<Double> g = new ArrayList<>();
    for (long[] t : all) for (int i = 1; i < t.length; i++) g.add((double) (t[i] - t[i - 1]));
    return g.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
