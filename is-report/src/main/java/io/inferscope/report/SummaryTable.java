package io.inferscope.report;

import io.inferscope.core.Summary;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-width table of {@link Summary} rows (count, mean, p50, p90, p95, p99, max) for the
 * terminal report. 95 columns wide. A row without figures prints {@link Fmt#ABSENT} in every cell.
 */
final class SummaryTable {

  static final int LABEL_WIDTH = 26;
  private static final int COUNT_WIDTH = 7;
  private static final int VALUE_WIDTH = 10;
  private static final String INDENT = "  ";

  /** From nanoseconds, rows switch to seconds at this size, so a cell never needs 6 digits. */
  private static final double SECONDS_FROM_NANOS = 10e9;

  private final List<String> lines = new ArrayList<>();

  SummaryTable() {
    lines.add(
        INDENT
            + Fmt.padRight("", LABEL_WIDTH)
            + Fmt.padLeft("count", COUNT_WIDTH)
            + cells("mean", "p50", "p90", "p95", "p99", "max"));
  }

  /**
   * A row of nanosecond figures shown in milliseconds, or in seconds when the largest reaches 10 s;
   * the label gets the unit.
   */
  SummaryTable time(String label, Summary nanos) {
    boolean seconds = nanos != null && nanos.max() >= SECONDS_FROM_NANOS;
    double factor = seconds ? 1e-9 : 1e-6;
    return row(label + (seconds ? " (s)" : " (ms)"), nanos == null ? null : nanos.scaled(factor));
  }

  /** A row shown as it is; {@code label} carries the unit. */
  SummaryTable row(String label, Summary s) {
    String head = INDENT + Fmt.padRight(Fmt.fit(label, LABEL_WIDTH), LABEL_WIDTH);
    if (s == null) {
      lines.add(
          head
              + Fmt.padLeft(Fmt.ABSENT, COUNT_WIDTH)
              + cells(Fmt.ABSENT, Fmt.ABSENT, Fmt.ABSENT, Fmt.ABSENT, Fmt.ABSENT, Fmt.ABSENT));
    } else {
      lines.add(
          head
              + Fmt.padLeft(Integer.toString(s.count()), COUNT_WIDTH)
              + cells(
                  Fmt.sig4(s.mean()),
                  Fmt.sig4(s.p50()),
                  Fmt.sig4(s.p90()),
                  Fmt.sig4(s.p95()),
                  Fmt.sig4(s.p99()),
                  Fmt.sig4(s.max())));
    }
    return this;
  }

  /** Whether any row was added below the header. */
  boolean hasRows() {
    return lines.size() > 1;
  }

  void appendTo(StringBuilder out) {
    for (String line : lines) {
      out.append(line).append('\n');
    }
  }

  private static String cells(String... values) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      b.append(Fmt.padLeft(v, VALUE_WIDTH));
    }
    return b.toString();
  }
}
