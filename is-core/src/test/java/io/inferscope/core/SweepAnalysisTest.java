package io.inferscope.core;

import static io.inferscope.core.SweepFixtures.MS;
import static io.inferscope.core.SweepFixtures.level;
import static io.inferscope.core.SweepFixtures.times;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sweep's figures come from each level's own analysis; the knee and the stop follow ADR 0012. */
class SweepAnalysisTest {

  private static List<SweepAnalysis.Level> levels(double[] values, RunAnalysis... runs) {
    List<SweepAnalysis.Level> out = new ArrayList<>();
    for (int i = 0; i < runs.length; i++) {
      out.add(new SweepAnalysis.Level(values[i], runs[i]));
    }
    return out;
  }

  @Test
  void aLevelsFiguresAreItsRunMetricsAndGoodput() {
    Slo slo = new Slo(100 * MS, null, null);
    RunAnalysis a =
        level(
            200,
            50,
            10,
            List.of(
                new Failure.Shed(503, "busy"),
                new Failure.Shed(429, "slow down"),
                new Failure.Timeout(TimeoutPhase.FIRST_BYTE, 2000 * MS),
                new Failure.Http(500, "boom"),
                new Failure.Connect("refused"),
                new Failure.Cancelled("interrupted")),
            false,
            slo);
    SweepLevel l = SweepLevel.of(4, a);
    RunMetrics m = a.metrics();

    assertThat(l.value()).isEqualTo(4.0);
    assertThat(l.partial()).isFalse();
    assertThat(l.requests()).isEqualTo(106).isEqualTo(m.requests());
    assertThat(l.ok()).isEqualTo(100);
    assertThat(l.shed()).isEqualTo(2);
    assertThat(l.timeouts()).isEqualTo(1);
    assertThat(l.errors()).isEqualTo(2);
    assertThat(l.cancelled()).isEqualTo(1);
    // Every failed request is counted once: shed, timeout or error; cancelled beside them.
    assertThat(l.shed() + l.timeouts() + l.errors()).isEqualTo(m.failed());
    assertThat(l.failuresByCode()).isEqualTo(m.failuresByCode());
    assertThat(l.failuresByCode().keySet())
        .containsExactly(
            "cancelled", "connect", "http_500", "shed_429", "shed_503", "timeout_first_byte");
    assertThat(l.completenessPercent()).isEqualTo(m.completenessPercent());
    assertThat(l.windowNanos()).isEqualTo(SweepFixtures.WINDOW_MS * MS);
    assertThat(l.outputTokensPerSecond()).isEqualTo(m.outputTokensPerSecond()).isEqualTo(200.0);
    assertThat(l.requestsPerSecond()).isEqualTo(m.requestsPerSecond()).isEqualTo(10.0);
    assertThat(l.ttftP50Nanos()).isEqualTo(m.ttftNanos().p50()).isEqualTo(50.0 * MS);
    assertThat(l.ttftP90Nanos()).isEqualTo(m.ttftNanos().p90());
    assertThat(l.ttftP99Nanos()).isEqualTo(m.ttftNanos().p99());
    assertThat(l.itlP50Nanos()).isEqualTo(m.chunkItlNanos().p50()).isEqualTo(10.0 * MS);
    assertThat(l.itlP99Nanos()).isEqualTo(m.chunkItlNanos().p99());
    assertThat(l.tpotP50Nanos()).isEqualTo(m.tpotNanos().p50());
    assertThat(l.tpotP99Nanos()).isEqualTo(m.tpotNanos().p99());
    assertThat(l.e2eP50Nanos()).isEqualTo(m.e2eNanos().p50()).isEqualTo(241.0 * MS);
    assertThat(l.e2eP99Nanos()).isEqualTo(m.e2eNanos().p99());
    assertThat(l.sendLagP99Nanos()).isEqualTo(m.sendLagNanos().p99());
    assertThat(l.goodputRatio()).isEqualTo(a.goodput().metRatio()).isEqualTo(100 / 106.0);
    assertThat(l.goodputPerSecond()).isEqualTo(a.goodput().metPerSecond());
  }

  @Test
  void withoutAnSloOrCompletedRequestsTheFiguresAreAbsentNotZero() {
    RunAnalysis a =
        level(0, 50, 10, times(3, new Failure.Shed(503, "busy")), false, null); // none ok
    SweepLevel l = SweepLevel.of(8, a);
    assertThat(l.ok()).isZero();
    assertThat(l.completenessPercent()).isEqualTo(0.0);
    assertThat(l.ttftP50Nanos()).isNull();
    assertThat(l.itlP50Nanos()).isNull();
    assertThat(l.e2eP99Nanos()).isNull();
    assertThat(l.goodputRatio()).isNull();
    assertThat(l.goodputPerSecond()).isNull();
  }

  @Test
  void theKneeIsWhereThroughputFlattensAndTtftClimbs() {
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(
                new double[] {1, 2, 4, 8, 16},
                level(100, 50),
                level(196, 52),
                level(380, 60),
                level(390, 250),
                level(392, 800)),
            null);

    assertThat(s.knee()).isEqualTo(new SweepAnalysis.Knee(2, 4, SweepAnalysis.KneeCause.TTFT_P50));
    assertThat(s.kneeIndex()).isEqualTo(2);
    // 390 / 380 - 1 = 2.63 %; 250 / 60 - 1 = 317 %.
    assertThat(s.kneeReason())
        .isEqualTo(
            "knee at concurrency 4: from 4 to 8, output throughput rose 2.63 % while TTFT p50 rose"
                + " 317 %");
    assertThat(s.levels()).extracting(SweepLevel::value).containsExactly(1.0, 2.0, 4.0, 8.0, 16.0);
    assertThat(s.levels().get(3).outputTokensPerSecond()).isCloseTo(390.0, within(1e-9));
    assertThat(s.axis()).isEqualTo(SweepAxis.CONCURRENCY);
    assertThat(s.toolVersion()).isEqualTo("0.1.0");
    assertThat(s.url()).isEqualTo("http://localhost:8000");
    assertThat(s.stoppedEarly()).isNull();
  }

  @Test
  void queueingIsWhereTtftJumpsWhileTheDecodeHolds() {
    // The knee (throughput flat, TTFT +27 %) at 2; TTFT jumps ×4.29 from 4 to 8 with the chunk gap
    // held at 10 ms.
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(
                new double[] {1, 2, 4, 8},
                level(100, 50),
                level(190, 55),
                level(195, 70),
                level(196, 300)),
            null);
    assertThat(s.kneeIndex()).isEqualTo(1);
    assertThat(s.queueing().index()).isEqualTo(2);
    assertThat(s.queueing().reason())
        .isEqualTo(
            "requests wait for the engine beyond concurrency 4: from 4 to 8, TTFT p50 rose 4.29×"
                + " while chunk ITL p50 held: the engine ran about 4 at once and queued the rest");
    // A slower decode is not queueing: TTFT ×5 with the gaps ×3 (10 → 30 ms).
    SweepAnalysis slower =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(
                new double[] {1, 2},
                level(100, 50, 10, List.of(), false, null),
                level(100, 250, 30, List.of(), false, null)),
            null);
    assertThat(slower.queueing()).isNull();
  }

  @Test
  void whenTtftStaysFlatTheKneeIsWhereE2eClimbs() {
    // Decode slows (chunk gaps 10, 10, 30 ms) while TTFT stays 50 ms.
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(
                new double[] {1, 2, 4},
                level(100, 50, 10, List.of(), false, null),
                level(198, 50, 10, List.of(), false, null),
                level(200, 50, 30, List.of(), false, null)),
            null);
    assertThat(s.knee()).isEqualTo(new SweepAnalysis.Knee(1, 2, SweepAnalysis.KneeCause.E2E_P50));
    // E2E p50 241 ms to 621 ms.
    assertThat(s.kneeReason())
        .isEqualTo(
            "knee at concurrency 2: from 2 to 4, output throughput rose 1.01 % while E2E p50 rose"
                + " 158 %");
  }

  @Test
  void theKneeIsWhereCompletenessDropsEvenWhileThroughputRises() {
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.RATE,
            levels(
                new double[] {1, 2, 4, 8, 16},
                level(100, 50),
                level(200, 51),
                level(400, 52),
                level(800, 55),
                // 800 ok and 130 shed: completeness 86 %; throughput still rose.
                level(1600, 56, 10, times(130, new Failure.Shed(503, "overloaded")), false, null)),
            null);

    assertThat(s.knee())
        .isEqualTo(new SweepAnalysis.Knee(3, 8, SweepAnalysis.KneeCause.COMPLETENESS));
    assertThat(s.kneeReason())
        .isEqualTo(
            "knee at rate 8/s: from 8/s to 16/s, completeness fell from 100 % to 86 % (HTTP 503"
                + " shedding)");
  }

  @Test
  void aDropOfOnePointOrLessIsNoKnee() {
    // 100 ok and 1 timeout: 99.0 %, one point below the level before.
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(
                new double[] {1, 2},
                level(100, 50),
                level(
                    200,
                    50,
                    10,
                    List.of(new Failure.Timeout(TimeoutPhase.IDLE, 1000 * MS)),
                    false,
                    null)),
            null);
    assertThat(s.levels().get(1).completenessPercent()).isCloseTo(99.0, within(0.01));
    assertThat(s.knee()).isNull();
  }

  @Test
  void aLinearRiseHasNoKnee() {
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(
                new double[] {1, 2, 4, 8},
                level(100, 50),
                level(200, 52),
                level(400, 55),
                level(800, 58)),
            null);
    assertThat(s.knee()).isNull();
    assertThat(s.kneeIndex()).isNull();
    assertThat(s.kneeReason())
        .isEqualTo(
            "no knee within the levels run; throughput still rising (from 4 to 8, output"
                + " throughput rose 100 %)");
  }

  @Test
  void flatThroughputWithFlatLatencyIsNoKneeAndSaysSo() {
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(new double[] {1, 2}, level(400, 50), level(402, 52)),
            null);
    assertThat(s.knee()).isNull();
    assertThat(s.kneeReason())
        .isEqualTo(
            "no knee within the levels run; throughput flattened but latency did not climb (from"
                + " 1 to 2, output throughput rose 0.5 %, TTFT p50 and E2E p50 rose no more than"
                + " 20 %)");
  }

  @Test
  void theThresholdsFollowTheStep() {
    // From 4 to 5 the load rises 25 %: throughput must rise under 2.5 % and latency over 5 %.
    SweepAnalysis fine =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(new double[] {4, 5}, level(400, 100), level(404, 110)),
            null);
    assertThat(fine.knee())
        .isEqualTo(new SweepAnalysis.Knee(0, 4, SweepAnalysis.KneeCause.TTFT_P50));
    // The same figures under a doubling are no knee: latency rose only 10 % of a 100 % rise.
    SweepAnalysis doubling =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(new double[] {4, 8}, level(400, 100), level(404, 110)),
            null);
    assertThat(doubling.knee()).isNull();
    // Throughput keeping up with a 25 % step (20 %) is still rising.
    SweepAnalysis rising =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(new double[] {4, 5}, level(400, 100), level(480, 150)),
            null);
    assertThat(rising.knee()).isNull();
  }

  @Test
  void aFallingThroughputUnderClimbingLatencyIsAKnee() {
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.RATE,
            levels(new double[] {0.5, 1, 2}, level(100, 50), level(200, 50), level(180, 900)),
            null);
    assertThat(s.knee()).isEqualTo(new SweepAnalysis.Knee(1, 1, SweepAnalysis.KneeCause.TTFT_P50));
    assertThat(s.kneeReason())
        .isEqualTo(
            "knee at rate 1/s: from 1/s to 2/s, output throughput fell 10 % while TTFT p50 rose"
                + " 1700 %");
  }

  @Test
  void aLevelCutShortIsNotJudged() {
    // The last level was interrupted: its cancelled requests are no sign of a knee.
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            levels(
                new double[] {1, 2, 4},
                level(100, 50),
                level(200, 50),
                level(
                    210,
                    400,
                    10,
                    times(40, new Failure.Cancelled("interrupted by SIGINT")),
                    true,
                    null)),
            "interrupted by SIGINT");
    assertThat(s.levels().get(2).partial()).isTrue();
    assertThat(s.knee()).isNull();
    assertThat(s.kneeReason()).startsWith("no knee within the levels run; throughput still rising");
    assertThat(s.stoppedEarly()).isEqualTo("interrupted by SIGINT");
  }

  @Test
  void oneLevelHasNoKnee() {
    SweepAnalysis s =
        SweepAnalysis.of(SweepAxis.CONCURRENCY, levels(new double[] {1}, level(100, 50)), null);
    assertThat(s.knee()).isNull();
    assertThat(s.kneeReason()).isEqualTo("no knee: one level run, nothing to compare it with");
  }

  @Test
  void levelsWithoutThroughputAreNotCompared() {
    RunAnalysis none = level(0, 50, 10, times(2, new Failure.Connect("refused")), false, null);
    RunAnalysis none2 = level(0, 50, 10, times(2, new Failure.Connect("refused")), false, null);
    SweepAnalysis s =
        SweepAnalysis.of(SweepAxis.CONCURRENCY, levels(new double[] {1, 2}, none, none2), null);
    assertThat(s.knee()).isNull();
    assertThat(s.kneeReason())
        .isEqualTo("no knee: no two successive whole levels had output throughput to compare");
  }

  @Test
  void levelsMustBeGivenAndRise() {
    assertThatThrownBy(() -> SweepAnalysis.of(SweepAxis.RATE, List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a sweep needs at least one level");
    assertThatThrownBy(
            () ->
                SweepAnalysis.of(
                    SweepAxis.RATE,
                    levels(new double[] {2, 1.5}, level(100, 50), level(100, 50)),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweep levels must rise: 1.5/s after 2/s");
    assertThatThrownBy(() -> new SweepAnalysis.Level(0, level(100, 50)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SweepAnalysis.Level(Double.NaN, level(100, 50)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void levelValuesPrintWithoutNeedlessDecimals() {
    assertThat(SweepAxis.CONCURRENCY.level(4)).isEqualTo("concurrency 4");
    assertThat(SweepAxis.RATE.level(8)).isEqualTo("rate 8/s");
    assertThat(SweepAxis.RATE.value(0.25)).isEqualTo("0.25/s");
    assertThat(SweepAxis.RATE.value(1.1)).isEqualTo("1.1/s");
  }

  private static List<SweepLevel> soFar(SweepAxis axis, double[] values, RunAnalysis... runs) {
    return SweepAnalysis.of(axis, levels(values, runs), null).levels();
  }

  @Test
  void theSweepStopsWhenCompletenessFallsBelowTheMinimum() {
    // 82 ok (164 tok/s) and 18 shed: 82 %.
    List<SweepLevel> levels =
        soFar(
            SweepAxis.CONCURRENCY,
            new double[] {8, 16},
            level(400, 50),
            level(164, 60, 10, times(18, new Failure.Shed(503, "busy")), false, null));
    assertThat(SweepAnalysis.stopReason(SweepAxis.CONCURRENCY, levels, 90.0, null))
        .isEqualTo(
            "completeness 82 % at concurrency 16 fell below the 90 % minimum (HTTP 503"
                + " shedding)");
    assertThat(SweepAnalysis.stopReason(SweepAxis.CONCURRENCY, levels, 80.0, null)).isNull();
    assertThat(SweepAnalysis.stopReason(SweepAxis.CONCURRENCY, levels, null, null)).isNull();
    // Only the last level is judged: the first was judged when it was last.
    assertThat(SweepAnalysis.stopReason(SweepAxis.CONCURRENCY, levels.subList(0, 1), 90.0, null))
        .isNull();
  }

  @Test
  void theSweepStopsWhenTtftP99PassesTheBound() {
    List<SweepLevel> levels =
        soFar(SweepAxis.RATE, new double[] {4, 8}, level(400, 50), level(410, 2400));
    assertThat(SweepAnalysis.stopReason(SweepAxis.RATE, levels, 90.0, 2_000 * MS))
        .isEqualTo("TTFT p99 2.4 s at rate 8/s passed the 2 s bound");
    assertThat(SweepAnalysis.stopReason(SweepAxis.RATE, levels, null, 3_000 * MS)).isNull();
    assertThat(SweepAnalysis.stopReason(SweepAxis.RATE, levels.subList(0, 1), null, 40 * MS))
        .isEqualTo("TTFT p99 50 ms at rate 4/s passed the 40 ms bound");
  }

  @Test
  void theSweepStopsWhenNoRequestCompletedWhateverTheBounds() {
    List<SweepLevel> levels =
        soFar(
            SweepAxis.CONCURRENCY,
            new double[] {1, 2},
            level(100, 50),
            level(0, 50, 10, times(5, new Failure.Http(500, "boom")), false, null));
    assertThat(SweepAnalysis.stopReason(SweepAxis.CONCURRENCY, levels, null, null))
        .isEqualTo("no request of 5 completed at concurrency 2 (HTTP 500 errors)");
  }

  @Test
  void stopBoundsAreChecked() {
    assertThat(SweepAnalysis.stopReason(SweepAxis.RATE, List.of(), 90.0, 1L)).isNull();
    assertThatThrownBy(() -> SweepAnalysis.stopReason(SweepAxis.RATE, List.of(), 101.0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SweepAnalysis.stopReason(SweepAxis.RATE, List.of(), null, 0L))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failuresAreNamedByWhatMostOfThemWere() {
    assertThat(
            SweepAnalysis.failures(SweepLevel.of(1, level(0, 50, 10, failuresOf(), false, null))))
        .isEqualTo("HTTP 429/503 shedding");
    assertThat(
            SweepAnalysis.failures(
                SweepLevel.of(
                    1,
                    level(
                        0,
                        50,
                        10,
                        times(2, new Failure.Timeout(TimeoutPhase.TOTAL, MS)),
                        false,
                        null))))
        .isEqualTo("timeouts");
    assertThat(
            SweepAnalysis.failures(
                SweepLevel.of(
                    1, level(0, 50, 10, times(2, new Failure.Connect("refused")), false, null))))
        .isEqualTo("errors (connect)");
    assertThat(SweepAnalysis.failures(SweepLevel.of(1, level(100, 50)))).isEqualTo("no failure");
  }

  private static List<Failure> failuresOf() {
    List<Failure> f = new ArrayList<>(times(2, new Failure.Shed(503, "busy")));
    f.add(new Failure.Shed(429, "slow down"));
    f.add(new Failure.Http(500, "boom"));
    return f;
  }
}
