package io.inferscope.core;

import static io.inferscope.core.ProcessTreeMetricsTest.at;
import static io.inferscope.core.ProcessTreeMetricsTest.proc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WrapperCheckTest {

  @Test
  void anIdleRootWithBusyDescendantsIsAWrapper() {
    assertThat(WrapperCheck.of(ProcessTreeMetricsTest.wrapperTree()))
        .hasValue(
            "engine PID 10 (sh) looks like a wrapper: its descendants did the work"
                + " (root 0.5 % of a core, descendants 100.0 %)");
  }

  @Test
  void aRootThatWorksItselfIsNot() {
    List<ProcessTreeSample> samples =
        List.of(
            at(0, proc(10, 1, "llama-server", 1, 0, 1, 8), proc(11, 10, "helper", 2, 0, 1, 1)),
            at(100, proc(10, 1, "llama-server", 1, 90, 1, 8), proc(11, 10, "helper", 2, 5, 1, 1)));
    assertThat(WrapperCheck.of(samples)).isEmpty();
  }

  @Test
  void quietTreesAndShortRunsSayNothing() {
    // the root is idle but so are its descendants: nothing to attribute
    List<ProcessTreeSample> idle =
        List.of(
            at(0, proc(10, 1, "sh", 1, 0, 1, 1), proc(11, 10, "sleep", 2, 0, 1, 1)),
            at(1000, proc(10, 1, "sh", 1, 0, 1, 1), proc(11, 10, "sleep", 2, 100, 1, 1)));
    assertThat(WrapperCheck.of(idle)).isEmpty();
    // a root at 4.5 % with descendants at 21 %: busy, but not five times the root
    List<ProcessTreeSample> close =
        List.of(
            at(0, proc(10, 1, "sh", 1, 0, 1, 1), proc(11, 10, "w", 2, 0, 1, 1)),
            at(1000, proc(10, 1, "sh", 1, 45, 1, 1), proc(11, 10, "w", 2, 210, 1, 1)));
    assertThat(WrapperCheck.of(close)).isEmpty();
    assertThat(WrapperCheck.of(List.of())).isEmpty();
    assertThat(WrapperCheck.of(List.of(ProcessTreeMetricsTest.wrapperTree().get(0)))).isEmpty();
  }
}
