package io.inferscope.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures of the engine's process tree over a run, derived from its samples; see ADR 0005.
 *
 * <p>CPU is in percent of one core (a tree keeping four cores busy reads 400). The CPU of an
 * interval between two consecutive samples is the growth of user + system time, summed over the
 * processes present in both samples (matched by pid and start time), divided by the interval's
 * length. A process born or exited inside an interval contributes nothing for that interval: its
 * cumulative time at first sight may include time before it joined the tree (a reparented or missed
 * process), so counting it would risk a spike; the cost is under one period of CPU per process
 * birth or exit. Absent figures are null, never 0.
 *
 * @param rootPid the engine's root process, or null with no samples
 * @param rootName the root's command name at its last sample, or null
 * @param samples number of samples
 * @param windowNanos first to last sample, or null under two samples
 * @param cpuPercentMean tree CPU over the whole window (time-weighted), percent of one core
 * @param cpuPercent distribution of tree CPU over intervals (peak = {@code max})
 * @param rootCpuPercentMean the root process's own CPU over the window
 * @param descendantsCpuPercentMean the CPU of everything but the root over the window
 * @param rssBytes tree-total resident set size over samples
 * @param rssBytesFinal tree-total resident set size at the last sample
 * @param threads tree-total thread count over samples
 * @param threadsFinal tree-total thread count at the last sample
 * @param processCount processes in the tree over samples
 * @param voluntaryContextSwitchesPerSecond tree voluntary context switches per second over the
 *     intervals where they were readable
 * @param involuntaryContextSwitchesPerSecond the same for involuntary switches
 * @param readBytesTotal bytes read from storage during the window by processes whose {@code io} was
 *     readable, or null when it never was
 * @param writeBytesTotal bytes written likewise
 * @param processes every process seen, by mean CPU (highest first, unknown last), then peak RSS
 * @param series the figures over time, for charts
 */
public record ProcessTreeMetrics(
    Integer rootPid,
    String rootName,
    int samples,
    Long windowNanos,
    Double cpuPercentMean,
    Summary cpuPercent,
    Double rootCpuPercentMean,
    Double descendantsCpuPercentMean,
    Summary rssBytes,
    Long rssBytesFinal,
    Summary threads,
    Integer threadsFinal,
    Summary processCount,
    Double voluntaryContextSwitchesPerSecond,
    Double involuntaryContextSwitchesPerSecond,
    Long readBytesTotal,
    Long writeBytesTotal,
    List<ProcessAggregate> processes,
    ProcessTreeSeries series) {

  public ProcessTreeMetrics {
    processes = List.copyOf(processes);
  }

  /** Derives the tree's figures from its samples, oldest first. Pure. */
  public static ProcessTreeMetrics of(List<ProcessTreeSample> samples) {
    int n = samples.size();
    long[] at = new long[n];
    long[] rss = new long[n];
    int[] threads = new int[n];
    int[] count = new int[n];
    Map<Identity, Aggregate> byProcess = new LinkedHashMap<>();
    Integer rootPid = n == 0 ? null : samples.get(0).rootPid();
    String rootName = null;
    for (int i = 0; i < n; i++) {
      ProcessTreeSample s = samples.get(i);
      at[i] = s.atNanos();
      count[i] = s.processes().size();
      for (ProcessStat p : s.processes()) {
        rss[i] += p.rssBytes();
        threads[i] += p.threads();
        byProcess.computeIfAbsent(Identity.of(p), k -> new Aggregate(s.atNanos())).see(s, p);
        if (p.pid() == s.rootPid()) {
          rootName = p.name();
        }
      }
    }

    int intervals = Math.max(0, n - 1);
    double[] cpu = new double[intervals];
    Rate voluntary = new Rate(intervals);
    Rate involuntary = new Rate(intervals);
    Rate read = new Rate(intervals);
    Rate write = new Rate(intervals);
    long cpuNanosSum = 0;
    long rootCpuNanosSum = 0;
    long timeNanosSum = 0;
    for (int i = 0; i < intervals; i++) {
      ProcessTreeSample prev = samples.get(i);
      ProcessTreeSample next = samples.get(i + 1);
      long dt = next.atNanos() - prev.atNanos();
      if (dt <= 0) {
        cpu[i] = Double.NaN;
        voluntary.skip(i);
        involuntary.skip(i);
        read.skip(i);
        write.skip(i);
        continue;
      }
      Map<Identity, ProcessStat> before = new HashMap<>();
      for (ProcessStat p : prev.processes()) {
        before.put(Identity.of(p), p);
      }
      long dCpu = 0;
      long dRootCpu = 0;
      Delta dVoluntary = new Delta();
      Delta dInvoluntary = new Delta();
      Delta dRead = new Delta();
      Delta dWrite = new Delta();
      for (ProcessStat p : next.processes()) {
        Identity id = Identity.of(p);
        ProcessStat q = before.get(id);
        if (q == null) {
          continue;
        }
        long d = p.cpuNanos() - q.cpuNanos();
        dCpu += d;
        if (p.pid() == next.rootPid()) {
          dRootCpu += d;
        }
        byProcess.get(id).addInterval(d, dt);
        dVoluntary.add(q.voluntaryContextSwitches(), p.voluntaryContextSwitches());
        dInvoluntary.add(q.involuntaryContextSwitches(), p.involuntaryContextSwitches());
        dRead.add(q.readBytes(), p.readBytes());
        dWrite.add(q.writeBytes(), p.writeBytes());
      }
      cpu[i] = dCpu * 100.0 / dt;
      cpuNanosSum += dCpu;
      rootCpuNanosSum += dRootCpu;
      timeNanosSum += dt;
      voluntary.put(i, dVoluntary, dt);
      involuntary.put(i, dInvoluntary, dt);
      read.put(i, dRead, dt);
      write.put(i, dWrite, dt);
    }

    List<ProcessAggregate> processes = new ArrayList<>();
    for (Map.Entry<Identity, Aggregate> e : byProcess.entrySet()) {
      processes.add(e.getValue().toRecord(e.getKey()));
    }
    processes.sort(
        Comparator.comparing(
                ProcessAggregate::cpuPercentMean, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Comparator.comparingLong(ProcessAggregate::rssBytesMax).reversed())
            .thenComparingInt(ProcessAggregate::pid));

    boolean timed = timeNanosSum > 0;
    return new ProcessTreeMetrics(
        rootPid,
        rootName,
        n,
        n < 2 ? null : at[n - 1] - at[0],
        timed ? cpuNanosSum * 100.0 / timeNanosSum : null,
        Summary.of(finite(cpu)),
        timed ? rootCpuNanosSum * 100.0 / timeNanosSum : null,
        timed ? (cpuNanosSum - rootCpuNanosSum) * 100.0 / timeNanosSum : null,
        Summary.of(rss),
        n == 0 ? null : rss[n - 1],
        Summary.of(toLongs(threads)),
        n == 0 ? null : threads[n - 1],
        Summary.of(toLongs(count)),
        voluntary.meanPerSecond(),
        involuntary.meanPerSecond(),
        read.total(),
        write.total(),
        processes,
        new ProcessTreeSeries(
            at,
            rss,
            threads,
            count,
            cpu,
            voluntary.perSecond,
            involuntary.perSecond,
            read.perSecond,
            write.perSecond));
  }

  private static double[] finite(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).toArray();
  }

  private static long[] toLongs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** A process, told from a later one that reuses its pid by its start time. */
  private record Identity(int pid, long startTicks) {
    static Identity of(ProcessStat p) {
      return new Identity(p.pid(), p.startTicks());
    }
  }

  /** Growth of one nullable counter summed over the processes of an interval. */
  private static final class Delta {
    long sum;
    boolean seen;

    void add(Long before, Long after) {
      if (before != null && after != null) {
        sum += after - before;
        seen = true;
      }
    }
  }

  /** A per-interval rate series of one counter and its totals over the intervals it was seen. */
  private static final class Rate {
    final double[] perSecond;
    long sum;
    long timeNanos;
    boolean seen;

    Rate(int intervals) {
      perSecond = new double[intervals];
    }

    void skip(int i) {
      perSecond[i] = Double.NaN;
    }

    void put(int i, Delta d, long dt) {
      if (!d.seen) {
        perSecond[i] = Double.NaN;
        return;
      }
      perSecond[i] = d.sum * 1e9 / dt;
      sum += d.sum;
      timeNanos += dt;
      seen = true;
    }

    Double meanPerSecond() {
      return seen ? sum * 1e9 / timeNanos : null;
    }

    Long total() {
      return seen ? sum : null;
    }
  }

  private static final class Aggregate {
    final long firstSeenNanos;
    long lastSeenNanos;
    String name;
    int samples;
    long rssBytesMax;
    int threadsMax;
    long cpuNanos;
    long cpuTimeNanos;

    Aggregate(long firstSeenNanos) {
      this.firstSeenNanos = firstSeenNanos;
    }

    void see(ProcessTreeSample s, ProcessStat p) {
      lastSeenNanos = s.atNanos();
      name = p.name();
      samples++;
      rssBytesMax = Math.max(rssBytesMax, p.rssBytes());
      threadsMax = Math.max(threadsMax, p.threads());
    }

    void addInterval(long cpuNanosDelta, long dt) {
      cpuNanos += cpuNanosDelta;
      cpuTimeNanos += dt;
    }

    ProcessAggregate toRecord(Identity id) {
      return new ProcessAggregate(
          id.pid(),
          id.startTicks(),
          name,
          samples,
          firstSeenNanos,
          lastSeenNanos,
          cpuTimeNanos > 0 ? cpuNanos * 100.0 / cpuTimeNanos : null,
          rssBytesMax,
          threadsMax);
    }
  }
}
