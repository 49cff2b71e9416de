package io.inferscope.report;

import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import io.inferscope.core.SweepAxis;
import io.inferscope.core.SweepLevel;
import java.time.Instant;
import java.util.List;

/**
 * The sweep document, bound by Jackson with the run document's rules ({@link ReportJson}): names in
 * snake_case with the unit in the name, nulls written. Everything below the top level is a core
 * record as it is. Published as {@code docs/schema/sweep.schema.json}.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}; changes whenever a field is added, removed,
 *     renamed or changes meaning
 * @param tool what wrote the file
 * @param axis {@code concurrency} (closed loop) or {@code rate} (open loop)
 * @param url the engine's base URL
 * @param endpoint {@code chat} or {@code completions}
 * @param model the model name sent, or null
 * @param startedAt when the first level started
 * @param slo the objectives of goodput, or null
 * @param workload where the prompts came from and how their tokens were counted, or null
 * @param levels each level's figures, in the order run
 * @param knee the knee, or null when none was found
 * @param kneeReason why that level is the knee, or why none was found
 * @param queueing where requests began to wait for the engine, or null when they never did
 * @param kneeRule the thresholds the knee and the queueing were judged by
 * @param stoppedEarly why the sweep stopped before its last planned level, or null
 */
record SweepDocument(
    int schemaVersion,
    RunDocument.Tool tool,
    SweepAxis axis,
    String url,
    String endpoint,
    String model,
    Instant startedAt,
    Slo slo,
    io.inferscope.core.RunFacts.Workload workload,
    List<SweepLevel> levels,
    SweepAnalysis.Knee knee,
    String kneeReason,
    SweepAnalysis.Queueing queueing,
    KneeRule kneeRule,
    String stoppedEarly) {

  static final int SCHEMA_VERSION = 1;

  /**
   * The knee's thresholds (ADR 0012), written so a reader of an old file knows what it was judged
   * by.
   *
   * @param completenessDropPoints completeness may fall by up to this many points to the next level
   * @param throughputRisePerLoadRise throughput below this share of the load's rise is flat
   * @param latencyRisePerLoadRise latency above this share of the load's rise is climbing
   * @param queueingTtftFactor TTFT p50 growing more than this factor from one level ...
   * @param queueingItlFactor ... while chunk ITL p50 grows less than this one: requests queue
   */
  record KneeRule(
      double completenessDropPoints,
      double throughputRisePerLoadRise,
      double latencyRisePerLoadRise,
      double queueingTtftFactor,
      double queueingItlFactor) {}

  static SweepDocument of(SweepAnalysis s) {
    return new SweepDocument(
        SCHEMA_VERSION,
        new RunDocument.Tool(RunDocument.TOOL_NAME, s.toolVersion()),
        s.axis(),
        s.url(),
        s.endpoint(),
        s.model(),
        s.startedAt(),
        s.slo(),
        s.workload(),
        s.levels(),
        s.knee(),
        s.kneeReason(),
        s.queueing(),
        new KneeRule(
            SweepAnalysis.COMPLETENESS_DROP_POINTS,
            SweepAnalysis.THROUGHPUT_RISE_PER_LOAD_RISE,
            SweepAnalysis.LATENCY_RISE_PER_LOAD_RISE,
            SweepAnalysis.QUEUEING_TTFT_FACTOR,
            SweepAnalysis.QUEUEING_ITL_FACTOR),
        s.stoppedEarly());
  }
}
