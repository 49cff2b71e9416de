package io.inferscope.report;

import io.inferscope.core.RunComparison;
import io.inferscope.core.RunComparison.Figure;
import io.inferscope.core.RunComparison.Pair;
import io.inferscope.core.RunComparison.Run;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The comparison as Markdown, for a pull request or a wiki: the runs, how the intervals were
 * computed, then per run against the baseline what differs and a table of every figure. The cells
 * are {@link CompareText}'s; text from outside (file names, model names) is escaped so it cannot
 * break the table.
 */
public final class CompareMarkdown {

  private CompareMarkdown() {}

  /** The whole document, lines ending in {@code \n}. */
  public static String render(RunComparison c) {
    StringBuilder out = new StringBuilder(8192);
    out.append("# inferscope comparison of ").append(c.runs().size()).append(" runs\n\n");
    out.append("| run | file | engine |\n|---|---|---|\n");
    for (int i = 0; i < c.runs().size(); i++) {
      Run r = c.runs().get(i);
      out.append("| ")
          .append(CompareText.letter(i))
          .append(i == 0 ? " (baseline)" : "")
          .append(" | ")
          .append(cell(r.label()))
          .append(" | ")
          .append(cell(CompareText.runLine(r)))
          .append(" |\n");
    }
    out.append('\n').append(esc(CompareText.method(c))).append(".\n");
    for (int i = 0; i < c.pairs().size(); i++) {
      pair(out, c, c.pairs().get(i), i + 1);
    }
    return out.toString();
  }

  /** Writes the document to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(RunComparison c, Path path) throws IOException {
    AtomicFiles.write(path, render(c));
  }

  private static void pair(StringBuilder out, RunComparison c, Pair p, int index) {
    String b = CompareText.letter(index);
    out.append("\n## ")
        .append(b)
        .append(" against A (baseline): ")
        .append(esc(TextReport.text(p.run().label())))
        .append("\n\n");
    if (p.differences().isEmpty()) {
      out.append("The runs' settings are the same.\n\n");
    } else {
      out.append("What differs (the figures are compared anyway):\n\n");
      for (String d : p.differences()) {
        out.append("- ").append(esc(TextReport.text(d))).append('\n');
      }
      out.append('\n');
    }
    out.append("| figure | A | ")
        .append(b)
        .append(" | Δ | Δ % | ")
        .append(CompareText.confidence(c.settings()))
        .append(" interval | verdict |\n")
        .append("|---|---:|---:|---:|---:|---|---|\n");
    for (Figure f : p.figures()) {
      out.append("| ")
          .append(cell(name(f)))
          .append(" | ")
          .append(CompareText.value(f.unit(), f.baseline()))
          .append(" | ")
          .append(CompareText.value(f.unit(), f.value()))
          .append(" | ")
          .append(CompareText.signed(f.unit(), f.delta()))
          .append(" | ")
          .append(CompareText.percent(f.deltaPercent()))
          .append(" | ")
          .append(f.interval() == null ? "" : CompareText.interval(f))
          .append(" | ")
          .append(
              f.verdict().significant()
                  ? "**" + CompareText.verdict(f) + "**"
                  : cell(CompareText.verdict(f)) + under(c, f))
          .append(" |\n");
    }
    out.append("\n**Verdict:** ").append(esc(CompareText.summary(p))).append(".\n");
  }

  /** For a difference beyond noise but under the minimum effect, a word saying so. */
  static String under(RunComparison c, Figure f) {
    return f.verdict() == RunComparison.Verdict.NO_SIGNIFICANT_DIFFERENCE && f.note() != null
        ? " (beyond resampling noise, under the "
            + CompareText.number(c.minEffectPercent())
            + " % minimum effect)"
        : "";
  }

  /** The figure with its unit, e.g. {@code TTFT p50 (ms)}. */
  static String name(Figure f) {
    return CompareText.withUnit(f);
  }

  /** Text in a table cell: one line, no pipe. */
  private static String cell(String s) {
    return esc(TextReport.text(s));
  }

  /** Markdown's active characters escaped, so outside text shows as it is. */
  private static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if ("\\`*_[]<>#|".indexOf(ch) >= 0) {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.toString();
  }
}
