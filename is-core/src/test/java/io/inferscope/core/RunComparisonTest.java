package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.RunComparison.Figure;
import io.inferscope.core.RunComparison.Pair;
import io.inferscope.core.RunComparison.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Runs compared: figures from the analysis, verdicts from the bootstrap, what differs listed. */
class RunComparisonTest {

  /**
   * {@code n} completed requests, sent 50 ms apart: TTFT {@code ttftMs} plus up to 10 ms of seeded
   * noise, then 11 tokens over 100 ms plus up to 20 ms; every {@code failEvery}-th request failed
   * (0: none).
   */
  static RunResult run(int n, long ttftMs, long seed, int failEvery, Slo slo, String endpoint) {
    Random r = new Random(seed);
    List<RequestTrace> traces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long send = i * 50L;
      if (failEvery > 0 && i % failEvery == failEvery - 1) {
        traces.add(
            CorrelationFixtures.failed(i, send, send + 5, new Failure.Shed(503, "busy", null)));
        continue;
      }
      long first = send + ttftMs + r.nextInt(10);
      long last = first + 100 + r.nextInt(20);
      traces.add(CorrelationFixtures.ok(i, false, send, first, last, last + 1, 11));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("concurrency", "4");
    settings.put("requests", Integer.toString(n));
    long end = traces.stream().mapToLong(RequestTrace::endNanos).max().orElse(0);
    return new RunResult(
        new RunMeta(
            "0.1.0", "run", List.of("inferscope"), "http://x", endpoint, "m", settings, slo),
        new RunClock(0, Instant.parse("2025-06-01T12:00:00Z")),
        traces,
        end,
        false,
        null);
  }

  private static RunAnalysis analysis(int n, long ttftMs, long seed) {
    return RunAnalysis.of(run(n, ttftMs, seed, 0, null, "chat"));
  }

  @Test
  void theFiguresAreTheAnalysisOwn() {
    RunAnalysis a = RunAnalysis.of(run(300, 50, 1, 25, new Slo(58 * MS, null, null), "chat"));
    RunAnalysis b = RunAnalysis.of(run(300, 50, 2, 0, new Slo(58 * MS, null, null), "chat"));
    Pair p = RunComparison.of(a, b, Bootstrap.Settings.DEFAULT).pairs().getFirst();
    assertThat(p.figure("ttft.p50").baseline()).isEqualTo(a.metrics().ttftNanos().p50());
    assertThat(p.figure("ttft.p99").value()).isEqualTo(b.metrics().ttftNanos().p99());
    assertThat(p.figure("tpot.p90").baseline()).isEqualTo(a.metrics().tpotNanos().p90());
    assertThat(p.figure("itl.p50").baseline()).isEqualTo(a.metrics().chunkItlNanos().p50());
    assertThat(p.figure("e2e.p99").baseline()).isEqualTo(a.metrics().e2eNanos().p99());
    assertThat(p.figure("decode_rate.p50").value())
        .isEqualTo(b.metrics().decodeTokensPerSecond().p50());
    assertThat(p.figure("output_tokens_per_s").baseline())
        .isEqualTo(a.metrics().outputTokensPerSecond());
    assertThat(p.figure("completeness").baseline()).isEqualTo(a.metrics().completenessPercent());
    assertThat(p.figure("failed").baseline()).isEqualTo(12.0);
    assertThat(p.figure("goodput").baseline()).isEqualTo(a.goodput().metRatio() * 100);
    // Each figure's estimate is the difference of the figures.
    for (Figure f : p.figures()) {
      if (f.interval() != null) {
        assertThat(f.interval().estimate())
            .as(f.path())
            .isCloseTo(f.delta(), org.assertj.core.api.Assertions.within(1e-6));
      }
    }
    // 12 of 300 failed in A: completeness 96 % against 100 %, beyond noise.
    assertThat(p.verdict("completeness")).isEqualTo(Verdict.IMPROVEMENT);
    assertThat(p.figure("failed").verdict()).isEqualTo(Verdict.NO_INTERVAL);
    assertThat(p.figure("failed").note()).isEqualTo("no interval (one value per run)");
    assertThat(p.verdict("gpu.energy_j")).isEqualTo(Verdict.ABSENT);
    assertThat(p.figure("gpu.energy_j").note()).isEqualTo("absent from both runs");
    assertThat(RunComparison.FIGURES)
        .startsWith("ttft.p50", "ttft.p90", "ttft.p99")
        .contains("itl.p99", "decode_rate.p50", "requests_per_s", "goodput_per_s")
        .doesNotHaveDuplicates();
    assertThat(p.figures()).extracting(Figure::path).isEqualTo(RunComparison.FIGURES);
  }

  @Test
  void aRunComparedWithItselfShowsNoSignificantDifference() {
    RunAnalysis a = analysis(400, 50, 1);
    RunComparison c = RunComparison.of(a, a, Bootstrap.Settings.DEFAULT);
    Pair p = c.pairs().getFirst();
    assertThat(p.differences()).isEmpty();
    for (Figure f : p.figures()) {
      assertThat(f.verdict().significant()).as(f.path()).isFalse();
      if (f.interval() != null) {
        assertThat(f.verdict()).as(f.path()).isEqualTo(Verdict.NO_SIGNIFICANT_DIFFERENCE);
        assertThat(f.delta()).isZero();
      }
    }
    assertThat(p.verdict("ttft.p99")).isEqualTo(Verdict.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(p.verdict("output_tokens_per_s")).isEqualTo(Verdict.NO_INTERVAL);
  }

  @Test
  void aSlowerFirstTokenIsARegressionAndTheUnchangedDecodeIsNot() {
    RunAnalysis a = analysis(300, 50, 1);
    RunAnalysis b = analysis(300, 58, 2);
    Pair p = RunComparison.of(a, b, Bootstrap.Settings.DEFAULT).pairs().getFirst();
    assertThat(p.verdict("ttft.p50")).isEqualTo(Verdict.REGRESSION);
    assertThat(p.verdict("ttft.p90")).isEqualTo(Verdict.REGRESSION);
    assertThat(p.figure("ttft.p50").interval().low()).isGreaterThan(0);
    assertThat(p.figure("ttft.p50").delta()).isBetween(6e6, 10e6);
    assertThat(p.verdict("tpot.p50")).isEqualTo(Verdict.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(p.verdict("decode_rate.p50")).isEqualTo(Verdict.NO_SIGNIFICANT_DIFFERENCE);
    // The other way round, the same figures improve.
    Pair back = RunComparison.of(b, a, Bootstrap.Settings.DEFAULT).pairs().getFirst();
    assertThat(back.verdict("ttft.p50")).isEqualTo(Verdict.IMPROVEMENT);
    // The same runs and settings give the same comparison.
    assertThat(RunComparison.of(a, b, Bootstrap.Settings.DEFAULT).pairs().getFirst()).isEqualTo(p);
  }

  @Test
  void aHigherRateIsAnImprovement() {
    // Faster decode: TPOT down, decode rate up; both are improvements.
    RunAnalysis a = analysis(300, 50, 1);
    List<RequestTrace> fast = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < 300; i++) {
      long send = i * 50L;
      long first = send + 50 + r.nextInt(10);
      long last = first + 70 + r.nextInt(20);
      fast.add(CorrelationFixtures.ok(i, false, send, first, last, last + 1, 11));
    }
    RunAnalysis b =
        RunAnalysis.of(
            new RunResult(a.run().meta(), a.run().clock(), fast, a.run().endNanos(), false, null));
    Pair p = RunComparison.of(a, b, Bootstrap.Settings.DEFAULT).pairs().getFirst();
    assertThat(p.verdict("tpot.p50")).isEqualTo(Verdict.IMPROVEMENT);
    assertThat(p.verdict("decode_rate.p50")).isEqualTo(Verdict.IMPROVEMENT);
    assertThat(p.figure("decode_rate.p50").interval().low()).isGreaterThan(0);
  }

  /** {@code n} completed requests with TTFT {@code ttftMs} plus a Gaussian 5 ms, to the ns. */
  private static RunAnalysis continuous(int n, double ttftMs, long seed) {
    Random r = new Random(seed);
    List<RequestTrace> traces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long send = i * 50L * MS;
      long first = send + (long) ((ttftMs + 5 * r.nextGaussian()) * MS);
      EventLog events =
          new EventLog.Builder()
              .add(first, ChunkKind.CONTENT, 3)
              .add(first + 100 * MS, ChunkKind.CONTENT, 3)
              .build();
      traces.add(
          new RequestTrace(
              i, false, send, send, send, first + 101 * MS, 200, events, null, null, "stop", null));
    }
    RunResult base = run(1, 50, 1, 0, null, "chat");
    return RunAnalysis.of(
        new RunResult(base.meta(), base.clock(), traces, traces.getLast().endNanos(), false, null));
  }

  @Test
  void aDifferenceBeyondNoiseButUnderTheMinimumEffectIsNotCalledOne() {
    // 2,000 requests a run: TTFT 1 ms (2 %) slower, far beyond the requests' resampling noise.
    List<RunComparison.Input> runs =
        List.of(
            new RunComparison.Input("a", null, continuous(2000, 50, 1)),
            new RunComparison.Input("b", null, continuous(2000, 51, 2)));
    Figure f =
        RunComparison.of(runs, Bootstrap.Settings.DEFAULT, 5).pairs().getFirst().figure("ttft.p50");
    assertThat(f.interval().low()).isGreaterThan(0);
    assertThat(f.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(f.note()).isEqualTo("beyond resampling noise, under the minimum effect");
    RunComparison strict = RunComparison.of(runs, Bootstrap.Settings.DEFAULT, 0);
    assertThat(strict.minEffectPercent()).isZero();
    assertThat(strict.pairs().getFirst().verdict("ttft.p50")).isEqualTo(Verdict.REGRESSION);
    assertThat(strict.pairs().getFirst().figure("ttft.p50").note()).isNull();
    assertThat(
            RunComparison.of(
                    runs.get(0).analysis(), runs.get(1).analysis(), Bootstrap.Settings.DEFAULT)
                .minEffectPercent())
        .isEqualTo(RunComparison.DEFAULT_MIN_EFFECT_PERCENT);
    assertThatThrownBy(() -> RunComparison.of(runs, Bootstrap.Settings.DEFAULT, -1))
        .hasMessageContaining("minimum effect");
  }

  @Test
  void aHighPercentileOfAShortRunGetsNoIntervalAndSaysWhy() {
    Pair p =
        RunComparison.of(analysis(100, 50, 1), analysis(100, 50, 2), Bootstrap.Settings.DEFAULT)
            .pairs()
            .getFirst();
    Figure p99 = p.figure("ttft.p99");
    assertThat(p99.verdict()).isEqualTo(Verdict.TOO_FEW_VALUES);
    assertThat(p99.interval()).isNull();
    assertThat(p99.delta()).isNotNull();
    assertThat(p99.note()).isEqualTo("too few values: p99 needs 200 a run");
    // Chunk ITL pools one gap a request here (two text events each): 100 values.
    assertThat(p.verdict("itl.p99")).isEqualTo(Verdict.TOO_FEW_VALUES);
    assertThat(p.verdict("ttft.p90"))
        .isIn(Verdict.NO_SIGNIFICANT_DIFFERENCE, Verdict.REGRESSION, Verdict.IMPROVEMENT);
    Pair tiny =
        RunComparison.of(analysis(5, 50, 1), analysis(5, 50, 2), Bootstrap.Settings.DEFAULT)
            .pairs()
            .getFirst();
    assertThat(tiny.figure("ttft.p50").note())
        .isEqualTo("too few requests: an interval needs 10 a run");
  }

  @Test
  void whatDiffersIsListedAndTheFiguresAreComparedAnyway() {
    RunAnalysis a = RunAnalysis.of(run(50, 50, 1, 0, new Slo(60 * MS, null, null), "chat"));
    RunResult other = run(80, 50, 2, 0, new Slo(80 * MS, null, null), "completions");
    RunMeta m = other.meta();
    RunResult b =
        new RunResult(
            new RunMeta(
                m.toolVersion(),
                m.mode(),
                m.commandLine(),
                "http://y",
                m.endpoint(),
                "m2",
                m.settings(),
                m.slo()),
            other.clock(),
            other.traces(),
            other.endNanos(),
            true,
            "interrupted by SIGINT");
    RunComparison c =
        RunComparison.of(
            List.of(
                new RunComparison.Input("a.json", 2, a),
                new RunComparison.Input("b.json", 3, RunAnalysis.of(b))),
            Bootstrap.Settings.DEFAULT);
    Pair p = c.pairs().getFirst();
    assertThat(p.differences())
        .containsExactly(
            "schema_version: 2 vs 3 (both read and analysed by this version)",
            "url: http://x vs http://y",
            "endpoint: chat vs completions",
            "model: m vs m2",
            "slo: ttft=60ms vs ttft=80ms",
            "setting requests: 50 vs 80",
            "cut short: no vs yes");
    assertThat(p.verdict("goodput")).isEqualTo(Verdict.NOT_COMPARABLE);
    assertThat(p.figure("goodput").note()).isEqualTo("not comparable: the runs' SLOs differ");
    assertThat(p.verdict("goodput_per_s")).isEqualTo(Verdict.NOT_COMPARABLE);
    assertThat(p.verdict("ttft.p50")).isEqualTo(Verdict.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(c.runs()).extracting(RunComparison.Run::label).containsExactly("a.json", "b.json");
    assertThat(c.runs().get(1).partial()).isTrue();
  }

  @Test
  void everyRunAfterTheFirstIsComparedWithTheFirst() {
    RunComparison c =
        RunComparison.of(
            List.of(
                new RunComparison.Input("a", null, analysis(200, 50, 1)),
                new RunComparison.Input("b", null, analysis(200, 70, 2)),
                new RunComparison.Input("c", null, analysis(200, 30, 3))),
            Bootstrap.Settings.DEFAULT);
    assertThat(c.pairs()).extracting(p -> p.run().label()).containsExactly("b", "c");
    assertThat(c.pairs().get(0).verdict("ttft.p50")).isEqualTo(Verdict.REGRESSION);
    assertThat(c.pairs().get(1).verdict("ttft.p50")).isEqualTo(Verdict.IMPROVEMENT);
    // A distribution per latency figure, each run's percentiles at the grid.
    RunComparison.Distribution ttft = c.distributions().getFirst();
    assertThat(ttft.metric()).isEqualTo("ttft");
    assertThat(ttft.percentiles()).hasSize(3);
    assertThat(ttft.percentiles().get(1)).hasSize(RunComparison.Distribution.GRID.length);
    assertThat(ttft.percentiles().get(1)[100])
        .isEqualTo(c.pairs().get(0).figure("ttft.p50").value());
    assertThat(c.distributions())
        .extracting(RunComparison.Distribution::metric)
        .containsExactly("ttft", "tpot", "itl", "e2e");
    assertThatThrownBy(() -> c.pairs().getFirst().verdict("ttft.p95"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no figure ttft.p95")
        .hasMessageContaining("ttft.p99");
    List<RunComparison.Input> one = List.of(new RunComparison.Input("a", null, analysis(5, 50, 1)));
    assertThatThrownBy(() -> RunComparison.of(one, Bootstrap.Settings.DEFAULT))
        .hasMessageContaining("at least two runs");
  }
}
