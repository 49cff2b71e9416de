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
}
