package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTreeMetricsTest {

  private static final long MS = 1_000_000L;
  private static final long MIB = 1024 * 1024;

  static ProcessStat proc(
      int pid, int ppid, String name, long start, long cpuMs, long rssMib, int threads) {
    return new ProcessStat(
        pid, ppid, name, start, cpuMs * MS, 0, rssMib * MIB, threads, null, null, null, null);
  }

  static ProcessStat proc(
      int pid, long start, long userMs, long sysMs, Long vol, Long invol, Long read, Long write) {
    return new ProcessStat(
        pid, 1, "p" + pid, start, userMs * MS, sysMs * MS, MIB, 1, vol, invol, read, write);
  }

  static ProcessTreeSample at(long ms, ProcessStat... processes) {
    return new ProcessTreeSample(ms * MS, 10, List.of(processes));
  }

  /** A wrapper shell (pid 10), a busy child (11) and a worker (12) that appears in sample 1. */
  static List<ProcessTreeSample> wrapperTree() {
    return List.of(
        at(0, proc(10, 1, "sh", 1, 10, 1, 1), proc(11, 10, "python", 2, 100, 100, 4)),
        at(
            100,
            proc(10, 1, "sh", 1, 10, 1, 1),
            proc(11, 10, "python", 2, 180, 150, 6),
            proc(12, 11, "worker", 3, 50, 10, 2)),
        at(
            200,
            proc(10, 1, "sh", 1, 11, 1, 1),
            proc(11, 10, "python", 2, 260, 120, 6),
            proc(12, 11, "worker", 3, 90, 10, 2)));
  }

  @Test
  void cpuCountsOnlyProcessesPresentAtBothEndsOfAnInterval() {
    ProcessTreeMetrics m = ProcessTreeMetrics.of(wrapperTree());
    // interval 0: only 11 grew (80 ms of 100 ms); the worker born inside it is not counted.
    // interval 1: 1 + 80 + 40 ms of CPU in 100 ms.
    assertThat(m.series().cpuPercent()).containsExactly(80.0, 121.0);
    assertThat(m.cpuPercentMean()).isCloseTo(100.5, within(1e-9));
    assertThat(m.cpuPercent().max()).isEqualTo(121.0);
    assertThat(m.cpuPercent().p50()).isCloseTo(100.5, within(1e-9));
    assertThat(m.rootCpuPercentMean()).isCloseTo(0.5, within(1e-9));
    assertThat(m.descendantsCpuPercentMean()).isCloseTo(100.0, within(1e-9));
    assertThat(m.windowNanos()).isEqualTo(200 * MS);
    assertThat(m.rootPid()).isEqualTo(10);
    assertThat(m.rootName()).isEqualTo("sh");
    assertThat(m.samples()).isEqualTo(3);
  }

  @Test
  void treeTotalsPerSample() {
    ProcessTreeMetrics m = ProcessTreeMetrics.of(wrapperTree());
    assertThat(m.series().rssBytes()).containsExactly(101 * MIB, 161 * MIB, 131 * MIB);
    assertThat(m.rssBytes().min()).isEqualTo(101.0 * MIB);
    assertThat(m.rssBytes().max()).isEqualTo(161.0 * MIB);
    assertThat(m.rssBytes().mean()).isCloseTo(131.0 * MIB, within(1e-3));
    assertThat(m.rssBytesFinal()).isEqualTo(131 * MIB);
    assertThat(m.series().threads()).containsExactly(5, 9, 9);
    assertThat(m.threads().min()).isEqualTo(5.0);
    assertThat(m.threadsFinal()).isEqualTo(9);
    assertThat(m.series().processCount()).containsExactly(2, 3, 3);
    assertThat(m.processCount().max()).isEqualTo(3.0);
  }

  @Test
  void perProcessAggregatesSortedByCpu() {
    ProcessTreeMetrics m = ProcessTreeMetrics.of(wrapperTree());
    assertThat(m.processes()).extracting(ProcessAggregate::pid).containsExactly(11, 12, 10);
    ProcessAggregate python = m.processes().get(0);
    assertThat(python.cpuPercentMean()).isCloseTo(80.0, within(1e-9));
    assertThat(python.rssBytesMax()).isEqualTo(150 * MIB);
    assertThat(python.threadsMax()).isEqualTo(6);
    assertThat(python.samples()).isEqualTo(3);
    ProcessAggregate worker = m.processes().get(1);
    assertThat(worker.cpuPercentMean()).isCloseTo(40.0, within(1e-9));
    assertThat(worker.firstSeenNanos()).isEqualTo(100 * MS);
    assertThat(worker.lastSeenNanos()).isEqualTo(200 * MS);
    assertThat(m.processes().get(2).cpuPercentMean()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void aReusedPidIsAnotherProcess() {
    List<ProcessTreeSample> samples =
        List.of(
            at(
                0,
                proc(10, 1, 0, 0, null, null, null, null),
                proc(11, 2, 500, 0, null, null, null, null)),
            at(
                100,
                proc(10, 1, 10, 0, null, null, null, null),
                // pid 11 exited and was reused: its 9 s of CPU are not this interval's
                proc(11, 7, 9000, 0, null, null, null, null)));
    ProcessTreeMetrics m = ProcessTreeMetrics.of(samples);
    assertThat(m.series().cpuPercent()).containsExactly(10.0);
    assertThat(m.processes()).hasSize(3);
    assertThat(m.processes())
        .filteredOn(p -> p.pid() == 11)
        .extracting(ProcessAggregate::cpuPercentMean)
        .containsOnlyNulls();
  }

  @Test
  void contextSwitchAndIoRatesUseOnlyReadableCounters() {
    List<ProcessTreeSample> samples =
        List.of(
            at(0, proc(10, 1, 0, 0, 100L, 10L, 1000L, 0L), proc(11, 2, 0, 0, 5L, 1L, null, null)),
            at(
                500,
                proc(10, 1, 20, 30, 150L, 20L, 3000L, 4096L),
                proc(11, 2, 0, 0, 15L, 2L, null, null)),
            at(
                1000,
                proc(10, 1, 20, 30, 170L, 20L, 3000L, 8192L),
                proc(11, 2, 0, 0, 25L, 3L, null, null)));
    ProcessTreeMetrics m = ProcessTreeMetrics.of(samples);
    // user + system: 50 ms in the first 500 ms interval
    assertThat(m.series().cpuPercent()).containsExactly(10.0, 0.0);
    // voluntary: (50 + 10) then (20 + 10) per 0.5 s
    assertThat(m.series().voluntaryContextSwitchesPerSecond()).containsExactly(120.0, 60.0);
    assertThat(m.voluntaryContextSwitchesPerSecond()).isCloseTo(90.0, within(1e-9));
    assertThat(m.involuntaryContextSwitchesPerSecond()).isCloseTo(12.0, within(1e-9));
    assertThat(m.readBytesTotal()).isEqualTo(2000L);
    assertThat(m.writeBytesTotal()).isEqualTo(8192L);
    assertThat(m.series().writeBytesPerSecond()).containsExactly(8192.0, 8192.0);
  }

  @Test
  void unreadableCountersAreAbsentNotZero() {
    List<ProcessTreeSample> samples =
        List.of(
            at(0, proc(10, 1, 0, 0, null, null, null, null)),
            at(100, proc(10, 1, 5, 0, null, null, null, null)));
    ProcessTreeMetrics m = ProcessTreeMetrics.of(samples);
    assertThat(m.readBytesTotal()).isNull();
    assertThat(m.writeBytesTotal()).isNull();
    assertThat(m.voluntaryContextSwitchesPerSecond()).isNull();
    assertThat(m.series().readBytesPerSecond()).containsExactly(Double.NaN);
    assertThat(m.cpuPercentMean()).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void noSamplesAndOneSample() {
    ProcessTreeMetrics none = ProcessTreeMetrics.of(List.of());
    assertThat(none.rootPid()).isNull();
    assertThat(none.cpuPercentMean()).isNull();
    assertThat(none.cpuPercent()).isNull();
    assertThat(none.rssBytes()).isNull();
    assertThat(none.rssBytesFinal()).isNull();
    assertThat(none.threadsFinal()).isNull();
    assertThat(none.windowNanos()).isNull();
    assertThat(none.processes()).isEmpty();
    assertThat(none.series().intervals()).isZero();

    ProcessTreeMetrics one = ProcessTreeMetrics.of(List.of(wrapperTree().get(0)));
    assertThat(one.cpuPercentMean()).isNull();
    assertThat(one.cpuPercent()).isNull();
    assertThat(one.rootCpuPercentMean()).isNull();
    assertThat(one.windowNanos()).isNull();
    assertThat(one.rssBytesFinal()).isEqualTo(101 * MIB);
    assertThat(one.processes()).extracting(ProcessAggregate::cpuPercentMean).containsOnlyNulls();
  }

  @Test
  void anIntervalWithoutLengthHasNoCpuFigure() {
    List<ProcessTreeSample> samples =
        List.of(
            at(0, proc(10, 1, 0, 0, null, null, null, null)),
            at(0, proc(10, 1, 5, 0, null, null, null, null)),
            at(100, proc(10, 1, 15, 0, null, null, null, null)));
    ProcessTreeMetrics m = ProcessTreeMetrics.of(samples);
    assertThat(m.series().cpuPercent()).containsExactly(Double.NaN, 10.0);
    assertThat(m.cpuPercent().count()).isEqualTo(1);
    assertThat(m.cpuPercentMean()).isCloseTo(10.0, within(1e-9));
  }

  @Test
  void seriesEqualityComparesContents() {
    assertThat(ProcessTreeMetrics.of(wrapperTree()))
        .isEqualTo(ProcessTreeMetrics.of(wrapperTree()));
  }
}
