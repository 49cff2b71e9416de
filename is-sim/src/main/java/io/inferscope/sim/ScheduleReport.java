package io.inferscope.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the engine kept its schedule over one window: what {@code GET /x-inferscope/schedule} answers
 * (and {@code DELETE}, which also starts a new window). This class is the one place that names the
 * endpoint and its JSON.
 *
 * @param lateness of each event written in the window: the time its socket write returned minus the
 *     time it was due (request arrival + TTFT + the token's gaps). A client that starves the engine
 *     of CPU, or stops reading, makes it grow.
 * @param ttft the engine's own time to first token of each stream whose first text event was
 *     written in the window: that event's {@code x_inferscope_sent_ns} (without stamps, the time
 *     just before its write) minus the time the request's last byte was read. A client's TTFT
 *     exceeds it by the request's way in and the event's way out.
 * @param jitMillis how long the engine's JIT compilers worked in the window, null when its JVM does
 *     not tell: a simulated engine still compiling is not yet the steady engine it stands for
 */
public record ScheduleReport(Spread lateness, Spread ttft, Long jitMillis) {

  /** The endpoint: GET reads the window, DELETE reads it and starts a new one. */
  public static final String PATH = "/x-inferscope/schedule";

  private static final Pattern EVENTS = Pattern.compile("\"events\":(\\d+)");
  private static final Pattern FIRST_TOKENS = Pattern.compile("\"first_tokens\":(\\d+)");
  private static final Pattern JIT = Pattern.compile("\"jit_ms\":(null|\\d+)");
  private static final String NUMBER = "(null|\\d+)";
  private static final Pattern LATENESS = spreadPattern("lateness_ns");
  private static final Pattern TTFT = spreadPattern("ttft_ns");

  public ScheduleReport {
    if (lateness == null || ttft == null) {
      throw new IllegalArgumentException("lateness and ttft are required (Spread.NONE when empty)");
    }
    if (jitMillis != null && jitMillis < 0) {
      throw new IllegalArgumentException("jitMillis must not be negative, got " + jitMillis);
    }
  }

  /**
   * How many values, and their spread; the figures are null when there are none.
   *
   * @param count values recorded
   * @param p50Nanos median
   * @param p99Nanos 99th percentile
   * @param maxNanos largest
   */
  public record Spread(long count, Long p50Nanos, Long p99Nanos, Long maxNanos) {
    /** No values. */
    public static final Spread NONE = new Spread(0, null, null, null);

    /**
     * @throws IllegalArgumentException unless the figures are all null with no values, or else all
     *     given with 0 ≤ p50 ≤ p99 ≤ max
     */
    public Spread {
      if (count < 0) {
        throw new IllegalArgumentException("count must not be negative, got " + count);
      }
      boolean none = p50Nanos == null && p99Nanos == null && maxNanos == null;
      if (count == 0 ? !none : (p50Nanos == null || p99Nanos == null || maxNanos == null)) {
        throw new IllegalArgumentException(
            "the figures are null exactly when there are no values: count "
                + count
                + ", p50 "
                + p50Nanos
                + ", p99 "
                + p99Nanos
                + ", max "
                + maxNanos);
      }
      if (count > 0 && !(0 <= p50Nanos && p50Nanos <= p99Nanos && p99Nanos <= maxNanos)) {
        throw new IllegalArgumentException(
            "expected 0 ≤ p50 ≤ p99 ≤ max, got " + p50Nanos + ", " + p99Nanos + ", " + maxNanos);
      }
    }

    String toJson() {
      return "{\"p50\":" + p50Nanos + ",\"p99\":" + p99Nanos + ",\"max\":" + maxNanos + "}";
    }
  }

  /**
   * This JVM's JIT compilation time so far, in ms, or null when it does not tell: what {@link
   * #jitMillis} is the difference of over a window. The engine is a JVM, and while its compilers
   * work it is not yet the steady engine a client is measured against; a client in a JVM reads its
   * own the same way.
   */
  public static Long jitMillisSoFar() {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : null;
  }

  /** Events written in the window. */
  public long events() {
    return lateness.count();
  }

  /**
   * {@code {"events":N,"lateness_ns":{"p50":..,"p99":..,"max":..},"first_tokens":M,
   * "ttft_ns":{..},"jit_ms":J}}, nulls where there are no values.
   */
  public String toJson() {
    return "{\"events\":"
        + lateness.count()
        + ",\"lateness_ns\":"
        + lateness.toJson()
        + ",\"first_tokens\":"
        + ttft.count()
        + ",\"ttft_ns\":"
        + ttft.toJson()
        + ",\"jit_ms\":"
        + jitMillis
        + "}";
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException when {@code json} is not such a report
   */
  public static ScheduleReport parse(String json) {
    try {
      Spread lateness = spread(json, EVENTS, "events", LATENESS, "lateness_ns");
      Spread ttft = spread(json, FIRST_TOKENS, "first_tokens", TTFT, "ttft_ns");
      Matcher jit = JIT.matcher(json);
      if (!jit.find()) {
        throw new IllegalArgumentException("not a schedule report (no jit_ms): " + json);
      }
      return new ScheduleReport(lateness, ttft, value(jit.group(1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a schedule report (a number out of range: " + e.getMessage() + "): " + json, e);
    }
  }

  private static Pattern spreadPattern(String name) {
    return Pattern.compile(
        "\""
            + name
            + "\":\\{\"p50\":"
            + NUMBER
            + ",\"p99\":"
            + NUMBER
            + ",\"max\":"
            + NUMBER
            + "}");
  }

  private static Spread spread(
      String json, Pattern count, String countName, Pattern figures, String figuresName) {
    Matcher n = count.matcher(json);
    if (!n.find()) {
      throw new IllegalArgumentException("not a schedule report (no " + countName + "): " + json);
    }
    Matcher m = figures.matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("not a schedule report (no " + figuresName + "): " + json);
    }
    try {
      return new Spread(
          Long.parseLong(n.group(1)), value(m.group(1)), value(m.group(2)), value(m.group(3)));
    } catch (IllegalArgumentException e) {
      if (e instanceof NumberFormatException) {
        throw e;
      }
      throw new IllegalArgumentException(
          "not a schedule report (" + figuresName + ": " + e.getMessage() + "): " + json, e);
    }
  }

  private static Long value(String s) {
    return s.equals("null") ? null : Long.valueOf(s);
  }
}
