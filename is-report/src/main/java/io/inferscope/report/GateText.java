package io.inferscope.report;

import java.util.ArrayList;
import java.util.List;

/** A gate's result as a plain text table for the terminal and CI logs. */
public final class GateText {
  private static final int RULE_WIDTH = 64;

  private GateText() {}

  public static String render(GateResult r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"result", "rule", "measured", "limit", ""});
    for (GateResult.Outcome o : r.outcomes()) {
      rows.add(
          new String[] {
            switch (o.status()) {
              case PASS -> "pass";
              case FAIL -> "FAIL";
              case SKIPPED -> "skipped";
            },
            Fmt.fit(Fmt.singleLine(o.rule().text()), RULE_WIDTH),
            o.measuredText(),
            o.limitText(),
            o.reason() != null
                ? Fmt.singleLine(o.reason())
                : o.significance() == null ? "" : Fmt.singleLine(o.significance())
          });
    }
    int[] width = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    b.append("inferscope gate: ")
        .append(r.run())
        .append(" against ")
        .append(r.thresholds())
        .append(r.baseline() == null ? "" : " (baseline " + r.baseline() + ")")
        .append('\n');
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(" ");
      for (int i = 0; i < row.length; i++) {
        line.append(' ').append(i == row.length - 1 ? row[i] : Fmt.padRight(row[i], width[i]));
        if (i < row.length - 1) {
          line.append(' ');
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    b.append("gate ").append(r.passed() ? "passed" : "FAILED").append(": ").append(r.summary());
    return b.append('\n').toString();
  }
}
