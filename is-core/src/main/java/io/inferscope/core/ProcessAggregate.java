package io.inferscope.core;

/**
 * One process of the engine's tree over the samples that contained it, for the report's top
 * processes. A process is identified by pid and start time, so a reused pid is another process.
 *
 * @param pid process id
 * @param startTicks start time in clock ticks since boot
 * @param name the command name at the last sample that contained it (it changes on exec)
 * @param samples samples that contained it
 * @param firstSeenNanos run-clock offset of the first of those samples
 * @param lastSeenNanos run-clock offset of the last of those samples
 * @param cpuPercentMean CPU time over the intervals it spent in both end samples, divided by their
 *     length, in percent of one core; null when no such interval exists (seen once)
 * @param rssBytesMax largest resident set size seen
 * @param threadsMax largest thread count seen
 */
public record ProcessAggregate(
    int pid,
    long startTicks,
    String name,
    int samples,
    long firstSeenNanos,
    long lastSeenNanos,
    Double cpuPercentMean,
    long rssBytesMax,
    int threadsMax) {}
