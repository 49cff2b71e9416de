package io.inferscope.report;

import java.util.List;

/**
 * What a gate found: one outcome per rule, in the file's order.
 *
 * @param thresholds the thresholds file
 * @param run the run judged (its file, or what the run is called)
 * @param baseline the baseline run's file, or null
 * @param outcomes one per rule
 */
public record GateResult(String thresholds, String run, String baseline, List<Outcome> outcomes) {

  public GateResult {
    outcomes = List.copyOf(outcomes);
  }

  /** A rule's verdict. */
  public enum Status {
    PASS,
    FAIL,
    /** An optional rule ({@code path?}) whose figure the run, or the baseline, lacks. */
    SKIPPED
  }

  /**
   * One rule judged.
   *
   * @param rule as written
   * @param status its verdict
   * @param path the figure read, with every index (for {@code [*]}: the element that failed, or the
   *     one nearest its limit)
   * @param unit the figure's unit
   * @param measured the run's value, or null when the run lacks it
   * @param limit the limit in the figure's unit, or null when the baseline lacks the figure
   * @param baseline the baseline's value for a baseline rule, else null
   * @param reason why there is no value, or null
   * @param significance for a {@code significant} rule past its limit: what {@code compare} said of
   *     the difference (e.g. {@code regression beyond noise: B - A in [+8.2, +20.3] ms}); else null
   */
  public record Outcome(
      GateRule rule,
      Status status,
      String path,
      Gate.FigureUnit unit,
      Double measured,
      Double limit,
      Double baseline,
      String reason,
      String significance) {

    /** The limit for a reader: {@code < 250 ms}, {@code <= 96.67 ms (baseline 87.88 ms × 1.1)}. */
    public String limitText() {
      String value = limit == null ? "?" : GateFormat.value(limit, unit);
      String text = rule.op().symbol() + " " + value;
      if (rule.limit() instanceof GateRule.Baseline b) {
        String base =
            baseline == null ? "baseline" : "baseline " + GateFormat.value(baseline, unit);
        String how =
            b.offset() != null
                ? (b.offset().number() < 0 ? " - " : " + ")
                    + new GateRule.Quantity(Math.abs(b.offset().number()), b.offset().unit())
                : b.factor() != 1 ? " × " + GateFormat.plain(b.factor()) : "";
        text += " (" + base + how + (b.significant() ? ", significant" : "") + ")";
      }
      return text;
    }

    /** The measured value for a reader, or what is missing. */
    public String measuredText() {
      return measured == null ? "not measured" : GateFormat.value(measured, unit);
    }
  }

  /** Whether no rule failed (skipped optional rules pass). */
  public boolean passed() {
    return count(Status.FAIL) == 0;
  }

  public long count(Status s) {
    return outcomes.stream().filter(o -> o.status() == s).count();
  }

  /** e.g. {@code 2 of 3 rules passed, 1 failed}. */
  public String summary() {
    long pass = count(Status.PASS);
    long fail = count(Status.FAIL);
    long skipped = count(Status.SKIPPED);
    return pass
        + " of "
        + outcomes.size()
        + (outcomes.size() == 1 ? " rule" : " rules")
        + " passed"
        + (fail > 0 ? ", " + fail + " failed" : "")
        + (skipped > 0 ? ", " + skipped + " optional skipped" : "");
  }
}
