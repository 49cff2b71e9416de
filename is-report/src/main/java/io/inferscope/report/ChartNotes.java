package io.inferscope.report;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * What each chart of the HTML page shows instead of, or above, its drawing: written into the
 * chart's data for the page script and kept here for the page's markup, so the page never reads its
 * own data back.
 */
final class ChartNotes {

  /**
   * @param unavailable the line shown instead of the chart, or null when there is something to draw
   * @param note a line above the chart (e.g. that a series was down-sampled), or null
   */
  record Note(String unavailable, String note) {}

  private final Map<String, Note> byChart = new HashMap<>();

  /** Writes {@code unavailable} into the current chart object {@code chart}. */
  void unavailable(JsonGenerator g, String chart, String line) {
    g.writeStringProperty("unavailable", line);
    byChart.merge(chart, new Note(line, null), (a, b) -> new Note(line, a.note()));
  }

  /** Writes {@code note} into the current chart object {@code chart}. */
  void note(JsonGenerator g, String chart, String line) {
    g.writeStringProperty("note", line);
    byChart.merge(chart, new Note(null, line), (a, b) -> new Note(a.unavailable(), line));
  }

  Note of(String chart) {
    return byChart.getOrDefault(chart, new Note(null, null));
  }
}
