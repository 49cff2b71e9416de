package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Finding;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientOverheadTest {

  private static RunResult runAgainstSim(Path json, int requests) throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "4",
              "-n",
              Integer.toString(requests),
              "--max-tokens",
              "8",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("\nClient\n", "client CPU ");
      return JsonReport.read(json);
    }
  }

  private static List<String> codes(RunResult run) {
    return RunAnalysis.of(run).findings().stream().map(Finding::code).toList();
  }

  @Test
  void everyRunMeasuresTheClientAndAnIdleClientRaisesNoCpuWarning(@TempDir Path dir)
      throws Exception {
    RunResult saved = runAgainstSim(dir.resolve("run.json"), 24);
    ClientOverhead c = saved.client();
    assertThat(c).isNotNull();
    assertThat(c.cpuPercent()).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(c.availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.schedulingLagMaxNanos()).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(c.schedulingLagP99Nanos())
        .isNotNull()
        .isLessThanOrEqualTo(c.schedulingLagMaxNanos());
    assertThat(c.gcPauses()).isNotNull();
    assertThat(codes(saved)).doesNotContain("client_cpu_saturated");
  }

  @Test
  void aClientStarvedOfCpuIsWarnedAbout(@TempDir Path dir) throws Exception {
    AtomicBoolean spin = new AtomicBoolean(true);
    List<Thread> spinners = new ArrayList<>();
    RunResult saved;
    try {
      for (int i = 0; i < Runtime.getRuntime().availableProcessors() * 2; i++) {
        spinners.add(
            Thread.ofPlatform()
                .daemon()
                .name("test-spinner-" + i)
                .start(
                    () -> {
                      while (spin.get()) {
                        Thread.onSpinWait();
                      }
                    }));
      }
      // long enough (a few seconds) for the scheduler to hold the probe back more than once
      saved = runAgainstSim(dir.resolve("run.json"), 240);
    } finally {
      spin.set(false);
      for (Thread t : spinners) {
        t.join();
      }
    }
    // The kernel's time slice bounds the lag near 4 ms on a small host, so a starved probe shows as
    // well over an idle one's ~0.1 ms rather than always past the 5 ms warning; the CPU finding
    // covers the rest.
    assertThat(saved.client().schedulingLagMaxNanos())
        .as(saved.client().toString())
        .isGreaterThan(1_000_000L);
    assertThat(codes(saved))
        .as(saved.client().toString())
        .containsAnyOf("client_scheduling_lag", "client_cpu_saturated");
  }
}
