package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

  @Test
  void constantRateIsExact() {
    ArrivalSchedule s = ArrivalSchedule.atRate(50.0, LoadSpec.Arrival.CONSTANT, 1.0, 1);
    for (int i = 0; i < 1000; i++) {
      assertThat(s.nextOffsetNanos()).isEqualTo(i * 20_000_000L);
    }
  }

  @Test
  void constantRateNeverAccumulatesRounding() {
    ArrivalSchedule s = ArrivalSchedule.atRate(3.0, LoadSpec.Arrival.CONSTANT, 1.0, 1);
    long last = 0;
    for (int i = 0; i <= 3000; i++) {
      last = s.nextOffsetNanos();
    }
    assertThat(last).isEqualTo(1_000_000_000_000L);
  }

  @Test
  void poissonIsSeededAndHasTheRightMean() {
    ArrivalSchedule a = ArrivalSchedule.atRate(100.0, LoadSpec.Arrival.POISSON, 1.0, 7);
    ArrivalSchedule b = ArrivalSchedule.atRate(100.0, LoadSpec.Arrival.POISSON, 1.0, 7);
    ArrivalSchedule c = ArrivalSchedule.atRate(100.0, LoadSpec.Arrival.POISSON, 1.0, 8);
    assertThat(a.nextOffsetNanos()).isZero();
    b.nextOffsetNanos();
    c.nextOffsetNanos();
    long prev = 0;
    long lastA = 0;
    boolean differs = false;
    int n = 20_000;
    for (int i = 1; i <= n; i++) {
      lastA = a.nextOffsetNanos();
      assertThat(lastA).isEqualTo(b.nextOffsetNanos()).isGreaterThanOrEqualTo(prev);
      differs |= lastA != c.nextOffsetNanos();
      prev = lastA;
    }
    assertThat(differs).isTrue();
    // Mean gap 10 ms; over 20,000 gaps the standard error is 0.7 %.
    assertThat(lastA / (double) n).isCloseTo(10_000_000.0, within(400_000.0));
  }

  /** Mean rate and coefficient of variation of {@code n} gaps. */
  private static double[] rateAndCv(ArrivalSchedule s, int n) {
    long prev = s.nextOffsetNanos();
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      long next = s.nextOffsetNanos();
      double gap = (next - prev) / 1e9;
      prev = next;
      sum += gap;
      sumSq += gap * gap;
    }
    double mean = sum / n;
    double sd = Math.sqrt(sumSq / n - mean * mean);
    return new double[] {1 / mean, sd / mean};
  }

  @Test
  void poissonAndGammaHaveTheAskedRateAndVariation() {
    int n = 200_000;
    // Poisson: CV 1; gamma of shape k: CV 1/sqrt(k), 1 being Poisson again.
    double[] poisson = rateAndCv(ArrivalSchedule.atRate(50.0, LoadSpec.Arrival.POISSON, 1.0, 3), n);
    assertThat(poisson[0]).isCloseTo(50.0, within(0.5));
    assertThat(poisson[1]).isCloseTo(1.0, within(0.02));
    for (double k : new double[] {0.25, 0.5, 1.0, 4.0}) {
      double[] g = rateAndCv(ArrivalSchedule.atRate(50.0, LoadSpec.Arrival.GAMMA, k, 5), n);
      assertThat(g[0]).as("rate at shape %s", k).isCloseTo(50.0, within(0.75));
      assertThat(g[1]).as("CV at shape %s", k).isCloseTo(1 / Math.sqrt(k), within(0.04));
    }
  }

  @Test
  void gammaIsSeeded() {
    ArrivalSchedule a = ArrivalSchedule.atRate(10.0, LoadSpec.Arrival.GAMMA, 0.3, 11);
    ArrivalSchedule b = ArrivalSchedule.atRate(10.0, LoadSpec.Arrival.GAMMA, 0.3, 11);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextOffsetNanos()).isEqualTo(b.nextOffsetNanos());
    }
  }

  @Test
  void aFixedScheduleGivesTheItemsTimesThenEnds() {
    Workload w =
        new Workload(
            java.util.List.of(
                new WorkItem(new Prompt.Text("a"), null, 0L, null),
                new WorkItem(new Prompt.Text("b"), null, 0L, null),
                new WorkItem(new Prompt.Text("c"), null, 1_500_000L, null)),
            false,
            Workload.prompt("x").facts());
    ArrivalSchedule s = ArrivalSchedule.fixed(w);
    assertThat(s.nextOffsetNanos()).isZero();
    assertThat(s.nextOffsetNanos()).isZero();
    assertThat(s.nextOffsetNanos()).isEqualTo(1_500_000L);
    assertThat(s.nextOffsetNanos()).isEqualTo(-1);
  }
}
