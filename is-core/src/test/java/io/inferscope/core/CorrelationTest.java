package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.MS;
import static io.inferscope.core.CorrelationFixtures.devices;
import static io.inferscope.core.CorrelationFixtures.failed;
import static io.inferscope.core.CorrelationFixtures.gpu;
import static io.inferscope.core.CorrelationFixtures.gpus;
import static io.inferscope.core.CorrelationFixtures.ok;
import static io.inferscope.core.CorrelationFixtures.run;
import static io.inferscope.core.CorrelationFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationTest {

  /**
   * Tree CPU per interval 50, 100, 300 % over 0-1-2-3 s. GPU 0 SM 10, 20, 30, 40 % and 100..400 W
   * at 0..3 s; GPU 1 SM 0 % and 50 W throughout. Sampled every second: windows of a second or so,
   * as long as the GPU's readings average over (see {@link
   * Correlation#GPU_POWER_RESOLUTION_NANOS}).
   */
  static HardwareSamples hardware() {
    return new HardwareSamples(
        10,
        tree(new long[] {0, 1000, 2000, 3000}, new long[] {0, 500, 1500, 4500}),
        devices(2),
        gpus(
            1000,
            gpu(0, 0, 10, 100.0),
            gpu(0, 1, 0, 50.0),
            gpu(1000, 0, 20, 200.0),
            gpu(1000, 1, 0, 50.0),
            gpu(2000, 0, 30, 300.0),
            gpu(2000, 1, 0, 50.0),
            gpu(3000, 0, 40, 400.0),
            gpu(3000, 1, 0, 50.0)));
  }

  static List<RequestTrace> traces() {
    return List.of(
        ok(0, true, 0, 100, 200, 400, null), // warm-up: in no window, not in the whole run
        ok(1, 500, 1500, 2500, 2600),
        ok(2, 1300, 1600, 1600, 1700), // one text event: no decode window
        failed(3, 600, 700, new Failure.Http(500, "boom")));
  }

  private static Correlation correlation(RunResult r) {
    return Correlation.of(r, MeasuredWindow.of(r.traces()));
  }

  @Test
  void requestWindowsTakeOverlapWeightedCpuAndTheGpuSamplesInside() {
    Correlation c = correlation(run(traces(), hardware()));
    assertThat(c.requests()).extracting(RequestWindows::id).containsExactly(1, 2);
    RequestWindows a = c.requests().get(0);
    assertThat(a.prefill().startNanos()).isEqualTo(500 * MS);
    assertThat(a.prefill().endNanos()).isEqualTo(1500 * MS);
    // 0.5 s of 50 % and 0.5 s of 100 %
    assertThat(a.prefill().figures().cpuPercent()).isCloseTo(75, within(1e-9));
    // the 1 s samples: GPU 0 20 %, GPU 1 0 %; 200 + 50 W
    assertThat(a.prefill().figures().gpuSmPercent()).isCloseTo(10, within(1e-9));
    assertThat(a.prefill().figures().gpuSmPercentByDevice()).isEqualTo(Map.of(0, 20.0, 1, 0.0));
    assertThat(a.prefill().figures().powerWatts()).isCloseTo(250, within(1e-9));
    assertThat(a.prefill().figures().samples()).isEqualTo(4);
    // decode 1.5..2.5 s: 0.5 s of 100 %, 0.5 s of 300 %; the 2 s samples
    assertThat(a.decode().figures().cpuPercent()).isCloseTo(200, within(1e-9));
    assertThat(a.decode().figures().gpuSmPercent()).isCloseTo(15, within(1e-9));
    assertThat(a.decode().figures().powerWatts()).isCloseTo(350, within(1e-9));
  }

  @Test
  void aWindowShorterThanAPeriodTakesTheNearestSample() {
    RequestWindows b = correlation(run(traces(), hardware())).requests().get(1);
    assertThat(b.decode()).isNull();
    ResourceFigures f = b.prefill().figures();
    // 1.3..1.6 s holds no GPU sample; the nearest to its middle (1.45 s) is the 1 s one
    assertThat(f.gpuSmPercentByDevice()).isEqualTo(Map.of(0, 20.0, 1, 0.0));
    // 0.3 s is shorter than the second power is averaged over: no power figure of its own
    assertThat(f.powerWatts()).isNull();
    assertThat(f.cpuPercent()).isCloseTo(100, within(1e-9));
    assertThat(f.samples()).isEqualTo(3);
  }

  @Test
  void aWindowShorterThanTheGpuSensorsSpanHasNoGpuFigures() {
    // Prefill 0.95..1.05 s holds the 1 s samples, yet 100 ms is less than the 1/6 s NVML's
    // utilisation averages over: SM % and power would be the neighbours' work, not the window's.
    RunResult r = run(List.of(ok(1, 950, 1050, 2050, 2100)), hardware());
    ResourceFigures f = correlation(r).requests().getFirst().prefill().figures();
    assertThat(f.gpuSmPercent()).isNull();
    assertThat(f.gpuSmPercentByDevice()).isEmpty();
    assertThat(f.powerWatts()).isNull();
    assertThat(f.cpuPercent()).isNotNull();
    assertThat(correlation(r).prefill().gpuSmPercent()).isNull();
    // its decode, a second long, has both
    assertThat(correlation(r).decode().gpuSmPercent()).isNotNull();
    assertThat(correlation(r).decode().powerWatts()).isNotNull();
  }

  @Test
  void pooledFiguresAreMeansOverWindowsAndTheWholeRunIsTheMeasuredWindow() {
    Correlation c = correlation(run(traces(), hardware()));
    assertThat(c.prefill().cpuPercent()).isCloseTo(87.5, within(1e-9));
    assertThat(c.prefill().gpuSmPercent()).isCloseTo(10, within(1e-9));
    assertThat(c.prefill().gpuSmPercentByDevice()).isEqualTo(Map.of(0, 20.0, 1, 0.0));
    assertThat(c.prefill().powerWatts()).isCloseTo(250, within(1e-9));
    assertThat(c.prefill().samples()).isEqualTo(7);
    assertThat(c.decode().cpuPercent()).isCloseTo(200, within(1e-9));
    assertThat(c.decode().samples()).isEqualTo(4);
    // 0.5..2.6 s: 0.5 s at 50 %, 1 s at 100 %, 0.6 s at 300 %
    ResourceFigures w = c.wholeRun();
    assertThat(w.cpuPercent()).isCloseTo(30_500 / 210.0, within(1e-9));
    // samples at 1 and 2 s
    assertThat(w.gpuSmPercent()).isCloseTo(12.5, within(1e-9));
    assertThat(w.powerWatts()).isCloseTo(300, within(1e-9));
  }

  @Test
  void unsampledFiguresAreAbsentNotZero() {
    Correlation c = correlation(run(traces(), HardwareSamples.none()));
    for (ResourceFigures f : List.of(c.prefill(), c.decode(), c.wholeRun())) {
      assertThat(f.cpuPercent()).isNull();
      assertThat(f.gpuSmPercent()).isNull();
      assertThat(f.gpuSmPercentByDevice()).isEmpty();
      assertThat(f.powerWatts()).isNull();
      assertThat(f.samples()).isZero();
    }
    // GPU samples far from a short window (more than a period away) are not used
    HardwareSamples sparse =
        new HardwareSamples(null, null, devices(1), gpus(1000, gpu(0, 0, 50, 100.0)));
    Correlation far = correlation(run(List.of(ok(1, 4000, 4200, 4400, 4500)), sparse));
    assertThat(far.prefill().gpuSmPercent()).isNull();
    assertThat(far.decode().powerWatts()).isNull();
  }

  @Test
  void noMeasuredRequestMeansNoWindowsButAWholeRunSpan() {
    RunResult r = run(List.of(), hardware());
    Correlation c =
        correlation(
            new RunResult(r.meta(), r.clock(), List.of(), 3000 * MS, false, null, hardware()));
    assertThat(c.requests()).isEmpty();
    assertThat(c.prefill().cpuPercent()).isNull();
    // 0..3 s: (50 + 100 + 300) / 3
    assertThat(c.wholeRun().cpuPercent()).isCloseTo(150, within(1e-9));
  }
}
