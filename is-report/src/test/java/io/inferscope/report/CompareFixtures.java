package io.inferscope.report;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunComparison;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.Slo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs to compare, with every figure present: {@value #REQUESTS} completed requests sent 8 ms apart
 * from 100 ms, each with TTFT {@code ttftMs} plus up to 10 ms of seeded noise and five content
 * chunks whose gap is 10 ms plus up to 4 ms; the standard hardware (the engine's tree and two GPUs,
 * so energy and tokens per joule); an SLO of TTFT 60 ms.
 *
 * <p>The standard comparison: A (TTFT 50 ms) against B (TTFT 65 ms, model {@code other-model}):
 * TTFT and E2E regress, TPOT, chunk ITL and decode rate do not differ beyond noise.
 */
final class CompareFixtures {

  static final int REQUESTS = 300;
  static final Slo SLO = new Slo(60 * Fixtures.MS, null, null);

  private CompareFixtures() {}

  static RunAnalysis run(long ttftMs, long seed, String model) {
    Random r = new Random(seed);
    List<RequestTrace> traces = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      traces.add(
          Fixtures.ok(
              i, false, 100 + 8L * i, 0, ttftMs + r.nextInt(10), 5, 10 + r.nextInt(5), 5, null));
    }
    RunMeta meta = Fixtures.meta(model).withSlo(SLO);
    return RunAnalysis.of(
        new RunResult(
            meta, Fixtures.clock(), traces, 3000 * Fixtures.MS, false, null, Fixtures.hardware()));
  }

  static RunComparison standard() {
    return RunComparison.of(
        List.of(
            new RunComparison.Input("runs/a.json", 3, run(50, 1, "llama-3.1-8b-instruct")),
            new RunComparison.Input("runs/b.json", 3, run(65, 2, "other-model"))),
        Bootstrap.Settings.DEFAULT);
  }

  /** A run against itself. */
  static RunComparison itself() {
    RunAnalysis a = run(50, 1, "llama-3.1-8b-instruct");
    return RunComparison.of(
        List.of(new RunComparison.Input("a.json", 3, a), new RunComparison.Input("a.json", 3, a)),
        Bootstrap.Settings.DEFAULT);
  }
}
