package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The numbers a sweep's one-line reasons print. */
class SweepFormatTest {

  @Test
  void threeSignificantDigitsWithoutTrailingZeros() {
    assertThat(SweepAnalysis.sig3(310)).isEqualTo("310");
    assertThat(SweepAnalysis.sig3(2.354)).isEqualTo("2.35");
    assertThat(SweepAnalysis.sig3(86)).isEqualTo("86");
    assertThat(SweepAnalysis.sig3(0.8)).isEqualTo("0.8");
    assertThat(SweepAnalysis.sig3(9.996)).isEqualTo("10");
    assertThat(SweepAnalysis.sig3(12345)).isEqualTo("12300");
    assertThat(SweepAnalysis.sig3(-2.5)).isEqualTo("-2.5");
    assertThat(SweepAnalysis.sig3(0)).isEqualTo("0");
  }

  @Test
  void levelValuesInTheirShortestForm() {
    assertThat(SweepAxis.number(4)).isEqualTo("4");
    assertThat(SweepAxis.number(0.5)).isEqualTo("0.5");
    assertThat(SweepAxis.number(1.25)).isEqualTo("1.25");
    assertThat(SweepAxis.RATE.level(8)).isEqualTo("rate 8/s");
  }
}
