package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one analysis of a run: its window, requests and figures, each derived once, in one place. */
class RunAnalysisTest {

  private static List<RequestTrace> traces() {
    return List.of(
        CorrelationFixtures.ok(0, true, 0, 50, 60, 70, 2),
        CorrelationFixtures.ok(1, false, 100, 150, 300, 310, 2),
        CorrelationFixtures.ok(2, false, 200, 260, 500, 520, 2),
        CorrelationFixtures.failed(3, 250, 900, new Failure.Http(500, "boom")));
  }

  @Test
  void theMeasuredWindowRunsFromTheFirstMeasuredSendToTheLastMeasuredEnd() {
    MeasuredWindow w = MeasuredWindow.of(traces());
    // The warm-up (0..70 ms) is not measured; the failed request's end (900 ms) is.
    assertThat(w).isEqualTo(new MeasuredWindow(100 * MS, 900 * MS));
    assertThat(w.lengthNanos()).isEqualTo(800 * MS);
    assertThat(MeasuredWindow.of(traces().subList(0, 1))).isNull();
    assertThat(MeasuredWindow.of(List.of())).isNull();
    assertThatThrownBy(() -> new MeasuredWindow(2, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyPartOfTheAnalysisIsWhatItsOwnDerivationGives() {
    RunResult run = CorrelationFixtures.run(traces(), HardwareSamples.none());
    RunAnalysis a = RunAnalysis.of(run);
    MeasuredWindow window = MeasuredWindow.of(run.traces());
    assertThat(a.run()).isSameAs(run);
    assertThat(a.window()).isEqualTo(window);
    assertThat(a.requests())
        .extracting(r -> r.trace().id())
        .containsExactly(1, 2, 3); // measured only, in trace order
    assertThat(a.requests().get(0).metrics()).isEqualTo(RequestMetrics.of(run.traces().get(1)));
    assertThat(a.metrics()).isEqualTo(RunMetrics.of(run.traces()));
    assertThat(a.metrics().ok()).isEqualTo(2);
    assertThat(a.metrics().failed()).isEqualTo(1);
    assertThat(a.phases()).isEqualTo(RunPhases.of(run.traces()));
    assertThat(a.correlation()).isEqualTo(Correlation.of(run, window));
    assertThat(a.hardware())
        .isEqualTo(
            HardwareFigures.of(
                run.hardware(), window, run.endNanos(), a.metrics().outputTokensTotal()));
    assertThat(a.findings())
        .isEqualTo(Findings.of(run, a.metrics(), a.correlation(), a.hardware(), a.engine()));
    assertThat(a.tokenRate()).isEqualTo(TokenRateSeries.of(run.traces(), run.endNanos()));
    assertThat(a.warmupRequests()).isEqualTo(1);
    assertThat(a.sampleOnly()).isFalse();
    // Pure: the same run gives an equal analysis.
    assertThat(RunAnalysis.of(run)).isEqualTo(a);
  }

  @Test
  void aSampleOnlyRunHasNoWindowNoRequestsAndNoTokenRate() {
    RunResult run =
        new RunResult(
            new RunMeta("0.1.0", RunAnalysis.SAMPLE_ONLY, List.of(), null, null, null, Map.of()),
            new RunClock(0, Instant.parse("2025-06-01T12:00:00Z")),
            List.of(),
            3000 * MS,
            false,
            null);
    RunAnalysis a = RunAnalysis.of(run);
    assertThat(a.sampleOnly()).isTrue();
    assertThat(a.window()).isNull();
    assertThat(a.requests()).isEmpty();
    assertThat(a.tokenRate()).isNull();
    assertThat(a.warmupRequests()).isZero();
  }

  @Test
  void theTokenRateCountsTextEventsPerBinAndRequestsInFlightAtEachMiddle() {
    // Warm-up counts here: the engine served it.
    TokenRateSeries s = TokenRateSeries.of(traces(), 1000 * MS);
    assertThat(s.binNanos()).isEqualTo(TokenRateSeries.BIN_NANOS);
    assertThat(s.bins()).isEqualTo(4);
    // Text events at 50, 60, 150, 300, 260, 500 ms: bins 0-250, 250-500, 500-750, 750-1000 ms.
    assertThat(s.textEvents()).containsExactly(3, 2, 1, 0);
    // At 125 ms requests 1 (100..310) is in flight; at 375 ms 2 (200..520) and 3 (250..900); at
    // 625 ms only 3; at 875 ms still 3.
    assertThat(s.inFlight()).containsExactly(1, 2, 1, 1);
    assertThat(s.textEventsPerSecond(0)).isEqualTo(12.0);
    assertThat(s.binMiddleNanos(1)).isEqualTo(375 * MS);
    assertThat(TokenRateSeries.of(List.of(), 1000 * MS)).isNull();
  }

  @Test
  void aLongRunHasWiderBinsNeverMoreThanTheCap() {
    long end = 10_000L * 1_000 * MS; // 10,000 s: 40,000 bins of 250 ms
    TokenRateSeries s = TokenRateSeries.of(traces(), end);
    assertThat(s.bins()).isLessThanOrEqualTo(TokenRateSeries.MAX_BINS);
    assertThat(s.binNanos() % TokenRateSeries.BIN_NANOS).isZero();
    assertThat(s.binNanos() * s.bins()).isGreaterThanOrEqualTo(end);
    assertThat(s.textEvents()[0]).isEqualTo(6);
  }

  @Test
  void aTickKeepsItsDevicesAndSamplesRegroupByDeviceInTimeOrder() {
    GpuSample a0 = CorrelationFixtures.gpu(0, 0, 10, null);
    GpuSample a1 = CorrelationFixtures.gpu(1, 1, 20, null);
    GpuSample b0 = CorrelationFixtures.gpu(500, 0, 30, null);
    // Device 1's read failed in the second tick: it is missing there, not zero.
    List<GpuTick> ticks =
        List.of(new GpuTick(0, List.of(a0, a1)), new GpuTick(500 * MS, List.of(b0)));
    Map<Integer, List<GpuSample>> byDevice = GpuTick.samplesByDevice(ticks);
    assertThat(byDevice.keySet()).containsExactly(0, 1);
    assertThat(byDevice.get(0)).containsExactly(a0, b0);
    assertThat(byDevice.get(1)).containsExactly(a1);
    HardwareSamples h =
        new HardwareSamples(
            null,
            null,
            CorrelationFixtures.devices(2),
            new Timeline<>("nvml", 500 * MS, ticks, null));
    assertThat(h.gpuDevice(1)).isEqualTo(CorrelationFixtures.devices(2).get(1));
    assertThat(h.gpuDevice(7)).isNull();
  }

  @Test
  void runFactsAreTypedAndChecked() {
    assertThat(RunFacts.none()).isEqualTo(new RunFacts(null, null, null));
    assertThatThrownBy(() -> new RunFacts(0, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RunFacts.EngineProcess("--pid", "and a reason"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RunFacts.EngineProcess(null, null))
        .isInstanceOf(IllegalArgumentException.class);
    RunResult run = CorrelationFixtures.run(traces(), HardwareSamples.none());
    assertThat(run.facts()).isEqualTo(RunFacts.none());
    RunFacts facts =
        new RunFacts(8, RunFacts.ConnectionReuse.POOLED, new RunFacts.EngineProcess("--pid", null));
    assertThat(run.withFacts(facts).facts()).isEqualTo(facts);
    assertThat(run.withFacts(facts).traces()).isEqualTo(run.traces());
  }
}
