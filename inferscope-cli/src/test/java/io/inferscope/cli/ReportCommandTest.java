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
      // Written again, the file is the same bytes: nothing is lost or added on the way.
      Path copy = dir.resolve("copy.json");
      CliTest.Result rewritten = CliTest.run("report", json.toString(), "--json", copy.toString());
      assertThat(rewritten.code()).as(rewritten.err()).isZero();
      assertThat(rewritten.out()).isEmpty();
      assertThat(Files.readString(copy)).isEqualTo(Files.readString(json));
    }
  }

  @Test
  void aRunSavedAsSchema1IsUpgradedToTheCurrentSchema(@TempDir Path dir) throws Exception {
    Path old =
        Path.of("..", "is-report", "src", "test", "resources", "schema1", "llama-cpp-run.json");
    Path upgraded = dir.resolve("upgraded.json");
    CliTest.Result r =
        CliTest.run("report", old.toString(), "--json", upgraded.toString(), "--text");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("TTFT");
    assertThat(Files.readString(upgraded)).startsWith("{\n  \"schema_version\": 5,");
    CliTest.Result again = CliTest.run("report", upgraded.toString());
    assertThat(again.out()).isEqualTo(r.out());
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
