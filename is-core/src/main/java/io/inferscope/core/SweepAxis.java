package io.inferscope.core;

/** What a load sweep varies from one level to the next. */
public enum SweepAxis {
  /** Closed loop: requests kept in flight at once. */
  CONCURRENCY("concurrency", ""),
  /** Open loop: requests sent per second. */
  RATE("rate", "/s");

  private final String label;
  private final String unit;

  SweepAxis(String label, String unit) {
    this.label = label;
    this.unit = unit;
  }

  /** The axis in words: {@code concurrency} or {@code rate}. */
  public String label() {
    return label;
  }

  /** A level's value with its unit, as reports print it: {@code 4}, {@code 0.5/s}. */
  public String value(double v) {
    return number(v) + unit;
  }

  /** A level in words: {@code concurrency 4}, {@code rate 8/s}. */
  public String level(double v) {
    return label + " " + value(v);
  }

  /** Whole values without a decimal point, others in their shortest exact decimal form. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    // Double.toString is the shortest exact form; only an exponent needs spelling out.
    String s = Double.toString(v);
    return s.contains("E")
        ? String.format(java.util.Locale.ROOT, "%.10f", v).replaceAll("0+$", "")
        : s;
  }
}
