package io.inferscope.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1.5s}; a bare number is
 * seconds.
 *
 * <p>Public, as the converter and {@link #format}, for inferscope-bench's options, which read
 * durations as every inferscope command does (ADR 0001).
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** For settings where zero means none (e.g. jitter, a stop grace). */
  static final class NonNegative implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (m.matches() && Double.parseDouble(m.group(1)) == 0) {
        return Duration.ZERO;
      }
      return parse(value);
    }
  }

  static Duration parse(String value) {
    Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration: use e.g. 500ms, 30s, 5m or 1h");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanos =
        switch (unit) {
          case "ms" -> n * 1e6;
          case "s" -> n * 1e9;
          case "m" -> n * 60e9;
          default -> n * 3600e9;
        };
    if (nanos < 1 || nanos > Long.MAX_VALUE / 2.0) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is out of range: give a positive duration under a few centuries");
    }
    return Duration.ofNanos((long) nanos);
  }

  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
