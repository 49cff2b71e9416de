package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.MS;
import static io.inferscope.core.CorrelationFixtures.failed;
import static io.inferscope.core.CorrelationFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunPhasesTest {

  @Test
  void concurrencyTwoRampsUpHoldsAndDrains() {
    List<RequestTrace> traces =
        List.of(
            ok(0, true, 0, 1, 2, 3, null), // warm-up: not counted
            ok(1, 10, 20, 90, 110),
            ok(2, 20, 30, 100, 120),
            ok(3, 110, 120, 200, 210),
            ok(4, 120, 130, 210, 220),
            failed(5, 210, 260, new Failure.Http(500, "boom"))); // a failure held a slot too
    RunPhases p = RunPhases.of(traces);
    // in flight: 1 from 10, 2 from 20, 1 from 220, 0 at 260
    assertThat(p.inFlight().atNanos()).containsExactly(10 * MS, 20 * MS, 220 * MS, 260 * MS);
    assertThat(p.inFlight().count()).containsExactly(1, 2, 1, 0);
    // busy 250 ms: 50 ms at 1, 200 ms at 2; the median level is 2
    assertThat(p.steadyInFlight()).isEqualTo(2);
    assertThat(p.phases())
        .containsExactly(
            new RunPhase(RunPhaseKind.RAMP_UP, 10 * MS, 20 * MS),
            new RunPhase(RunPhaseKind.STEADY, 20 * MS, 220 * MS),
            new RunPhase(RunPhaseKind.DRAIN, 220 * MS, 260 * MS));
  }

  @Test
  void aLongGapIsIdleAndTheClientsTurnaroundIsNot() {
    List<RequestTrace> traces =
        List.of(
            ok(1, 0, 10, 90, 100),
            // sent 1 us after the first ended: turnaround, not idleness
            new RequestTrace(
                2,
                false,
                100 * MS + 1000,
                100 * MS + 1000,
                null,
                200 * MS,
                200,
                EventLog.empty(),
                null,
                null,
                "stop",
                null),
            ok(3, 500, 510, 590, 600));
    RunPhases p = RunPhases.of(traces);
    assertThat(p.steadyInFlight()).isEqualTo(1);
    assertThat(p.phases())
        .containsExactly(
            new RunPhase(RunPhaseKind.STEADY, 0, 200 * MS),
            new RunPhase(RunPhaseKind.IDLE, 200 * MS, 500 * MS),
            new RunPhase(RunPhaseKind.STEADY, 500 * MS, 600 * MS));
  }

  @Test
  void noMeasuredRequestHasNoPhases() {
    RunPhases p = RunPhases.of(List.of(ok(0, true, 0, 1, 2, 3, null)));
    assertThat(p.steadyInFlight()).isNull();
    assertThat(p.phases()).isEmpty();
    assertThat(p.inFlight().size()).isZero();
  }
}
