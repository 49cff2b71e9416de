package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Finding;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  void everyRunMeasuresTheClientAndWarnsOfItsCpuOnlyPastTheLine(@TempDir Path dir)
      throws Exception {
    RunResult saved = runAgainstSim(dir.resolve("run.json"), 24);
    ClientOverhead c = saved.client();
    assertThat(c).isNotNull();
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(c.cpuPercent()).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(c.availableProcessors()).isEqualTo(cpus);
    assertThat(c.schedulingLagMaxNanos()).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(c.schedulingLagP99Nanos())
        .isNotNull()
        .isLessThanOrEqualTo(c.schedulingLagMaxNanos());
    assertThat(c.gcPauses()).isNotNull();
    // The engine runs in this JVM too, and how busy that makes it depends on the host (the JIT
    // alone can fill two cores): the warning must follow the measured share of the host.
    assertThat(codes(saved).contains("client_cpu_saturated"))
        .as(c.toString())
        .isEqualTo(c.cpuPercent() >= 80.0 * cpus);
  }

  @Test
  void aClientStarvedOfCpuIsWarnedAbout(@TempDir Path dir) throws Exception {
    // Busy threads beside the client leave its starvation to the host's scheduler. SIGSTOP starves
    // it for certain: every thread of this JVM stands still for 300 ms in the middle of the run,
    // so the lag probe wakes that late.
    Path json = dir.resolve("run.json");
    long pid = ProcessHandle.current().pid();
    RunResult saved;
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CompletableFuture<Long> pausedUntil = new CompletableFuture<>();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  // Once the run is under way: its first request has reached the engine.
                  while (engine.requestsReceived() == 0) {
                    Thread.sleep(5);
                  }
                  Process pause =
                      new ProcessBuilder(
                              "sh",
                              "-c",
                              "kill -STOP "
                                  + pid
                                  + "; sleep 0.3; kill -CONT "
                                  + pid
                                  + " || kill -CONT "
                                  + pid)
                          .start();
                  pause.waitFor();
                  pausedUntil.complete(System.nanoTime());
                } catch (Exception e) {
                  pausedUntil.completeExceptionally(e);
                }
              });
      // The 3 s duration only guards that the pause, begun at the first request, ends in the run.
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "4",
              "-d",
              "3s",
              "--max-tokens",
              "8",
              "--json",
              json.toString(),
              "--progress",
              "off");
      long runEnded = System.nanoTime();
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(pausedUntil.get(30, TimeUnit.SECONDS))
          .as("paused within the run")
          .isLessThan(runEnded);
      saved = JsonReport.read(json);
    }
    assertThat(saved.client().schedulingLagMaxNanos())
        .as(saved.client().toString())
        .isGreaterThan(200_000_000L);
    assertThat(codes(saved)).as(saved.client().toString()).contains("client_scheduling_lag");
  }
}
