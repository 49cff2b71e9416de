package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

/**
 * The GitHub Actions example (docs/examples/github-actions.yml), which is also the project's own
 * workflow, run step by step as a runner would: each {@code run:} script in bash from the
 * repository's root, with the launcher on the jar this build made. The gate passes against the
 * committed baseline, and fails on a slower engine.
 */
class GithubActionsExampleIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("docs/examples/github-actions.yml");
  private static final int PORT = 18490;
  private static final int SLOW_PORT = 18491;

  record Step(String name, String script) {}

  record Result(int code, String out) {}

  @AfterEach
  void stopTheEngines() {
    // The example leaves its engine running, as a job does: the runner ends it, here this.
    ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(
                        c -> c.contains(" sim --port " + PORT) || c.contains("--port " + SLOW_PORT))
                    .orElse(false))
        .forEach(ProcessHandle::destroy);
  }

  @SuppressWarnings("unchecked")
  private static List<Step> steps() throws IOException {
    Map<String, Object> doc = new Yaml().load(Files.readString(EXAMPLE));
    Map<String, Object> jobs = (Map<String, Object>) doc.get("jobs");
    Map<String, Object> gate = (Map<String, Object>) jobs.get("gate");
    List<Step> out = new ArrayList<>();
    for (Map<String, Object> s : (List<Map<String, Object>>) gate.get("steps")) {
      if (s.get("run") != null) {
        out.add(new Step((String) s.get("name"), (String) s.get("run")));
      }
    }
    return out;
  }

  private static Result bash(String script, Path summary) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", script)
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("INFERSCOPE_NO_BUILD", "1");
    env.put("INFERSCOPE_NO_AOT", "1");
    env.remove("INFERSCOPE_JAVA_OPTS");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    env.put("GITHUB_STEP_SUMMARY", summary.toString());
    Process p = pb.start();
    // Read while it runs: a full pipe would stop the script.
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("step did not finish in 180 s: " + script);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  @Test
  void theProjectsWorkflowIsTheExample() throws Exception {
    assertThat(ROOT.resolve(".github/workflows/benchmark-gate.yml"))
        .hasSameTextualContentAs(EXAMPLE);
  }

  @Test
  void theExampleRunsStepByStepAndItsGateFailsOnASlowerEngine(@TempDir Path dir) throws Exception {
    Path summary = dir.resolve("summary.md");
    List<Step> steps = steps();
    assertThat(steps)
        .extracting(Step::name)
        .containsExactly(
            "Build",
            "Start the engine (the simulated one, in a session of its own)",
            "Profile",
            "Gate against the committed baseline");
    for (Step s : steps) {
      Result r = bash(s.script(), summary);
      assertThat(r.code()).as(s.name() + ":\n" + r.out()).isZero();
    }
    Path out = ROOT.resolve("out/bench");
    assertThat(out.resolve("run.html")).isNotEmptyFile();
    Document junit = xml(out.resolve("gate.xml"));
    assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(6);
    assertThat(junit.getElementsByTagName("failure").getLength()).isZero();
    assertThat(Files.readString(summary)).contains("ttft.p50 <= baseline * 1.25 significant");

    // The same steps against an engine 40 ms slower to its first token: the gate fails the job.
    String slow =
        steps
            .get(1)
            .script()
            .replace("18490", "" + SLOW_PORT)
            .replace("--ttft 50ms", "--ttft 90ms");
    assertThat(bash(slow, summary).code()).isZero();
    String profile =
        steps
            .get(2)
            .script()
            .replace("18490", "" + SLOW_PORT)
            .replace("out/bench/run", dir.resolve("slow").toString());
    assertThat(bash(profile, summary).code()).isZero();
    Path junitSlow = dir.resolve("slow-gate.xml");
    String gate =
        steps
            .get(3)
            .script()
            .replace("out/bench/run.json", dir.resolve("slow.json").toString())
            .replace("out/bench/gate.xml", junitSlow.toString());
    Result failed = bash(gate, summary);
    assertThat(failed.code()).as(failed.out()).isEqualTo(ExitCodes.FAILURE);
    assertThat(failed.out()).contains("a regression beyond run-to-run noise");
    assertThat(xml(junitSlow).getElementsByTagName("failure").getLength()).isPositive();
  }
}
