package io.inferscope.report;

/**
 * A gate's result as GitHub-flavoured Markdown: the job summary a CI run shows ({@code
 * $GITHUB_STEP_SUMMARY}), or a file.
 */
public final class GateMarkdown {
  private GateMarkdown() {}

  public static String render(GateResult r) {
    StringBuilder b = new StringBuilder();
    b.append("### inferscope gate: ").append(r.passed() ? "passed" : "failed").append("\n\n");
    b.append(code(r.run()))
        .append(" against ")
        .append(code(r.thresholds()))
        .append(r.baseline() == null ? "" : ", baseline " + code(r.baseline()))
        .append(": ")
        .append(r.summary())
        .append("\n\n");
    b.append("| result | rule | measured | limit | note |\n");
    b.append("|---|---|---|---|---|\n");
    for (GateResult.Outcome o : r.outcomes()) {
      b.append("| ")
          .append(
              switch (o.status()) {
                case PASS -> "✅ pass";
                case FAIL -> "❌ **fail**";
                case SKIPPED -> "➖ skipped";
              })
          .append(" | ")
          .append(code(o.rule().text()))
          .append(" | ")
          .append(text(o.measuredText()))
          .append(" | ")
          .append(text(o.limitText()))
          .append(" | ")
          .append(
              o.reason() != null
                  ? text(o.reason())
                  : o.significance() == null ? "" : text(o.significance()))
          .append(" |\n");
    }
    return b.append('\n').toString();
  }

  /** Text in a table cell: no line break, no cell border, no HTML. */
  private static String text(String s) {
    return Fmt.singleLine(s)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|");
  }

  /** A code span in a table cell, fenced with more backticks than it holds. */
  private static String code(String s) {
    String t = Fmt.singleLine(s).replace("|", "\\|");
    String fence = t.contains("`") ? "``" : "`";
    return fence + (fence.length() > 1 ? " " + t + " " : t) + fence;
  }
}
