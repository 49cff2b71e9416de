package io.inferscope.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The findings the HTML report lists, read from the text report so the two never disagree: the
 * entries of its {@code Findings} block ({@code WARNING} or {@code info}, each with its wrapped
 * continuation lines) and any {@code WARNING:} line elsewhere. Empty when there are none.
 */
final class HtmlFindings {

  /** Text report entries put the message at this column; wrapped lines are indented to it. */
  private static final String CONTINUATION = " ".repeat(11);

  record Entry(boolean warning, String message) {}

  private HtmlFindings() {}

  static List<Entry> of(String textReport) {
    Set<Entry> found = new LinkedHashSet<>();
    boolean inBlock = false;
    Boolean warning = null;
    StringBuilder message = new StringBuilder();
    for (String line : textReport.split("\n", -1)) {
      boolean continues = warning != null && line.startsWith(CONTINUATION) && !line.isBlank();
      if (continues) {
        message.append(' ').append(line.strip());
        continue;
      }
      if (warning != null) {
        found.add(new Entry(warning, message.toString()));
        warning = null;
        message.setLength(0);
      }
      String trimmed = line.strip();
      if (line.equals("Findings")) {
        inBlock = true;
      } else if (inBlock && (line.isBlank() || !line.startsWith(" "))) {
        inBlock = false;
      } else if (inBlock && (trimmed.startsWith("WARNING ") || trimmed.startsWith("info "))) {
        warning = trimmed.startsWith("WARNING");
        message.append(trimmed.substring(trimmed.indexOf(' ')).strip());
      } else if (trimmed.startsWith("WARNING:")) {
        warning = true;
        message.append(trimmed.substring("WARNING:".length()).strip());
      }
    }
    if (warning != null) {
      found.add(new Entry(warning, message.toString()));
    }
    return new ArrayList<>(found);
  }
}
