package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void noValuesIsAbsentNotZero() {
    assertThat(Summary.of(new double[0])).isNull();
    assertThat(Summary.of(new long[0])).isNull();
  }

  @Test
  void percentilesInterpolateBetweenClosestRanksLikeNumpy() {
    // numpy.percentile([1,2,3,4,5,6,7,8,9,10], [50,90,95,99]) = 5.5, 9.1, 9.55, 9.91
    double[] v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    Summary s = Summary.of(v);
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.p50()).isCloseTo(5.5, within(1e-12));
    assertThat(s.p90()).isCloseTo(9.1, within(1e-12));
    assertThat(s.p95()).isCloseTo(9.55, within(1e-12));
    assertThat(s.p99()).isCloseTo(9.91, within(1e-12));
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(10);
    assertThat(s.mean()).isEqualTo(5.5);
    // population stddev of 1..10 = sqrt(8.25)
    assertThat(s.stddev()).isCloseTo(Math.sqrt(8.25), within(1e-12));
    assertThat(v[0]).as("input left unsorted").isEqualTo(10);
  }

  @Test
  void singleValueIsEveryPercentile() {
    Summary s = Summary.of(new long[] {42});
    assertThat(s.p50()).isEqualTo(42);
    assertThat(s.p99()).isEqualTo(42);
    assertThat(s.stddev()).isZero();
  }

  @Test
  void twoValuesInterpolate() {
    // rank h = (2-1)*0.99 = 0.99 -> 100 + 0.99 * 100
    Summary s = Summary.of(new long[] {200, 100});
    assertThat(s.p99()).isCloseTo(199.0, within(1e-9));
    assertThat(s.p50()).isCloseTo(150.0, within(1e-9));
  }

  @Test
  void rejectsPercentileOutsideRange() {
    assertThatThrownBy(() -> Summary.percentileOfSorted(new double[] {1}, 101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Summary.percentileOfSorted(new double[0], 50))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scaledConvertsUnits() {
    Summary ms = Summary.of(new long[] {1_000_000, 3_000_000}).scaled(1e-6);
    assertThat(ms.mean()).isCloseTo(2.0, within(1e-12));
    assertThat(ms.max()).isCloseTo(3.0, within(1e-12));
  }

  @Test
  void valuesGatheredOneByOneSummariseAsTheSameValuesAtOnce() {
    Summary.Values v = new Summary.Values();
    assertThat(v.summary()).isNull();
    double[] all = new double[100];
    for (int i = 0; i < all.length; i++) {
      // Past the first capacity, out of order.
      all[i] = (i * 37) % 100;
      v.add(all[i]);
    }
    assertThat(v.summary()).isEqualTo(Summary.of(all));
  }
}
