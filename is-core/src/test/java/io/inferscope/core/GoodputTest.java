package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goodput: the measured requests that completed and met every bound, and what the others missed.
 */
class GoodputTest {

  /** A completed request sent at {@code sendMs}, intended {@code lateMs} earlier. */
  private static RequestTrace late(int id, long sendMs, long lateMs, long firstMs, long lastMs) {
    RequestTrace t = CorrelationFixtures.ok(id, false, sendMs, firstMs, lastMs, lastMs, 11);
    return new RequestTrace(
        t.id(),
        false,
        t.sendNanos() - lateMs * MS,
        t.sendNanos(),
        t.headersNanos(),
        t.endNanos(),
        t.httpStatus(),
        t.events(),
        t.usage(),
        t.serverTimings(),
        t.finishReason(),
        null);
  }

  private static List<RequestTrace> traces() {
    return List.of(
        // warm-up: never counted
        CorrelationFixtures.ok(0, true, 0, 900, 999, 999, 11),
        // TTFT 50 ms, TPOT (100 ms / 10) 10 ms, E2E 150 ms: meets all
        CorrelationFixtures.ok(1, false, 1000, 1050, 1150, 1150, 11),
        // TTFT 50 ms from send, but sent 100 ms late: 150 ms from intended, misses ttft
        late(2, 1000, 100, 1050, 1150),
        // TPOT 30 ms: misses tpot and e2e (TTFT 20, E2E 320)
        CorrelationFixtures.ok(3, false, 1000, 1020, 1320, 1320, 11),
        CorrelationFixtures.failed(4, 1000, 1100, new Failure.Shed(503, "busy", null)));
  }

  @Test
  void countsRequestsThatMetEveryBoundAndWhatTheOthersMissed() {
    Goodput g =
        Goodput.of(
            new Slo(100 * MS, 20 * MS, 200 * MS),
            MeasuredRequest.of(traces()),
            MeasuredWindow.of(traces()));
    assertThat(g.requests()).isEqualTo(4);
    assertThat(g.met()).isEqualTo(1);
    assertThat(g.metRatio()).isEqualTo(0.25);
    // The window runs from the first measured send (1000 ms) to the last end (1320 ms).
    assertThat(g.metPerSecond()).isCloseTo(1 / 0.320, org.assertj.core.api.Assertions.within(1e-9));
    // Request 2's E2E from its intended send is 250 ms: late sends miss E2E too.
    assertThat(g.missed())
        .containsExactly(
            new Goodput.Miss(Goodput.Objective.E2E, 2),
            new Goodput.Miss(Goodput.Objective.FAILED, 1),
            new Goodput.Miss(Goodput.Objective.TTFT, 1),
            new Goodput.Miss(Goodput.Objective.TPOT, 1));
    assertThat(g.mostMissed()).isEqualTo(Goodput.Objective.E2E);
  }

  @Test
  void onlyTheGivenBoundsCountAndTheMostMissedComesFirst() {
    Goodput g = Goodput.of(new Slo(30 * MS, null, null), MeasuredRequest.of(traces()), null);
    // TTFT from intended: 50, 150, 20 → only request 3 meets 30 ms.
    assertThat(g.met()).isEqualTo(1);
    assertThat(g.missed())
        .containsExactly(
            new Goodput.Miss(Goodput.Objective.TTFT, 2),
            new Goodput.Miss(Goodput.Objective.FAILED, 1));
    assertThat(g.mostMissed()).isEqualTo(Goodput.Objective.TTFT);
    assertThat(g.metPerSecond()).isNull();
  }

  @Test
  void theAnalysisCarriesTheRunsSloAndNoneWithout() {
    RunResult run = CorrelationFixtures.run(traces(), HardwareSamples.none());
    assertThat(RunAnalysis.of(run).goodput()).isNull();
    Slo slo = new Slo(null, null, 1000 * MS);
    RunResult withSlo =
        new RunResult(
            run.meta().withSlo(slo),
            run.clock(),
            run.traces(),
            run.endNanos(),
            false,
            null,
            run.hardware());
    Goodput g = RunAnalysis.of(withSlo).goodput();
    assertThat(g)
        .isEqualTo(Goodput.of(slo, MeasuredRequest.of(traces()), MeasuredWindow.of(traces())));
    assertThat(g.met()).isEqualTo(3);
  }

  @Test
  void anSloNeedsAPositiveBound() {
    assertThatThrownBy(() -> new Slo(null, null, null))
        .hasMessage("an SLO needs at least one of ttft, tpot and e2e");
    assertThatThrownBy(() -> new Slo(0L, null, null)).hasMessage("SLO bounds must be positive: 0");
  }
}
