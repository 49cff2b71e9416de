package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunResult;
import io.inferscope.probe.Endpoint;
import io.inferscope.probe.Timeouts;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimEngine;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --stop-grace} on run and demo: parsed like every duration, defaulted, refused in one line.
 */
class StopGraceOptionTest {

  private static RunCommand parseRun(String... extra) {
    CommandLine cl = Main.newCommandLine();
    String[] args = new String[extra.length + 3];
    args[0] = "run";
    args[1] = "--url";
    args[2] = "http://127.0.0.1:1";
    System.arraycopy(extra, 0, args, 3, extra.length);
    cl.parseArgs(args);
    return (RunCommand) cl.getSubcommands().get("run").getCommand();
  }

  private static DemoCommand parseDemo(String... extra) {
    CommandLine cl = Main.newCommandLine();
    String[] args = new String[extra.length + 1];
    args[0] = "demo";
    System.arraycopy(extra, 0, args, 1, extra.length);
    cl.parseArgs(args);
    return (DemoCommand) cl.getSubcommands().get("demo").getCommand();
  }

  /** The grace the load runner would get from {@code run}. */
  private static Duration runnerGrace(RunCommand run) {
    return run.toSpec(
            URI.create("http://127.0.0.1:1"),
            Endpoint.CHAT,
            "m",
            io.inferscope.probe.Workload.prompt("p"),
            null,
            null,
            1,
            null)
        .timeouts()
        .stopGrace();
  }

  @Test
  void theDefaultIsTheRunnersDefaultOnBothCommands() {
    assertThat(Timeouts.defaults().stopGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(runnerGrace(parseRun())).isEqualTo(Timeouts.defaults().stopGrace());
    assertThat(parseRun().load.settings(1, 32, null, null, false))
        .containsEntry("stop_grace", "3s");
    assertThat(parseDemo().stopGrace).isEqualTo(Timeouts.defaults().stopGrace());
  }

  @Test
  void itTakesTheDurationSyntaxOfTheOtherOptionsAndZero() {
    assertThat(runnerGrace(parseRun("--stop-grace", "250ms"))).isEqualTo(Duration.ofMillis(250));
    assertThat(runnerGrace(parseRun("--stop-grace", "1.5s"))).isEqualTo(Duration.ofMillis(1500));
    assertThat(runnerGrace(parseRun("--stop-grace", "2m"))).isEqualTo(Duration.ofMinutes(2));
    assertThat(runnerGrace(parseRun("--stop-grace", "7"))).isEqualTo(Duration.ofSeconds(7));
    assertThat(runnerGrace(parseRun("--stop-grace", "0"))).isZero();
    assertThat(runnerGrace(parseRun("--stop-grace", "0s"))).isZero();
    assertThat(parseRun("--stop-grace", "0").load.settings(1, 32, null, null, false))
        .containsEntry("stop_grace", "0s");
    assertThat(parseDemo("--stop-grace", "10s").stopGrace).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aBadValueIsAOneLineUsageError() {
    for (String[] args :
        new String[][] {
          {"run", "--url", "http://127.0.0.1:1", "--stop-grace", "soon"},
          {"run", "--url", "http://127.0.0.1:1", "--stop-grace", "-1s"},
          {"run", "--url", "http://127.0.0.1:1", "--stop-grace", "3 weeks"},
          {"demo", "--stop-grace", "soon"},
        }) {
      CliTest.Result r = CliTest.run(args);
      String what = String.join(" ", args);
      assertThat(r.code()).as(what).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip()).as(what).startsWith("inferscope: ").contains("--stop-grace");
      assertThat(r.err().strip().lines().count()).as(what).isEqualTo(1);
      assertThat(r.out()).as(what).isEmpty();
    }
  }

  @Test
  void theGraceIsRecordedInTheReportsSettings(@TempDir Path dir) throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      Path json = dir.resolve("run.json");
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-n",
              "2",
              "--max-tokens",
              "4",
              "--stop-grace",
              "1.5s",
              "--no-gpu",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      RunResult saved = JsonReport.read(json);
      assertThat(saved.meta().settings()).containsEntry("stop_grace", "1500ms");
    }
  }
}
