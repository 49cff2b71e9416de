package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.sim.SimEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inferscope report}: a saved run renders again exactly as it did live. */
class ReportCommandTest {

  @Test
  void reRenderingASavedRunGivesTheSameTextReport(@TempDir Path dir) throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      Path json = dir.resolve("run.json");
      CliTest.Result live =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "2",
              "-n",
              "6",
              "--max-tokens",
              "8",
              "--no-gpu",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(live.code()).as(live.err()).isZero();
      CliTest.Result again = CliTest.run("report", json.toString());
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out()).isEqualTo(live.out());
      Path html = dir.resolve("page.html");
      CliTest.Result page = CliTest.run("report", json.toString(), "--html", html.toString());
      assertThat(page.code()).as(page.err()).isZero();
      assertThat(page.out()).isEmpty();
      assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>");
    }
  }

  @Test
  void aMissingOrForeignFileIsAUsageError(@TempDir Path dir) throws Exception {
    CliTest.Result missing = CliTest.run("report", dir.resolve("nope.json").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("no file").contains("--json");
    Path foreign = dir.resolve("other.json");
    Files.writeString(foreign, "{\"hello\": 1}");
    CliTest.Result notRun = CliTest.run("report", foreign.toString());
    assertThat(notRun.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notRun.err()).startsWith("inferscope: not an inferscope run");
    assertThat(notRun.err().strip().lines().count()).isEqualTo(1);
  }
}
