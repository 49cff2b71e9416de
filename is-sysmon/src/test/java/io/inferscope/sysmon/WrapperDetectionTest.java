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

  private static List<ProcessTreeSample> sample(Spawned tree, long millis) throws Exception {
    SamplingLoop<ProcessTreeSample> loop =
        SamplingLoop.start(
            new ProcSampler(tree.pid()), RunClock.startNow(), Duration.ofMillis(50), null);
    Thread.sleep(millis);
    tree.descendants();
    List<ProcessTreeSample> samples = loop.stop().samples();
    assertThat(loop.failedReads()).isZero();
    return samples;
  }

  @Test
  void aShellWaitingOnABusyChildIsAWrapper() throws Exception {
    try (Spawned tree = Spawned.sh("while :; do :; done & wait")) {
      List<ProcessTreeSample> samples = sample(tree, 800);
      assertThat(samples.getLast().processes()).hasSize(2);
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
      List<ProcessTreeSample> samples = sample(tree, 600);
      ProcessTreeMetrics m = ProcessTreeMetrics.of(samples);
      assertThat(m.processCount().max()).isEqualTo(1.0);
      assertThat(m.rootCpuPercentMean()).isGreaterThan(50.0);
      assertThat(WrapperCheck.of(m)).isEmpty();
    }
  }
}
