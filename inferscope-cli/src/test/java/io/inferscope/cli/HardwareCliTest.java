package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process-tree sampling from the command line, with real processes. */
class HardwareCliTest {

  @Test
  void aPidThatDoesNotExistIsAUsageError() throws Exception {
    int pidMax =
        Integer.parseInt(
            Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).getFirst().strip());
    CliTest.Result r =
        CliTest.run(
            "run", "--url", "http://127.0.0.1:1", "-n", "1", "--pid", Integer.toString(pidMax + 1));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no process " + (pidMax + 1)).contains("--pid");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
  }

  @Test
  void sampleOnlyNeedsAProcess() {
    CliTest.Result noTarget = CliTest.run("run", "--sample-only", "--duration", "1s");
    assertThat(noTarget.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noTarget.err()).contains("--sample-only");
  }

  @Test
  void sampleOnlySamplesAChildTreeWithoutLoad(@TempDir Path dir) throws Exception {
    Process child =
        new ProcessBuilder("sh", "-c", "while :; do :; done & sleep 30; wait")
            .redirectErrorStream(true)
            .start();
    try {
      Path json = dir.resolve("sample.json");
      CliTest.Result r =
          CliTest.run(
              "run",
              "--sample-only",
              "--pid",
              Long.toString(child.pid()),
              "--duration",
              "1s",
              "--no-gpu",
              "--json",
              json.toString());
      assertThat(r.code()).as(r.err()).isZero();
      RunResult saved = JsonReport.read(json);
      assertThat(saved.meta().mode()).isEqualTo("sample-only");
      assertThat(saved.traces()).isEmpty();
      assertThat(saved.hardware().enginePid()).isEqualTo((int) child.pid());
      var samples = saved.hardware().processTree().samples();
      // A loaded host may skip ticks, never add any: sample i is never before i periods.
      assertThat(samples).hasSizeGreaterThanOrEqualTo(2);
      long period = saved.hardware().processTree().periodNanos();
      for (int i = 0; i < samples.size(); i++) {
        assertThat(samples.get(i).atNanos()).as("sample %d", i).isGreaterThanOrEqualTo(i * period);
      }
      // The spinning grandchild is seen under the sh root.
      assertThat(samples.getLast().processes()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(saved.hardware().gpu().unavailableReason()).contains("--no-gpu");
      assertThat(r.out()).contains("Process tree");
    } finally {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
      child.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLocalEngineIsFoundFromTheUrlPort(@TempDir Path dir) throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      Path json = dir.resolve("run.json");
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-n",
              "4",
              "--max-tokens",
              "4",
              "--no-gpu",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      RunResult saved = JsonReport.read(json);
      // The simulated engine listens inside this JVM: the port lookup finds this process.
      assertThat(saved.hardware().enginePid()).isEqualTo((int) ProcessHandle.current().pid());
      assertThat(saved.facts().engineProcess().foundBy()).contains("from --url");
      assertThat(saved.hardware().processTree().samples()).isNotEmpty();
    }
  }
}
