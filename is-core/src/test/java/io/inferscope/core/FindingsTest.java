package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.devices;
import static io.inferscope.core.CorrelationFixtures.failed;
import static io.inferscope.core.CorrelationFixtures.gpu;
import static io.inferscope.core.CorrelationFixtures.gpus;
import static io.inferscope.core.CorrelationFixtures.ok;
import static io.inferscope.core.CorrelationFixtures.run;
import static io.inferscope.core.CorrelationFixtures.sequential;
import static io.inferscope.core.CorrelationFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingsTest {

  private static long[] repeat(long value, int n) {
    long[] out = new long[n];
    java.util.Arrays.fill(out, value);
    return out;
  }

  /** The findings of the run as analysed, with the host's CPU count among its facts. */
  private static List<Finding> findings(RunResult r, Integer hostCpus) {
    return RunAnalysis.of(r.withFacts(new RunFacts(hostCpus, null, null))).findings();
  }

  private static List<String> codes(List<Finding> findings) {
    return findings.stream().map(Finding::code).toList();
  }

  /** GPU 0 and 1 read every second over the sequential runs' span, at the given SM use. */
  private static HardwareSamples gpuAt(int sm0, int sm1) {
    List<GpuSample> samples = new ArrayList<>();
    for (long ms = 0; ms <= 100_000; ms += 1000) {
      samples.add(gpu(ms, 0, sm0, 300.0));
      samples.add(gpu(ms, 1, sm1, 300.0));
    }
    return new HardwareSamples(
        null, null, devices(2), gpus(1000, samples.toArray(new GpuSample[0])));
  }

  @Test
  void aHealthyRunHasNoFindings() {
    RunResult r = run(sequential(repeat(50, 10)), gpuAt(80, 80));
    assertThat(findings(r, 8)).isEmpty();
  }

  @Test
  void lowGpuUseWithSlowFirstTokensSaysTheGpuIsNotTheBottleneck() {
    RunResult r = run(sequential(repeat(4100, 10)), gpuAt(12, 12));
    assertThat(findings(r, null))
        .containsExactly(
            new Finding(
                "gpu_not_bottleneck",
                Finding.Severity.WARNING,
                "GPU SM mean 12 % while TTFT p99 is 4.1 s: the bottleneck is not the GPU"));
    // busy GPUs, or fast first tokens, or no GPU figures: silent
    assertThat(findings(run(sequential(repeat(4100, 10)), gpuAt(50, 50)), null)).isEmpty();
    assertThat(findings(run(sequential(repeat(900, 10)), gpuAt(12, 12)), null)).isEmpty();
    assertThat(findings(run(sequential(repeat(4100, 10)), HardwareSamples.none()), null)).isEmpty();
  }

  @Test
  void aLongTtftTailSaysRequestsQueue() {
    long[] ttft = repeat(100, 10);
    ttft[9] = 2000;
    // sorted: nine at 100, one at 2000; p99 = 100 + 0.91 * 1900 = 1829 ms
    assertThat(findings(run(sequential(ttft), HardwareSamples.none()), null))
        .containsExactly(
            new Finding(
                "queueing",
                Finding.Severity.WARNING,
                "TTFT p99 is 18.3× p50 (1829.0 ms vs 100.0 ms): requests queue in the server"));
    // an even tail, or too few requests for a p99, is silent
    assertThat(findings(run(sequential(repeat(100, 10)), HardwareSamples.none()), null)).isEmpty();
    long[] few = repeat(100, 9);
    few[8] = 2000;
    assertThat(findings(run(sequential(few), HardwareSamples.none()), null)).isEmpty();
  }

  @Test
  void aSaturatedHostIsNamedOnlyWhenItsCpuCountIsKnown() {
    // 1950 ms of CPU in 1 s: 195 % of one core
    HardwareSamples h =
        new HardwareSamples(10, tree(new long[] {0, 1000}, new long[] {0, 1950}), List.of(), null);
    RunResult r = run(sequential(repeat(50, 10)), h);
    assertThat(findings(r, 2))
        .containsExactly(
            new Finding(
                "engine_cpu_saturated",
                Finding.Severity.WARNING,
                "engine used all 2 cores (process tree CPU peak 195 % of one core)"));
    assertThat(findings(r, 4)).isEmpty();
    assertThat(findings(r, null)).isEmpty();
  }

  @Test
  void idleGpusAreNamed() {
    RunResult r = run(sequential(repeat(50, 10)), gpuAt(80, 0));
    assertThat(findings(r, null))
        .containsExactly(
            new Finding(
                "gpus_idle",
                Finding.Severity.WARNING,
                "1 of 2 GPUs idle (mean SM: GPU 1 0%) while GPU 0 averaged 80%"));
  }

  @Test
  void failuresAndSheddingAreCountedWithTheCommonestCode() {
    List<RequestTrace> traces = new ArrayList<>(sequential(repeat(50, 7)));
    traces.add(failed(7, 70_000, 70_001, new Failure.Http(500, "boom")));
    traces.add(failed(8, 80_000, 80_001, new Failure.Http(500, "boom")));
    traces.add(failed(9, 90_000, 90_001, new Failure.Shed(503, "busy")));
    assertThat(findings(run(traces, HardwareSamples.none()), null))
        .containsExactly(
            new Finding(
                "requests_failed",
                Finding.Severity.WARNING,
                "3 of 10 requests failed (most common: http_500, 2)"),
            new Finding(
                "requests_shed",
                Finding.Severity.WARNING,
                "the server shed 1 request (HTTP 503): capacity reached"));
  }

  @Test
  void aWrapperRootIsInformation() {
    List<ProcessTreeSample> samples = ProcessTreeMetricsTest.wrapperTree();
    HardwareSamples h =
        new HardwareSamples(10, new Timeline<>("proc", 100, samples, null), List.of(), null);
    List<Finding> f = findings(run(sequential(repeat(50, 10)), h), null);
    assertThat(f)
        .containsExactly(
            new Finding(
                "engine_wrapper", Finding.Severity.INFO, WrapperCheck.of(samples).orElseThrow()));
  }

  @Test
  void tokenAccountingIsInformationAndWarningsComeFirst() {
    List<RequestTrace> traces = new ArrayList<>();
    // two text events each, but the server counts 5 tokens
    traces.add(ok(0, false, 0, 50, 150, 151, 5));
    traces.add(ok(1, false, 1000, 1050, 1150, 1151, 2));
    traces.add(failed(2, 2000, 2001, new Failure.Connect("refused")));
    List<Finding> f = findings(run(traces, HardwareSamples.none()), null);
    assertThat(codes(f)).containsExactly("requests_failed", "token_accounting");
    assertThat(f.get(1))
        .isEqualTo(
            new Finding(
                "token_accounting",
                Finding.Severity.INFO,
                "usage differs from text chunks on 1 of 2 requests: chunk ITL is per chunk,"
                    + " TPOT per token"));
    // matching usage is silent
    List<RequestTrace> matching = List.of(ok(0, false, 0, 50, 150, 151, 2));
    assertThat(findings(run(matching, HardwareSamples.none()), null)).isEmpty();
  }

  @Test
  void failureCodesWithoutALeaderAreListed() {
    assertThat(Findings.byCode(java.util.Map.of("b", 1, "a", 1, "c", 1, "d", 1)))
        .isEqualTo("by code: a 1, b 1, c 1, 1 more");
    assertThat(Findings.byCode(java.util.Map.of("b", 1, "a", 2))).isEqualTo("most common: a, 2");
  }

  private static RunResult withClient(ClientOverhead client) {
    RunResult r = run(sequential(repeat(50, 10)), HardwareSamples.none());
    return new RunResult(
        r.meta(),
        r.clock(),
        r.traces(),
        r.endNanos(),
        r.partial(),
        r.stopReason(),
        r.hardware(),
        client,
        null);
  }

  private static ClientOverhead client(Double cpuPercent, Long gcMaxNanos, Long lagMaxNanos) {
    return new ClientOverhead(cpuPercent, 2, gcMaxNanos, gcMaxNanos, 1, lagMaxNanos, lagMaxNanos);
  }

  /**
   * A request whose TTFT is {@code ttftMs}, 1 ms of it before the headers, with llama.cpp's
   * timings.
   */
  private static RequestTrace timed(int id, long ttftMs, double promptMs) {
    long send = id * 1000L * CorrelationFixtures.MS;
    long first = send + ttftMs * CorrelationFixtures.MS;
    EventLog ev =
        new EventLog.Builder()
            .add(send + CorrelationFixtures.MS, ChunkKind.ROLE, 0)
            .add(first, ChunkKind.CONTENT, 3)
            .add(first + 10 * CorrelationFixtures.MS, ChunkKind.CONTENT, 3)
            .build();
    return new RequestTrace(
        id,
        false,
        send,
        send,
        send + CorrelationFixtures.MS,
        first + 11 * CorrelationFixtures.MS,
        200,
        ev,
        null,
        new ServerTimings(20, promptMs, 2, 10.0, 0),
        "stop",
        null);
  }

  @Test
  void requestsThatMostlyWaitedAreNamedEvenWhenTheyAllWaitedAlike() {
    // 8 streams on a 4-slot llama.cpp server: every TTFT about 310 ms, the server's prompt time
    // 2 ms. The p99/p50 check sees nothing: the queueing is uniform.
    List<RequestTrace> queued = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queued.add(timed(i, 310, 2.0));
    }
    List<Finding> f = findings(run(queued, HardwareSamples.none()), null);
    assertThat(codes(f)).containsExactly("waiting");
    assertThat(f.getFirst().message())
        .isEqualTo(
            "TTFT p50 310.0 ms against the server's own prompt time p50 2.0 ms: requests spent"
                + " most of it waiting (queued for a slot, or on the way), not in prefill; 1.0 ms"
                + " to the response headers, 309.0 ms from them to the first token");
    // Prefill that is most of TTFT, or a small gap, is not waiting.
    List<RequestTrace> prefill = new ArrayList<>();
    List<RequestTrace> near = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      prefill.add(timed(i, 310, 290.0));
      near.add(timed(i, 45, 2.0));
    }
    assertThat(codes(findings(run(prefill, HardwareSamples.none()), null))).isEmpty();
    assertThat(codes(findings(run(near, HardwareSamples.none()), null))).isEmpty();
  }

  @Test
  void aClientUsingMostOfItsHostIsNamed() {
    // 170 % of one core on 2 cores: 85 % of the host
    assertThat(findings(withClient(client(170.0, null, null)), null))
        .containsExactly(
            new Finding(
                "client_cpu_saturated",
                Finding.Severity.WARNING,
                "client CPU 85 % of the host: inferscope itself may distort timings"));
    // under 80 % of the host, or CPU or core count unknown: silent
    assertThat(findings(withClient(client(150.0, null, null)), null)).isEmpty();
    assertThat(findings(withClient(client(null, null, null)), null)).isEmpty();
    assertThat(
            findings(
                withClient(new ClientOverhead(170.0, null, null, null, null, null, null)), null))
        .isEmpty();
    // A run of 45 ms is mostly the JVM's start-up: its CPU share is not judged.
    RunResult brief =
        run(List.of(CorrelationFixtures.ok(0, 0, 20, 40, 45)), HardwareSamples.none());
    assertThat(brief.endNanos()).isLessThan(Findings.CLIENT_CPU_MIN_RUN_NANOS);
    RunResult briefWithClient =
        new RunResult(
            brief.meta(),
            brief.clock(),
            brief.traces(),
            brief.endNanos(),
            false,
            null,
            brief.hardware(),
            client(196.0, null, null));
    assertThat(findings(briefWithClient, null)).isEmpty();
  }

  @Test
  void aLongClientGcPauseIsNamed() {
    assertThat(findings(withClient(client(10.0, 3_200_000L, null)), null))
        .containsExactly(
            new Finding(
                "client_gc_pause",
                Finding.Severity.WARNING,
                "GC paused the client for up to 3.2 ms during the run: timings may carry that"
                    + " delay; run the client with ZGC (INFERSCOPE_JAVA_OPTS=-XX:+UseZGC)"));
    assertThat(findings(withClient(client(10.0, 1_000_000L, null)), null)).isEmpty();
    assertThat(findings(withClient(client(10.0, null, null)), null)).isEmpty();
  }

  @Test
  void aStarvedClientIsNamed() {
    assertThat(findings(withClient(client(10.0, null, 7_100_000L)), null))
        .containsExactly(
            new Finding(
                "client_scheduling_lag",
                Finding.Severity.WARNING,
                "a client thread woke up to 7.1 ms late: the client was starved of CPU"));
    assertThat(findings(withClient(client(10.0, null, 5_000_000L)), null)).isEmpty();
    assertThat(findings(withClient(client(10.0, null, null)), null)).isEmpty();
    // a run whose client was not measured says nothing about it
    assertThat(findings(withClient(null), null)).isEmpty();
  }
}
