package io.inferscope.core;

/**
 * What running inferscope itself cost the host it ran on, over the run. A busy, collecting or
 * starved client stamps events late, so these figures tell whether the timings can be trusted.
 * Every figure is null when it could not be measured.
 *
 * @param cpuPercent this JVM's process CPU over the run, in % of one core
 * @param availableProcessors logical CPUs available to this JVM
 * @param gcPauseTotalNanos total stop-the-world GC pause time during the run
 * @param gcPauseMaxNanos longest single stop-the-world GC pause, to the millisecond (the JVM's
 *     resolution): 0 with pauses counted means each was under a millisecond
 * @param gcPauses how many stop-the-world GC pauses there were
 * @param schedulingLagMaxNanos worst oversleep of a probe thread that wakes every 10 ms
 * @param schedulingLagP99Nanos 99th percentile of that oversleep
 */
public record ClientOverhead(
    Double cpuPercent,
    Integer availableProcessors,
    Long gcPauseTotalNanos,
    Long gcPauseMaxNanos,
    Integer gcPauses,
    Long schedulingLagMaxNanos,
    Long schedulingLagP99Nanos) {

  /** Whether there were GC pauses, each too short for the JVM's millisecond resolution. */
  public boolean gcPausesUnderOneMilli() {
    return gcPauseMaxNanos != null && gcPauseMaxNanos == 0 && gcPauses != null && gcPauses > 0;
  }
}
