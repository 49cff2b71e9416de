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
   * Tree CPU per interval 50, 100, 300 % over 0-100-200-300 ms. GPU 0 SM 10, 20, 30, 40 % and
   * 100..400 W at 0..300 ms; GPU 1 SM 0 % and 50 W throughout. Sampled every 100 ms.
   */
  static HardwareSamples hardware() {
    return new HardwareSamples(
        10,
        tree(new long[] {0, 100, 200, 300}, new long[] {0, 50, 150, 450}),
        devices(2),
        gpus(
            100,
            gpu(0, 0, 10, 100.0),
            gpu(0, 1, 0, 50.0),
            gpu(100, 0, 20, 200.0),
            gpu(100, 1, 0, 50.0),
            gpu(200, 0, 30, 300.0),
            gpu(200, 1, 0, 50.0),
            gpu(300, 0, 40, 400.0),
            gpu(300, 1, 0, 50.0)));
  }

  static List<RequestTrace> traces() {
    return List.of(
        ok(0, true, 0, 10, 20, 40, null), // warm-up: in no window, not in the whole run
        ok(1, 50, 150, 250, 260),
        ok(2, 130, 160, 160, 170), // one text event: no decode window
        failed(3, 60, 70, new Failure.Http(500, "boom")));
  }

  private static Correlation correlation(RunResult r) {
    return Correlation.of(r, MeasuredWindow.of(r.traces()));
  }

  @Test
  void requestWindowsTakeOverlapWeightedCpuAndTheGpuSamplesInside() {
    Correlation c = correlation(run(traces(), hardware()));
    assertThat(c.requests()).extracting(RequestWindows::id).containsExactly(1, 2);
    RequestWindows a = c.requests().get(0);
    assertThat(a.prefill().startNanos()).isEqualTo(50 * MS);
    assertThat(a.prefill().endNanos()).isEqualTo(150 * MS);
    // 50 ms of 50 % and 50 ms of 100 %
    assertThat(a.prefill().figures().cpuPercent()).isCloseTo(75, within(1e-9));
    // the 100 ms samples: GPU 0 20 %, GPU 1 0 %; 200 + 50 W
    assertThat(a.prefill().figures().gpuSmPercent()).isCloseTo(10, within(1e-9));
    assertThat(a.prefill().figures().gpuSmPercentByDevice()).isEqualTo(Map.of(0, 20.0, 1, 0.0));
    assertThat(a.prefill().figures().powerWatts()).isCloseTo(250, within(1e-9));
    assertThat(a.prefill().figures().samples()).isEqualTo(4);
    // decode 150..250: 50 ms of 100 %, 50 ms of 300 %; the 200 ms samples
    assertThat(a.decode().figures().cpuPercent()).isCloseTo(200, within(1e-9));
    assertThat(a.decode().figures().gpuSmPercent()).isCloseTo(15, within(1e-9));
    assertThat(a.decode().figures().powerWatts()).isCloseTo(350, within(1e-9));
  }

  @Test
  void aWindowShorterThanAPeriodTakesTheNearestSample() {
    RequestWindows b = correlation(run(traces(), hardware())).requests().get(1);
    assertThat(b.decode()).isNull();
    ResourceFigures f = b.prefill().figures();
    // 130..160 holds no GPU sample; the nearest to its middle (145) is the 100 ms one
    assertThat(f.gpuSmPercentByDevice()).isEqualTo(Map.of(0, 20.0, 1, 0.0));
    assertThat(f.powerWatts()).isCloseTo(250, within(1e-9));
    assertThat(f.cpuPercent()).isCloseTo(100, within(1e-9));
    assertThat(f.samples()).isEqualTo(3);
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
    // 50..260 ms: 50 ms at 50 %, 100 ms at 100 %, 60 ms at 300 %
    ResourceFigures w = c.wholeRun();
    assertThat(w.cpuPercent()).isCloseTo(30_500 / 210.0, within(1e-9));
    // samples at 100 and 200 ms
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
        new HardwareSamples(null, null, devices(1), gpus(100, gpu(0, 0, 50, 100.0)));
    Correlation far = correlation(run(List.of(ok(1, 400, 420, 440, 450)), sparse));
    assertThat(far.prefill().gpuSmPercent()).isNull();
    assertThat(far.decode().powerWatts()).isNull();
  }

  @Test
  void noMeasuredRequestMeansNoWindowsButAWholeRunSpan() {
    RunResult r = run(List.of(), hardware());
    Correlation c =
        correlation(
            new RunResult(r.meta(), r.clock(), List.of(), 300 * MS, false, null, hardware()));
    assertThat(c.requests()).isEmpty();
    assertThat(c.prefill().cpuPercent()).isNull();
    // 0..300 ms: (50 + 100 + 300) / 3
    assertThat(c.wholeRun().cpuPercent()).isCloseTo(150, within(1e-9));
  }
}
