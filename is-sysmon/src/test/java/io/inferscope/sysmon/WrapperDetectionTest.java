package io.inferscope.sysmon;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ProcessTreeMetrics;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunClock;
import io.inferscope.core.WrapperCheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wrapper warning on real trees: a shell that only waits, and a process that works itself. */
class WrapperDetectionTest {

  /**
   * Samples the tree once it has {@code processes} processes, until {@code samples} samples are
   * taken (each wait at most 20 s, a guard against a hang).
   */
  private static List<ProcessTreeSample> sample(Spawned tree, int processes, int samples)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (tree.descendants().size() + 1 < processes) {
      assertThat(System.nanoTime()).as("%d processes in the tree", processes).isLessThan(deadline);
      Thread.sleep(10);
    }
    SamplingLoop<ProcessTreeSample> loop =
        SamplingLoop.start(
            new ProcSampler(tree.pid()), RunClock.startNow(), Duration.ofMillis(50), null);
    deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (loop.samplesSoFar().size() < samples) {
      assertThat(System.nanoTime()).as("%d samples", samples).isLessThan(deadline);
      Thread.sleep(10);
    }
    List<ProcessTreeSample> taken = loop.stop().samples();
    assertThat(loop.failedReads()).isZero();
    return taken;
  }

  @Test
  void aShellWaitingOnBusyChildrenIsAWrapper() throws Exception {
    // Two spinning children: together well over the 20 % of a core the rule asks of descendants,
    // even on two cores shared with other busy processes.
    try (Spawned tree = Spawned.sh("while :; do :; done & while :; do :; done & wait")) {
      List<ProcessTreeSample> samples = sample(tree, 3, 16);
      assertThat(samples.getLast().processes()).hasSize(3);
      assertThat(WrapperCheck.of(samples))
          .hasValueSatisfying(
              m ->
                  assertThat(m)
                      .startsWith(
                          "engine PID "
                              + tree.pid()
                              + " (sh) looks like a wrapper: its descendants did the work"));
    }
  }

  @Test
  void aProcessDoingItsOwnWorkIsNot() throws Exception {
    try (Spawned tree = Spawned.sh("while :; do :; done")) {
      List<ProcessTreeSample> samples = sample(tree, 1, 12);
      ProcessTreeMetrics m = ProcessTreeMetrics.of(samples);
      assertThat(m.processCount().max()).isEqualTo(1.0);
      // The spinning root gets what share of a core a loaded host leaves it (beside two busy loops
      // and other work, as little as a fifth), but more than the 5 % below which a root is idle.
      assertThat(m.rootCpuPercentMean()).isGreaterThan(5.0);
      assertThat(WrapperCheck.of(m)).isEmpty();
    }
  }
}
