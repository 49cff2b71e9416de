package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuMetricsTest {

  private static final long S = 1_000_000_000L;

  private static final GpuDevice GPU0 =
      new GpuDevice(0, "NVIDIA H100 80GB HBM3", "GPU-0", 85_899_345_920L, 700.0);
  private static final GpuDevice GPU1 =
      new GpuDevice(1, "NVIDIA H100 80GB HBM3", "GPU-1", null, null);

  private static GpuSample sample(
      long atNanos,
      int device,
      Integer sm,
      Double watts,
      Long energyMj,
      GpuProcessUsage... processes) {
    return new GpuSample(
        atNanos,
        device,
        sm,
        40,
        20_000_000_000L,
        watts,
        60,
        1980,
        2619,
        energyMj,
        List.of(processes));
  }

  /** One tick per sample, stamped at its read. */
  private static List<GpuTick> ticks(GpuSample... samples) {
    List<GpuTick> out = new ArrayList<>();
    for (GpuSample s : samples) {
      out.add(tick(s));
    }
    return out;
  }

  /** One tick of several devices, stamped at its first read. */
  private static GpuTick tick(GpuSample... devices) {
    return new GpuTick(devices[0].atNanos(), List.of(devices));
  }

  // Power 100, 200, 200, 100 W at 0..3 s; counter 1000, 1150, 1350, 1500 J at the same instants.
  private static List<GpuTick> rampUpDown(boolean withCounter) {
    return ticks(
        sample(0, 0, 80, 100.0, withCounter ? 1_000_000L : null),
        sample(1 * S, 0, 90, 200.0, withCounter ? 1_150_000L : null),
        sample(2 * S, 0, 100, 200.0, withCounter ? 1_350_000L : null),
        sample(3 * S, 0, 90, 100.0, withCounter ? 1_500_000L : null));
  }

  @Test
  void counterGivesEnergyOverTheWindowAndTokensPerJoule() {
    GpuMetrics m = GpuMetrics.of(List.of(GPU0), rampUpDown(true), 0, 3 * S, 1000L);
    GpuMetrics.Device d = m.devices().getFirst();
    assertThat(d.energySource()).isEqualTo(GpuMetrics.EnergySource.COUNTER);
    assertThat(d.energySource().label()).isEqualTo("counter");
    assertThat(d.energyJoules()).isCloseTo(500.0, within(1e-9)); // 1500 J - 1000 J
    assertThat(d.energySpanNanos()).isEqualTo(3 * S);
    assertThat(m.energyJoules()).isCloseTo(500.0, within(1e-9));
    assertThat(m.tokensPerJoule()).isCloseTo(2.0, within(1e-12));
    assertThat(d.samples()).isEqualTo(4);
    assertThat(d.smUtilPercent().min()).isEqualTo(80);
    assertThat(d.smUtilPercent().mean()).isEqualTo(90);
    assertThat(d.smUtilPercent().max()).isEqualTo(100);
    assertThat(d.powerWatts().mean()).isEqualTo(150);
    assertThat(d.memoryUsedBytes().max()).isEqualTo(20_000_000_000.0);
    assertThat(d.temperatureCelsius().mean()).isEqualTo(60);
    assertThat(d.smClockMhz().mean()).isEqualTo(1980);
    assertThat(d.memoryClockMhz().mean()).isEqualTo(2619);
    assertThat(d.name()).isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(m.imbalance()).isNull();
  }

  @Test
  void windowEdgesBetweenSamplesAreInterpolated() {
    // Counter at 0.5 s: 1075 J, at 2.5 s: 1425 J -> 350 J.
    GpuMetrics c = GpuMetrics.of(List.of(GPU0), rampUpDown(true), S / 2, 5 * S / 2, null);
    GpuMetrics.Device d = c.devices().getFirst();
    assertThat(d.energyJoules()).isCloseTo(350.0, within(1e-9));
    assertThat(d.energySpanNanos()).isEqualTo(2 * S);
    assertThat(d.samples()).isEqualTo(2); // 1 s and 2 s only
    assertThat(d.smUtilPercent().mean()).isEqualTo(95);
    assertThat(c.tokensPerJoule()).isNull();

    // Power at 0.5 s: 150 W. 0.5..1: (150+200)/2*0.5 = 87.5; 1..2: 200; 2..2.5: 87.5 -> 375 J.
    GpuMetrics t = GpuMetrics.of(List.of(GPU0), rampUpDown(false), S / 2, 5 * S / 2, null);
    assertThat(t.devices().getFirst().energyJoules()).isCloseTo(375.0, within(1e-9));
    assertThat(t.devices().getFirst().energySource())
        .isEqualTo(GpuMetrics.EnergySource.POWER_TRAPEZOID);
  }

  @Test
  void withoutCounterPowerIsIntegratedByTrapezoids() {
    // (100+200)/2 + (200+200)/2 + (200+100)/2 = 150 + 200 + 150 = 500 J
    GpuMetrics m = GpuMetrics.of(List.of(GPU0), rampUpDown(false), 0, 3 * S, 250L);
    GpuMetrics.Device d = m.devices().getFirst();
    assertThat(d.energySource()).isEqualTo(GpuMetrics.EnergySource.POWER_TRAPEZOID);
    assertThat(d.energySource().label()).isEqualTo("power_trapezoid");
    assertThat(d.energyJoules()).isCloseTo(500.0, within(1e-9));
    assertThat(m.tokensPerJoule()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void windowWiderThanTheSamplesHoldsTheNearestPowerAndSaysHowLong() {
    // Samples span 0..3 s (500 J by the trapezoid rule); the window 0..10 s: the last reading,
    // 100 W, is held for the 7 s beyond it, so the energy covers the window its tokens cover.
    GpuMetrics m = GpuMetrics.of(List.of(GPU0), rampUpDown(false), 0, 10 * S, 1200L);
    GpuMetrics.Device d = m.devices().getFirst();
    assertThat(d.energyJoules()).isCloseTo(500.0 + 700.0, within(1e-9));
    assertThat(d.energySpanNanos()).isEqualTo(3 * S);
    assertThat(d.energyExtrapolatedNanos()).isEqualTo(7 * S);
    assertThat(m.tokensPerJoule()).isCloseTo(1.0, within(1e-12));
  }

  /**
   * The counter is read once a second, so its last reading may fall before the window ends: the
   * power samples, read every tick, cover the rest, and the joules cover the tokens' interval.
   */
  @Test
  void powerSamplesCoverTheWindowEdgeTheCounterDoesNotReach() {
    List<GpuTick> ticks =
        ticks(
            sample(0, 0, 90, 300.0, 0L),
            sample(S / 2, 0, 90, 300.0, null),
            sample(S, 0, 90, 300.0, 300_000L),
            sample(3 * S / 2, 0, 90, 300.0, null),
            sample(2 * S, 0, 90, 300.0, 600_000L),
            sample(5 * S / 2, 0, 90, 300.0, null));
    long end = 2400 * S / 1000;
    GpuMetrics m = GpuMetrics.of(List.of(GPU0), ticks, 0, end, 720L);
    GpuMetrics.Device d = m.devices().getFirst();
    assertThat(d.energySource()).isEqualTo(GpuMetrics.EnergySource.COUNTER_AND_POWER);
    // 600 J counted over 0..2 s, 300 W x 0.4 s from the power samples after it.
    assertThat(d.energyJoules()).isCloseTo(720.0, within(1e-9));
    assertThat(d.energySpanNanos()).isEqualTo(end);
    assertThat(d.energyExtrapolatedNanos()).isNull();
    // Not 720 tokens / 600 J = 1.2: the counter's 2 s are not the tokens' 2.4 s.
    assertThat(m.tokensPerJoule()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void counterGoingBackwardsFallsBackToPower() {
    List<GpuTick> ticks =
        ticks(
            sample(0, 0, 80, 100.0, 1_000_000L),
            sample(1 * S, 0, 90, 200.0, 1_150_000L),
            sample(2 * S, 0, 100, 200.0, 900_000L), // driver reloaded
            sample(3 * S, 0, 90, 100.0, 1_050_000L));
    GpuMetrics.Device d = GpuMetrics.of(List.of(GPU0), ticks, 0, 3 * S, null).devices().getFirst();
    assertThat(d.energySource()).isEqualTo(GpuMetrics.EnergySource.POWER_TRAPEZOID);
    assertThat(d.energyJoules()).isCloseTo(500.0, within(1e-9));
  }

  @Test
  void aMissingCounterReadingIsSkipped() {
    List<GpuTick> ticks =
        ticks(
            sample(0, 0, 80, 100.0, 1_000_000L),
            sample(1 * S, 0, 90, null, null), // both reads failed this tick
            sample(2 * S, 0, 100, 200.0, 1_300_000L));
    GpuMetrics.Device d = GpuMetrics.of(List.of(GPU0), ticks, 0, 2 * S, null).devices().getFirst();
    assertThat(d.energySource()).isEqualTo(GpuMetrics.EnergySource.COUNTER);
    assertThat(d.energyJoules()).isCloseTo(300.0, within(1e-9));
    assertThat(d.powerWatts().count()).isEqualTo(2);
  }

  @Test
  void oneSampleGivesNoEnergyAndAbsentFiguresStayNull() {
    GpuSample bare = new GpuSample(S, 0, null, null, null, null, null, null, null, null, List.of());
    GpuMetrics m = GpuMetrics.of(List.of(GPU0, GPU1), List.of(tick(bare)), 0, 2 * S, 1000L);
    GpuMetrics.Device d0 = m.devices().get(0);
    assertThat(d0.samples()).isEqualTo(1);
    assertThat(d0.smUtilPercent()).isNull();
    assertThat(d0.powerWatts()).isNull();
    assertThat(d0.energyJoules()).isNull();
    assertThat(d0.energySource()).isNull();
    assertThat(d0.energySpanNanos()).isNull();
    GpuMetrics.Device d1 = m.devices().get(1); // never sampled
    assertThat(d1.samples()).isZero();
    assertThat(d1.memoryUsedBytes()).isNull();
    assertThat(m.energyJoules()).isNull();
    assertThat(m.tokensPerJoule()).isNull();
    assertThat(m.imbalance()).isNull();
  }

  @Test
  void totalEnergyNeedsEveryDeviceAndTokensNeedAPositiveCount() {
    List<GpuTick> ticks = new ArrayList<>();
    for (int i = 0; i <= 2; i++) {
      ticks.add(
          tick(
              sample(i * S, 0, 50, 100.0, 1_000_000L + i * 100_000L),
              sample(i * S, 1, 50, 300.0, null)));
    }
    GpuMetrics m = GpuMetrics.of(List.of(GPU0, GPU1), ticks, 0, 2 * S, 800L);
    assertThat(m.devices().get(0).energyJoules()).isCloseTo(200.0, within(1e-9));
    assertThat(m.devices().get(1).energyJoules()).isCloseTo(600.0, within(1e-9));
    assertThat(m.energyJoules()).isCloseTo(800.0, within(1e-9));
    assertThat(m.tokensPerJoule()).isCloseTo(1.0, within(1e-12));
    assertThat(GpuMetrics.of(List.of(GPU0, GPU1), ticks, 0, 2 * S, 0L).tokensPerJoule()).isNull();
  }

  @Test
  void idleDevicesAreFlagged() {
    List<GpuDevice> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(new GpuDevice(i, "H100", "GPU-" + i, null, null));
    }
    int[][] sm = {{90, 84}, {80, 76}, {2, 0}, {0, 0}}; // means 87, 78, 1, 0
    List<GpuTick> ticks = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      List<GpuSample> tick = new ArrayList<>();
      for (int d = 0; d < 4; d++) {
        tick.add(sample(t * S, d, sm[d][t], 100.0, null));
      }
      ticks.add(new GpuTick(t * S, tick));
    }
    GpuMetrics.Imbalance imb = GpuMetrics.of(four, ticks, 0, S, null).imbalance();
    assertThat(imb).isNotNull();
    assertThat(imb.spreadPercentPoints()).isCloseTo(87.0, within(1e-9));
    assertThat(imb.idleDeviceIndexes()).containsExactly(2, 3);
    assertThat(imb.message())
        .isEqualTo("2 of 4 GPUs idle (mean SM: GPU 2 1%, GPU 3 0%) while GPU 0 averaged 87%");
  }

  @Test
  void unevenButNotIdleIsFlaggedFromFiftyPoints() {
    List<GpuTick> uneven =
        List.of(tick(sample(0, 0, 80, null, null), sample(0, 1, 30, null, null)));
    GpuMetrics.Imbalance imb = GpuMetrics.of(List.of(GPU0, GPU1), uneven, 0, S, null).imbalance();
    assertThat(imb.spreadPercentPoints()).isEqualTo(50.0);
    assertThat(imb.idleDeviceIndexes()).isEmpty();
    assertThat(imb.message()).isEqualTo("GPU SM use uneven: GPU 1 mean 30% vs GPU 0 mean 80%");

    List<GpuTick> close = List.of(tick(sample(0, 0, 80, null, null), sample(0, 1, 31, null, null)));
    assertThat(GpuMetrics.of(List.of(GPU0, GPU1), close, 0, S, null).imbalance()).isNull();

    List<GpuTick> single = List.of(tick(sample(0, 0, 100, null, null)));
    assertThat(GpuMetrics.of(List.of(GPU0, GPU1), single, 0, S, null).imbalance()).isNull();
  }

  @Test
  void processPeaksPerPid() {
    List<GpuTick> ticks =
        ticks(
            sample(
                0,
                0,
                50,
                null,
                null,
                new GpuProcessUsage(4242, 10_000_000_000L, 30),
                new GpuProcessUsage(4243, null, null)),
            sample(S, 0, 50, null, null, new GpuProcessUsage(4242, 20_000_000_000L, null)),
            sample(2 * S, 0, 50, null, null, new GpuProcessUsage(4242, 15_000_000_000L, 50)),
            // outside the window: ignored
            sample(5 * S, 0, 50, null, null, new GpuProcessUsage(4242, 70_000_000_000L, 99)));
    List<GpuMetrics.ProcessPeak> peaks =
        GpuMetrics.of(List.of(GPU0), ticks, 0, 2 * S, null).devices().getFirst().processes();
    assertThat(peaks)
        .containsExactly(
            new GpuMetrics.ProcessPeak(4242, 20_000_000_000L, 50),
            new GpuMetrics.ProcessPeak(4243, null, null));
  }

  @Test
  void samplesOfUnlistedDevicesAreIgnoredAndOrderDoesNotMatter() {
    List<GpuTick> ticks =
        List.of(
            new GpuTick(
                0, List.of(sample(2 * S, 0, 100, 200.0, null), sample(0, 7, 10, 1.0, null))),
            tick(sample(0, 0, 80, 100.0, null)));
    GpuMetrics m = GpuMetrics.of(List.of(GPU0), ticks, 0, 2 * S, null);
    assertThat(m.devices()).hasSize(1);
    assertThat(m.devices().getFirst().energyJoules()).isCloseTo(300.0, within(1e-9));
  }

  @Test
  void rejectsABackwardWindow() {
    assertThatThrownBy(() -> GpuMetrics.of(List.of(GPU0), List.of(), 5, 4, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
