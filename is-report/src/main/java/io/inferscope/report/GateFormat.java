package io.inferscope.report;

import java.math.BigDecimal;

/** How a gate shows a figure: in the unit its name gives, at {@link Fmt#sig4} precision. */
final class GateFormat {
  private GateFormat() {}

  /** A number as short as it is exact: {@code 250}, {@code 1.1}, {@code 0.95}. */
  static String plain(double d) {
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /** {@code 87.88 ms}, {@code 95.83 %}, {@code 0.958}, {@code 12}, {@code 4.4}. */
  static String value(double v, Gate.FigureUnit unit) {
    return switch (unit) {
      case NANOS -> nanos(v);
      case MILLIS -> nanos(v * 1e6);
      case PERCENT -> sig4(v) + " %";
      case RATIO -> sig4(v);
      case NONE -> v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : sig4(v);
    };
  }

  /** {@link Fmt#sig4} without trailing zeros, so a limit reads as written: 10 s, not 10.00 s. */
  private static String sig4(double v) {
    String s = Fmt.sig4(v);
    return s.indexOf('.') < 0 ? s : s.replaceFirst("\\.?0+$", "");
  }

  private static String nanos(double ns) {
    double a = Math.abs(ns);
    if (a < 1e3) {
      return sig4(ns) + " ns";
    }
    if (a < 1e6) {
      return sig4(ns / 1e3) + " µs";
    }
    if (a < 1e9) {
      return sig4(ns / 1e6) + " ms";
    }
    return sig4(ns / 1e9) + " s";
  }
}
