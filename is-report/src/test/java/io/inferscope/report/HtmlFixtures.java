package io.inferscope.report;

import static io.inferscope.report.Fixtures.MS;

import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunResult;
import io.inferscope.core.TimeoutPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic run for the HTML report: the standard run of {@link Fixtures} (a warm-up, completed,
 * reasoning, failed and cancelled requests) plus 24 more completed requests and two more failures
 * spread over the run, with the standard process tree and two GPUs. 34 measured requests.
 */
final class HtmlFixtures {

  static final int MEASURED = 34;

  private HtmlFixtures() {}

  static List<RequestTrace> traces() {
    List<RequestTrace> t = new ArrayList<>(Fixtures.standardTraces());
    int id = t.size();
    for (int i = 0; i < 24; i++) {
      long send = 900 + 70L * i;
      long ttft = 30 + (i * 37L) % 120;
      int chunks = 8 + (i * 7) % 20;
      long gap = 8 + (i * 5L) % 9;
      t.add(Fixtures.ok(id++, false, send, i % 5 == 0 ? 2 : 0, ttft, chunks, gap, chunks, null));
      if (i == 8) {
        t.add(Fixtures.failed(id++, send + 10, 120, 500, new Failure.Http(500, "CUDA OOM")));
      }
      if (i == 16) {
        t.add(
            Fixtures.failed(
                id++,
                send + 20,
                300,
                null,
                new Failure.Timeout(TimeoutPhase.FIRST_BYTE, 300 * MS)));
      }
    }
    return t;
  }

  static RunResult run() {
    return Fixtures.run(traces(), Fixtures.hardware())
        .withEngineMetrics(RunSchemaTest.engineMetrics());
  }
}
