package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.sim.SimEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * {@code inferscope gate} and {@code run --gate} on real runs of the simulated engine on loopback.
 * Rules that must pass or fail whatever the host's speed use token counts (the engine sends exactly
 * {@code --max-tokens}) or a latency bound far from the engine's 20 ms TTFT.
 */
class GateCliTest {

  @TempDir static Path dir;

  /** 6 requests of 8 tokens each, and 6 of 4 tokens. */
  static Path eight;

  static Path four;

  @BeforeAll
  static void runs() throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      eight = dir.resolve("eight.json");
      four = dir.resolve("four.json");
      for (Object[] r : new Object[][] {{eight, "8"}, {four, "4"}}) {
        CliTest.Result done =
            CliTest.run(
                "run",
                "--url",
                engine.baseUrl(),
                "-c",
                "2",
                "-n",
                "6",
                "--max-tokens",
                (String) r[1],
                "--json",
                r[0].toString(),
                "-q",
                "--progress",
                "off");
        assertThat(done.code()).as(done.err()).isZero();
      }
    }
  }

  private static Path rules(String name, String... rules) throws Exception {
    StringBuilder yaml = new StringBuilder("# CI gate\nrules:\n");
    for (String r : rules) {
      yaml.append("  - \"").append(r).append("\"\n");
    }
    return Files.writeString(dir.resolve(name), yaml.toString());
  }

  /** The gate command with {@code env} as its environment. */
  private static CliTest.Result gate(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.configure(new CommandLine(new GateCommand(env)));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliTest.Result(code, out.toString(), err.toString());
  }

  @Test
  void passingRulesExitZeroAndPrintTheTable() throws Exception {
    Path thresholds =
        rules(
            "pass.yaml",
            "output_tokens_per_request.mean == 8",
            "completeness >= 99.5%",
            "ttft.p99 < 60s",
            "failed == 0",
            "gpu.power.mean? < 400");

    CliTest.Result r = CliTest.run("gate", eight.toString(), "--thresholds", thresholds.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .startsWith("inferscope gate: " + eight + " against " + thresholds + "\n")
        .containsPattern("\\n  pass +output_tokens_per_request\\.mean == 8 +8 +== 8\\n")
        .containsPattern("\\n  skipped +gpu\\.power\\.mean\\? < 400 +not measured +< 400 +metrics")
        .endsWith("gate passed: 4 of 5 rules passed, 1 optional skipped\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aFailedRuleExitsOneAndWritesJunitAndMarkdown() throws Exception {
    Path thresholds =
        rules("fail.yaml", "output_tokens_total >= 40", "output_tokens_per_request.max < 8");
    Path junit = dir.resolve("reports/gate.xml");
    Files.createDirectories(junit.getParent());
    Path md = dir.resolve("reports/gate.md");

    CliTest.Result r =
        CliTest.run(
            "gate",
            eight.toString(),
            "--thresholds",
            thresholds.toString(),
            "--junit",
            junit.toString(),
            "--markdown",
            md.toString());

    assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .containsPattern("\\n  FAIL +output_tokens_per_request\\.max < 8 +8 +< 8\\n")
        .endsWith("gate FAILED: 1 of 2 rules passed, 1 failed\n");
    assertThat(r.err().strip())
        .isEqualTo(
            "inferscope: gate failed: 1 of 2 rules passed, 1 failed (the table above says which)");
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
    NodeList cases = doc.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(2);
    assertThat(((Element) cases.item(0)).getAttribute("name"))
        .isEqualTo("output_tokens_total >= 40");
    assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).isEqualTo("measured 8, limit < 8");
    assertThat(failure.getTextContent())
        .contains("rule: output_tokens_per_request.max < 8 (" + thresholds + " line 4)")
        .contains("figure: metrics.output_tokens_per_request.max");
    assertThat(Files.readString(md))
        .startsWith("### inferscope gate: failed\n")
        .contains("| ❌ **fail** | `output_tokens_per_request.max < 8` | 8 | &lt; 8 |  |");
  }

  @Test
  void rulesAgainstABaselineCompareTheSameFigure() throws Exception {
    Path thresholds =
        rules(
            "relative.yaml",
            "output_tokens_per_request.mean <= baseline * 1.10",
            "output_tokens_total <= baseline + 10");

    CliTest.Result same =
        CliTest.run(
            "gate",
            eight.toString(),
            "--thresholds",
            thresholds.toString(),
            "--baseline",
            eight.toString());
    CliTest.Result regressed =
        CliTest.run(
            "gate",
            eight.toString(),
            "--thresholds",
            thresholds.toString(),
            "--baseline",
            four.toString());
    CliTest.Result noBaseline =
        CliTest.run("gate", eight.toString(), "--thresholds", thresholds.toString());

    assertThat(same.code()).as(same.out() + same.err()).isEqualTo(ExitCodes.OK);
    assertThat(regressed.code()).isEqualTo(ExitCodes.FAILURE);
    // 6 × 8 = 48 tokens against the baseline's 6 × 4 = 24.
    assertThat(regressed.out())
        .containsPattern(
            "FAIL +output_tokens_per_request\\.mean <= baseline \\* 1\\.10 +8 +<= 4\\.4"
                + " \\(baseline 4 × 1\\.1\\)")
        .containsPattern(
            "FAIL +output_tokens_total <= baseline \\+ 10 +48 +<= 34 \\(baseline 24 \\+ 10\\)");
    assertThat(noBaseline.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noBaseline.err().strip())
        .isEqualTo(
            "inferscope: "
                + thresholds
                + ":3: rule 'output_tokens_per_request.mean <= baseline * 1.10' compares with a"
                + " baseline: give --baseline BASE.json, a run saved with --json");
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path typo = rules("typo.yaml", "ttft.p99 < 1s", "tfft.p99 < 1s");
    Path malformed =
        Files.writeString(dir.resolve("malformed.yaml"), "rules:\n  - ttft.p99 =< 1s\n");
    Path notARun = Files.writeString(dir.resolve("not-a-run.json"), "{\"a\": 1}\n");
    Path ok = rules("ok.yaml", "failed == 0");

    for (String[] args :
        new String[][] {
          {"gate", eight.toString(), "--thresholds", typo.toString()},
          {"gate", eight.toString(), "--thresholds", malformed.toString()},
          {"gate", eight.toString(), "--thresholds", dir.resolve("none.yaml").toString()},
          {"gate", notARun.toString(), "--thresholds", ok.toString()},
          {
            "gate",
            eight.toString(),
            "--thresholds",
            ok.toString(),
            "--baseline",
            notARun.toString()
          },
          {"gate", eight.toString()},
        }) {
      CliTest.Result r = CliTest.run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
    }
    assertThat(CliTest.run("gate", eight.toString(), "--thresholds", typo.toString()).err())
        .startsWith("inferscope: " + typo + ":4: rule 'tfft.p99 < 1s': no figure tfft.p99")
        .contains("nearest ttft_ns.p99");
    assertThat(CliTest.run("gate", eight.toString(), "--thresholds", malformed.toString()).err())
        .contains(malformed + ":2: rule 'ttft.p99 =< 1s': expected a comparison");
  }

  /** The documented example is a thresholds file that reads and judges a real run. */
  @Test
  void theExampleFileJudgesARun() {
    Path example = Path.of("..", "docs", "examples", "gate.yaml");

    CliTest.Result r =
        CliTest.run(
            "gate",
            eight.toString(),
            "--thresholds",
            example.toString(),
            "--baseline",
            eight.toString());

    assertThat(r.code()).as(r.out() + r.err()).isIn(ExitCodes.OK, ExitCodes.FAILURE);
    assertThat(r.out().lines().filter(l -> l.matches("  (pass|FAIL|skipped) .*"))).hasSize(12);
    // Against itself, the significant rule is within noise however tight.
    assertThat(r.out())
        .containsPattern("\\n  pass +ttft\\.p50 <= baseline \\* 1\\.05 significant ");
    // The run has neither an SLO nor a GPU: both optional rules are skipped.
    assertThat(r.out())
        .containsPattern("\\n  skipped +goodput_ratio\\? >= 0\\.95 ")
        .containsPattern("\\n  skipped +gpu\\.power\\.mean\\? < 400 ")
        .containsPattern("\\n  pass +ttft\\.p99 <= baseline \\* 1\\.10 ");
  }

  @Test
  void theMarkdownIsAppendedToTheStepSummary() throws Exception {
    Path thresholds = rules("summary.yaml", "failed == 0");
    Path summary = Files.writeString(dir.resolve("step-summary.md"), "## earlier step\n");

    CliTest.Result r =
        gate(
            Map.of(GateRunner.STEP_SUMMARY, summary.toString()),
            eight.toString(),
            "--thresholds",
            thresholds.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(summary))
        .startsWith("## earlier step\n### inferscope gate: passed\n")
        .contains("| ✅ pass | `failed == 0` | 0 | == 0 |  |");
  }

  @Test
  void runGateJudgesTheRunAfterItsReportsAreWritten() throws Exception {
    Path pass = rules("run-pass.yaml", "output_tokens_per_request.mean == 4", "ok == 3");
    Path fail = rules("run-fail.yaml", "ttft.p99 < 1us");
    Path junit = dir.resolve("run-gate.xml");
    Path summary = dir.resolve("run-summary.md");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      String[] load = {
        "run", "--url", engine.baseUrl(), "-n", "3", "--max-tokens", "4", "-q", "--progress", "off"
      };
      CliTest.Result passed = run(Map.of(), load, "--gate", pass.toString());
      Path json = dir.resolve("run-fail.json");
      CliTest.Result failed =
          run(
              Map.of(GateRunner.STEP_SUMMARY, summary.toString()),
              load,
              "--json",
              json.toString(),
              "--gate",
              fail.toString(),
              "--gate-junit",
              junit.toString());

      assertThat(passed.code()).as(passed.out() + passed.err()).isEqualTo(ExitCodes.OK);
      assertThat(passed.out())
          .startsWith("inferscope gate: this run against " + pass)
          .endsWith("gate passed: 2 of 2 rules passed\n");
      assertThat(failed.code()).isEqualTo(ExitCodes.FAILURE);
      // The reports were written before the gate judged the run.
      assertThat(json).exists();
      assertThat(failed.out()).startsWith("inferscope gate: " + json + " against " + fail);
      assertThat(failed.err()).contains("JSON written to " + json).contains("gate failed");
      assertThat(junit).exists();
      assertThat(Files.readString(summary)).startsWith("### inferscope gate: failed\n");
    }
  }

  @Test
  void runRefusesBadGateInputBeforeAnyLoad() throws Exception {
    Path relative = rules("needs-baseline.yaml", "ttft.p99 <= baseline * 1.1");
    Path typo = rules("run-typo.yaml", "ttft.p99 < 250");
    // Nothing listens on port 1: exit 2, not the unreachable engine's 1, shows nothing was sent.
    String[] load = {"run", "--url", "http://127.0.0.1:1", "-n", "1"};

    CliTest.Result noBaseline = run(Map.of(), load, "--gate", relative.toString());
    CliTest.Result badUnit = run(Map.of(), load, "--gate", typo.toString());
    CliTest.Result orphan = run(Map.of(), load, "--gate-junit", "x.xml");

    assertThat(noBaseline.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noBaseline.err()).contains("give --gate-baseline BASE.json");
    assertThat(badUnit.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badUnit.err()).contains("is a duration: give the limit a unit (ns, us, ms, s)");
    assertThat(orphan.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(orphan.err()).contains("--gate-junit applies to --gate");
  }

  /** {@code run} with {@code env} as its environment. */
  private static CliTest.Result run(Map<String, String> env, String[] args, String... more) {
    String[] all = new String[args.length - 1 + more.length];
    System.arraycopy(args, 1, all, 0, args.length - 1);
    System.arraycopy(more, 0, all, args.length - 1, more.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.configure(new CommandLine(new RunCommand(env)));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(all);
    return new CliTest.Result(code, out.toString(), err.toString());
  }
}
