package io.inferscope.report;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunComparison;
import java.util.List;

/**
 * The comparison document, bound by Jackson with the run document's rules ({@link ReportJson}):
 * names in snake_case, nulls written, enums in lower case. Everything below the top level is a core
 * record as it is. Published as {@code docs/schema/compare.schema.json}.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}; changes whenever a field is added, removed,
 *     renamed or changes meaning
 * @param tool what wrote the file
 * @param bootstrap how the intervals were computed: percentile bootstrap of {@code B - A}, each run
 *     resampled by request with replacement (ADR 0016)
 * @param minEffectPercent the smallest difference, in percent of the baseline, a time or rate must
 *     show to be called a regression or an improvement
 * @param runs every run, the baseline first
 * @param pairs each run after the first against the baseline, in order
 */
record CompareDocument(
    int schemaVersion,
    RunDocument.Tool tool,
    Bootstrap.Settings bootstrap,
    double minEffectPercent,
    List<RunComparison.Run> runs,
    List<RunComparison.Pair> pairs) {

  static final int SCHEMA_VERSION = 1;

  /** The document; {@code toolVersion} is the comparing inferscope's (each run names its own). */
  static CompareDocument of(RunComparison c, String toolVersion) {
    return new CompareDocument(
        SCHEMA_VERSION,
        new RunDocument.Tool(RunDocument.TOOL_NAME, toolVersion),
        c.settings(),
        c.minEffectPercent(),
        c.runs(),
        c.pairs());
  }
}
