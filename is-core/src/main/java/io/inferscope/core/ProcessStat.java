package io.inferscope.core;

/**
 * One process of the engine's tree at one sample, read from {@code /proc/PID/{stat,status,io}}.
 * Cumulative counters (CPU time, context switches, I/O bytes) are as the kernel reports them; rates
 * come from differences between samples. Absent (unreadable) values are null.
 *
 * @param pid process id
 * @param ppid parent process id
 * @param name the command name ({@code comm}; may contain spaces and parentheses)
 * @param startTicks start time in clock ticks since boot: tells a reused PID from the old process
 * @param userCpuNanos cumulative user CPU time
 * @param systemCpuNanos cumulative system CPU time
 * @param rssBytes resident set size
 * @param threads number of threads
 * @param voluntaryContextSwitches cumulative voluntary context switches of the process's main
 *     thread ({@code /proc/PID/status} counts only that thread; summing every thread's would mean a
 *     file per thread per tick), or null
 * @param involuntaryContextSwitches cumulative involuntary context switches of the main thread,
 *     likewise, or null
 * @param readBytes cumulative bytes read from storage, or null when {@code /proc/PID/io} is not
 *     readable
 * @param writeBytes cumulative bytes written to storage, or null likewise
 */
public record ProcessStat(
    int pid,
    int ppid,
    String name,
    long startTicks,
    long userCpuNanos,
    long systemCpuNanos,
    long rssBytes,
    int threads,
    Long voluntaryContextSwitches,
    Long involuntaryContextSwitches,
    Long readBytes,
    Long writeBytes) {

  public long cpuNanos() {
    return userCpuNanos + systemCpuNanos;
  }
}
