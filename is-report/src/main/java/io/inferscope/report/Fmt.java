package io.inferscope.report;

import java.util.Locale;

/**
 * Number and text formatting for the terminal report. Every figure that may be absent goes through
 * here so that absent always prints as {@link #ABSENT}, never as 0. Locale-independent: a report
 * must read the same on every machine.
 */
final class Fmt {

  /** What an absent figure prints as. */
  static final String ABSENT = "-";

  private static final double NANOS_PER_MS = 1e6;
  private static final double NANOS_PER_S = 1e9;

  private Fmt() {}

  /**
   * Four significant digits, at most three decimals: 0.123, 1.234, 12.34, 123.4, 1234, 12345.
   * Enough to compare runs without implying precision the clock does not have.
   */
  static String sig4(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return ABSENT;
    }
    double a = Math.abs(v);
    int decimals;
    if (a < 10) {
      decimals = 3;
    } else if (a < 100) {
      decimals = 2;
    } else if (a < 1000) {
      decimals = 1;
    } else {
      decimals = 0;
    }
    // Rounding can carry into the next magnitude (9.9996 -> 10.000): redo with one decimal less.
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    if (decimals > 0 && Math.abs(Double.parseDouble(s)) >= Math.pow(10, 4 - decimals)) {
      s = String.format(Locale.ROOT, "%." + (decimals - 1) + "f", v);
    }
    return s;
  }

  /** A nanosecond figure in milliseconds, {@link #sig4} precision, without unit. */
  static String ms(Double nanos) {
    return nanos == null ? ABSENT : sig4(nanos / NANOS_PER_MS);
  }

  /** A nanosecond figure in milliseconds, {@link #sig4} precision, without unit. */
  static String ms(Long nanos) {
    return nanos == null ? ABSENT : ms(nanos.doubleValue());
  }

  /** A nanosecond figure in seconds, {@link #sig4} precision, without unit. */
  static String seconds(Double nanos) {
    return nanos == null ? ABSENT : sig4(nanos / NANOS_PER_S);
  }

  /** A percentage with one decimal and its sign: {@code 98.4 %}. */
  static String percent(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return ABSENT;
    }
    return String.format(Locale.ROOT, "%.1f %%", v);
  }

  /** A span of time for a person: {@code 850 ms}, {@code 12.35 s}, {@code 2 m 05 s}, ... */
  static String duration(Long nanos) {
    if (nanos == null) {
      return ABSENT;
    }
    long n = nanos;
    if (Math.abs(n) < 1_000_000_000L) {
      return ms(nanos) + " ms";
    }
    if (Math.abs(n) < 60_000_000_000L) {
      return seconds(nanos.doubleValue()) + " s";
    }
    long totalSeconds = Math.round(n / NANOS_PER_S);
    long h = totalSeconds / 3600;
    long m = (totalSeconds % 3600) / 60;
    long s = totalSeconds % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d h %02d m %02d s", h, m, s)
        : String.format(Locale.ROOT, "%d m %02d s", m, s);
  }

  /**
   * A byte figure in binary units with its unit, {@link #sig4} precision: {@code 512 B}, {@code
   * 1.500 KiB}, {@code 12.00 MiB}, {@code 1.234 GiB}.
   */
  static String bytes(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return ABSENT;
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double scaled = v;
    int unit = 0;
    // Switch at 1000 of a unit, not 1024, so a figure never needs five digits ("1023 KiB"); 999.95
    // already rounds to 1000.
    while (Math.abs(scaled) >= 999.95 && unit < units.length - 1) {
      scaled /= 1024;
      unit++;
    }
    // Bytes are whole: no decimals on a count.
    return (unit == 0 ? Long.toString(Math.round(scaled)) : sig4(scaled)) + " " + units[unit];
  }

  /** A byte figure; see {@link #bytes(Double)}. */
  static String bytes(Long v) {
    return v == null ? ABSENT : bytes(v.doubleValue());
  }

  /** An integer figure, or {@link #ABSENT}. */
  static String count(Number v) {
    return v == null ? ABSENT : Long.toString(v.longValue());
  }

  /**
   * Text from outside (server bodies, error messages) made safe for one terminal line: control
   * characters, escape sequences included, become spaces and runs of whitespace collapse.
   */
  static String singleLine(String text) {
    if (text == null) {
      return ABSENT;
    }
    StringBuilder b = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean blank = Character.isWhitespace(c) || Character.isISOControl(c);
      if (blank) {
        if (!space && !b.isEmpty()) {
          b.append(' ');
        }
        space = true;
      } else {
        b.append(c);
        space = false;
      }
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == ' ') {
      end--;
    }
    return b.substring(0, end);
  }

  /** Cuts {@code text} to at most {@code width} characters, marking the cut with "...". */
  static String fit(String text, int width) {
    if (text.length() <= width) {
      return text;
    }
    if (width <= 3) {
      return text.substring(0, width);
    }
    int cut = width - 3;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--; // never split a surrogate pair
    }
    return text.substring(0, cut) + "...";
  }

  static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  static String padRight(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
