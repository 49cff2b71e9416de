package io.inferscope.core;

import java.util.List;

/**
 * The engine's own metrics ({@code /metrics}) as scraped during the run, raw: every series it
 * served, every read on the run clock. {@link EngineView} derives the canonical figures.
 *
 * @param url where they were read
 * @param engine which engine's names to read them by ({@link EngineKind}), as detected or given
 * @param series every series seen, in the order first seen
 * @param scrapes the reads, or why there were none
 * @param skippedReads reads not made because the one before overran its period
 * @param failedReads reads that failed (refused, timed out, an error status) and were skipped
 */
public record EngineMetrics(
    String url,
    EngineKind engine,
    List<EngineSeries> series,
    Timeline<EngineScrape> scrapes,
    int skippedReads,
    int failedReads) {

  public EngineMetrics {
    series = List.copyOf(series);
  }

  /** No engine metrics: not read (switched off, or a run saved before they were). */
  public static EngineMetrics unavailable(String url, long periodNanos, String reason) {
    return new EngineMetrics(
        url,
        EngineKind.UNKNOWN,
        List.of(),
        Timeline.unavailable("engine-metrics", periodNanos, reason),
        0,
        0);
  }
}
