package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FmtTest {

  @Test
  void fourSignificantDigits() {
    assertThat(Fmt.sig4(0.1234)).isEqualTo("0.123");
    assertThat(Fmt.sig4(1.23456)).isEqualTo("1.235");
    assertThat(Fmt.sig4(12.344)).isEqualTo("12.34");
    assertThat(Fmt.sig4(123.44)).isEqualTo("123.4");
    assertThat(Fmt.sig4(1234.4)).isEqualTo("1234");
    assertThat(Fmt.sig4(123456.7)).isEqualTo("123457");
    assertThat(Fmt.sig4(-12.344)).isEqualTo("-12.34");
    assertThat(Fmt.sig4(0.0)).isEqualTo("0.000");
  }

  @Test
  void roundingIntoTheNextMagnitudeKeepsFourDigits() {
    assertThat(Fmt.sig4(9.9996)).isEqualTo("10.00");
    assertThat(Fmt.sig4(99.996)).isEqualTo("100.0");
    assertThat(Fmt.sig4(999.96)).isEqualTo("1000");
  }

  @Test
  void bytesInBinaryUnitsWithFourDigits() {
    assertThat(Fmt.bytes(0L)).isEqualTo("0 B");
    assertThat(Fmt.bytes(512L)).isEqualTo("512 B");
    assertThat(Fmt.bytes(999L)).isEqualTo("999 B");
    assertThat(Fmt.bytes(1000L)).isEqualTo("0.977 KiB");
    assertThat(Fmt.bytes(1536L)).isEqualTo("1.500 KiB");
    assertThat(Fmt.bytes(60L * 1024)).isEqualTo("60.00 KiB");
    assertThat(Fmt.bytes(400L * 1024 * 1024)).isEqualTo("400.0 MiB");
    assertThat(Fmt.bytes(85_520_809_984L)).isEqualTo("79.65 GiB");
    assertThat(Fmt.bytes(999.96)).isEqualTo("0.977 KiB");
    assertThat(Fmt.bytes(3.0 * (1L << 40))).isEqualTo("3.000 TiB");
    assertThat(Fmt.bytes((Long) null)).isEqualTo("-");
    assertThat(Fmt.bytes(Double.NaN)).isEqualTo("-");
  }

  @Test
  void absentAndNonFiniteAreADash() {
    assertThat(Fmt.sig4(null)).isEqualTo("-");
    assertThat(Fmt.sig4(Double.NaN)).isEqualTo("-");
    assertThat(Fmt.sig4(Double.POSITIVE_INFINITY)).isEqualTo("-");
    assertThat(Fmt.ms((Long) null)).isEqualTo("-");
    assertThat(Fmt.ms((Double) null)).isEqualTo("-");
    assertThat(Fmt.seconds(null)).isEqualTo("-");
    assertThat(Fmt.percent(null)).isEqualTo("-");
    assertThat(Fmt.duration(null)).isEqualTo("-");
    assertThat(Fmt.count(null)).isEqualTo("-");
  }

  @Test
  void nanosecondsToMillisecondsAndSeconds() {
    assertThat(Fmt.ms(52_104_000L)).isEqualTo("52.10");
    assertThat(Fmt.ms(1_500L)).isEqualTo("0.002");
    assertThat(Fmt.ms(4_321_000_000L)).isEqualTo("4321");
    assertThat(Fmt.seconds(12_345_600_000.0)).isEqualTo("12.35");
  }

  @Test
  void percentages() {
    assertThat(Fmt.percent(50.0)).isEqualTo("50.0 %");
    assertThat(Fmt.percent(100.0)).isEqualTo("100.0 %");
    assertThat(Fmt.percent(200.0 / 3)).isEqualTo("66.7 %");
  }

  @Test
  void durationsForPeople() {
    assertThat(Fmt.duration(850_000_000L)).isEqualTo("850.0 ms");
    assertThat(Fmt.duration(2_600_000_000L)).isEqualTo("2.600 s");
    assertThat(Fmt.duration(59_990_000_000L)).isEqualTo("59.99 s");
    assertThat(Fmt.duration(125_000_000_000L)).isEqualTo("2 m 05 s");
    assertThat(Fmt.duration(3_723_000_000_000L)).isEqualTo("1 h 02 m 03 s");
  }

  @Test
  void outsideTextBecomesOnePrintableLine() {
    assertThat(Fmt.singleLine("a\n  b\tc\r\n")).isEqualTo("a b c");
    assertThat(Fmt.singleLine("\u001b[31mred\u001b[0m")).isEqualTo("[31mred [0m");
    assertThat(Fmt.singleLine(null)).isEqualTo("-");
  }

  @Test
  void fitCutsAndMarks() {
    assertThat(Fmt.fit("abcdef", 6)).isEqualTo("abcdef");
    assertThat(Fmt.fit("abcdefg", 6)).isEqualTo("abc...");
    assertThat(Fmt.fit("ab\uD83D\uDE00cdef", 6)).isEqualTo("ab...");
    assertThat(Fmt.padLeft("7", 3)).isEqualTo("  7");
    assertThat(Fmt.padRight("7", 3)).isEqualTo("7  ");
  }
}
