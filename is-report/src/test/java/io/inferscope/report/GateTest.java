package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMetrics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

class GateTest {

  /** The fixture run with both GPUs: GPU 0 draws 400 W throughout, GPU 1 300 W on average. */
  private static final RunAnalysis WITH_GPU =
      RunAnalysis.of(Fixtures.run(Fixtures.standardTraces(), Fixtures.hardware()));

  private static final RunAnalysis NO_GPU = RunAnalysis.of(Fixtures.standardRun());

  private static Gate gate(String... rules) {
    StringBuilder yaml = new StringBuilder("# thresholds\nrules:\n");
    for (String r : rules) {
      yaml.append("  - \"").append(r).append("\"\n");
    }
    return Gate.compile(GateRules.parse(yaml.toString(), "gate.yaml"));
  }

  private static GateResult judge(RunAnalysis run, String... rules) {
    return gate(rules).evaluate(run, "run.json", null, null);
  }

  @Test
  void limitsAreReadInTheFiguresUnitAndJudged() {
    RunMetrics m = WITH_GPU.metrics();
    double p99Ms = m.ttftNanos().p99() / 1e6;
    GateResult r =
        judge(
            WITH_GPU,
            "ttft.p99 < " + (p99Ms + 1) + "ms",
            "metrics.ttft_ns.p99 >= " + (p99Ms + 1) / 1000 + "s",
            "completeness >= 99.5%",
            "failed == " + m.failed(),
            "ok != " + m.ok());

    assertThat(r.outcomes())
        .extracting(GateResult.Outcome::status)
        .containsExactly(
            GateResult.Status.PASS,
            GateResult.Status.FAIL,
            GateResult.Status.FAIL,
            GateResult.Status.PASS,
            GateResult.Status.FAIL);
    GateResult.Outcome ttft = r.outcomes().getFirst();
    assertThat(ttft.path()).isEqualTo("metrics.ttft_ns.p99");
    assertThat(ttft.measured()).isEqualTo(m.ttftNanos().p99());
    assertThat(ttft.limit()).isEqualTo((p99Ms + 1) * 1e6);
    GateResult.Outcome completeness = r.outcomes().get(2);
    assertThat(completeness.path()).isEqualTo("metrics.completeness_percent");
    assertThat(completeness.measured()).isEqualTo(m.completenessPercent());
    assertThat(completeness.limit()).isEqualTo(99.5);
    assertThat(completeness.limitText()).isEqualTo(">= 99.5 %");
    assertThat(r.passed()).isFalse();
    assertThat(r.summary()).isEqualTo("2 of 5 rules passed, 3 failed");
  }

  @Test
  void everyElementOfAListMustPassAndTheFailingOneIsNamed() {
    GateResult under450 = judge(WITH_GPU, "gpu.power.mean < 450");
    GateResult under350 = judge(WITH_GPU, "gpu.power.mean < 350");

    assertThat(under450.passed()).isTrue();
    // The one nearest its limit is shown: GPU 0 at 400 W.
    assertThat(under450.outcomes().getFirst().path())
        .isEqualTo("metrics.hardware.gpu.devices[0].power_watts.mean");
    GateResult.Outcome failed = under350.outcomes().getFirst();
    assertThat(failed.status()).isEqualTo(GateResult.Status.FAIL);
    assertThat(failed.path()).isEqualTo("metrics.hardware.gpu.devices[0].power_watts.mean");
    assertThat(failed.measured()).isEqualTo(400.0);
    assertThat(judge(WITH_GPU, "hardware.gpu.devices[1].power_watts.mean < 350").passed()).isTrue();
    assertThat(judge(WITH_GPU, "metrics.gpu.power.mean < 350").outcomes().getFirst().path())
        .isEqualTo(failed.path());
  }

  @Test
  void aFigureTheRunLacksFailsTheRuleUnlessItIsOptional() {
    GateResult r = judge(NO_GPU, "gpu.power.mean < 400", "gpu.power.mean? < 400");

    GateResult.Outcome required = r.outcomes().get(0);
    GateResult.Outcome optional = r.outcomes().get(1);
    assertThat(required.status()).isEqualTo(GateResult.Status.FAIL);
    assertThat(required.reason()).isEqualTo("metrics.hardware.gpu is null in this run");
    assertThat(required.measured()).isNull();
    assertThat(optional.status()).isEqualTo(GateResult.Status.SKIPPED);
    assertThat(r.passed()).isFalse();
    assertThat(r.summary()).isEqualTo("0 of 2 rules passed, 1 failed, 1 optional skipped");
    assertThat(judge(NO_GPU, "gpu.power.mean? < 400").passed()).isTrue();
  }

  @Test
  void anOptionalRuleOverEveryElementJudgesThoseThatHaveTheFigure() {
    // Failed requests have no TTFT: required, the rule fails on the first of them; optional, it
    // judges the requests that have one.
    double worst = NO_GPU.metrics().ttftNanos().max();
    GateResult r =
        judge(
            NO_GPU,
            "per_request[*].ttft < 3600s",
            "per_request[*].ttft? < 3600s",
            "per_request[*].ttft? < " + (worst - 1) + "ns");

    assertThat(r.outcomes())
        .extracting(GateResult.Outcome::status)
        .containsExactly(GateResult.Status.FAIL, GateResult.Status.PASS, GateResult.Status.FAIL);
    assertThat(r.outcomes().get(0).reason())
        .matches("metrics\\.per_request\\[\\d+]\\.ttft_ns is null in this run");
    assertThat(r.outcomes().get(2).measured()).isEqualTo(worst);
  }

  @Test
  void baselineRulesScaleOrShiftTheBaselinesFigure() {
    double base = NO_GPU.metrics().ttftNanos().p99();
    Gate g =
        gate(
            "ttft.p99 <= baseline * 1.10",
            "ttft.p99 <= baseline + 20ms",
            "ttft.p99 < baseline - 1us",
            "ttft.p99 == baseline");

    GateResult same = g.evaluate(NO_GPU, "run.json", NO_GPU, "base.json");

    assertThat(same.outcomes())
        .extracting(GateResult.Outcome::status)
        .containsExactly(
            GateResult.Status.PASS,
            GateResult.Status.PASS,
            GateResult.Status.FAIL,
            GateResult.Status.PASS);
    assertThat(same.outcomes().get(0).limit()).isEqualTo(base * 1.10);
    assertThat(same.outcomes().get(1).limit()).isEqualTo(base + 20e6);
    assertThat(same.outcomes().get(2).limit()).isEqualTo(base - 1e3);
    assertThat(same.outcomes().get(0).baseline()).isEqualTo(base);
    assertThat(same.outcomes().get(1).limitText()).endsWith("+ 20ms)");
    assertThatThrownBy(() -> g.evaluate(NO_GPU, "run.json", null, null))
        .hasMessageContaining("compares with a baseline");
  }

  @Test
  void anUnknownFigureNamesTheLineAndTheNearestPaths() {
    assertThatThrownBy(() -> gate("ttft.p99 < 1s", "ttft.p999 < 1s"))
        .isInstanceOf(GateInputException.class)
        .hasMessageStartingWith("gate.yaml:4: rule 'ttft.p999 < 1s': no figure ttft.p999")
        .hasMessageContaining("nearest ttft_ns.p99");
    assertThatThrownBy(() -> gate("decode_tokens_per_secnd.p50 > 40"))
        .hasMessageContaining("nearest decode_tokens_per_second.p50");
    assertThatThrownBy(() -> gate("ttft > 1s"))
        .hasMessageContaining("metrics.ttft_ns is a group of figures: name one of count, mean");
    assertThatThrownBy(() -> gate("hardware.gpu.devices.power_watts.mean < 1"))
        .hasMessageContaining("metrics.hardware.gpu.devices is a list: give an index");
    assertThatThrownBy(() -> gate("run.model == 1"))
        .hasMessageContaining("run.model is text, not a figure");
  }

  @Test
  void aLimitInTheWrongUnitIsRefusedWithTheFix() {
    assertThatThrownBy(() -> gate("ttft.p99 < 250"))
        .hasMessageContaining("metrics.ttft_ns.p99 is a duration: give the limit a unit")
        .hasMessageContaining("e.g. 250ms");
    assertThatThrownBy(() -> gate("completeness >= 99.5"))
        .hasMessageContaining("is a percentage from 0 to 100: write the limit with %, e.g. 99.5%");
    assertThatThrownBy(() -> gate("goodput_ratio >= 95"))
        .hasMessageContaining(
            "metrics.goodput.met_ratio is a ratio from 0 to 1: write 0.95 or 95%");
    assertThatThrownBy(() -> gate("decode_tokens_per_second.p50 > 40ms"))
        .hasMessageContaining("neither a duration nor a percentage");
    assertThatThrownBy(() -> gate("ttft.p99 <= baseline * 2ms"))
        .hasMessageContaining("a factor is a plain number");
    assertThatThrownBy(() -> gate("gpu.power.mean <= baseline"))
        .hasMessageContaining("give an index instead of [*]");
    // A ratio takes a percentage too.
    assertThat(gate("goodput_ratio >= 95%").rules().rules()).hasSize(1);
  }

  @Test
  void aMalformedRuleOrFileNamesTheLineAndWhatWasExpected() {
    assertThatThrownBy(() -> GateRules.parse("rules:\n  - ttft.p99 =< 250ms\n", "g.yaml"))
        .hasMessage(
            "g.yaml:2: rule 'ttft.p99 =< 250ms': expected a comparison (<, <=, >, >=, ==, !=)"
                + " after ttft.p99, found '=<'");
    assertThatThrownBy(() -> GateRules.parse("rules:\n  - ttft.p99 < fast\n", "g.yaml"))
        .hasMessageStartingWith("g.yaml:2: rule 'ttft.p99 < fast': expected a limit");
    assertThatThrownBy(() -> GateRules.parse("rules:\n  - ttft.p99 < 1s or so\n", "g.yaml"))
        .hasMessageEndingWith("unexpected 'or' after the limit");
    assertThatThrownBy(
            () -> GateRules.parse("rules:\n  - ttft.p99 <= baseline * 1.1 significantly\n", "g"))
        .hasMessageEndingWith("unexpected 'significantly' after the limit");
    assertThatThrownBy(() -> GateRules.parse("rules:\n  - ttft.p99: < 1s\n", "g.yaml"))
        .hasMessageStartingWith("g.yaml:2: a rule is one string");
    assertThatThrownBy(() -> GateRules.parse("rulez:\n  - ttft.p99 < 1s\n", "g.yaml"))
        .hasMessageStartingWith("g.yaml:1: unknown key 'rulez'");
    assertThatThrownBy(() -> GateRules.parse("rules: [\"a < 1\"\n", "g.yaml"))
        .hasMessageStartingWith("g.yaml:2: not valid YAML or JSON");
    assertThatThrownBy(() -> GateRules.parse("", "g.yaml")).hasMessageContaining("empty");
    assertThatThrownBy(() -> GateRules.parse("rules: []\n", "g.yaml"))
        .hasMessageContaining("no rules");
  }

  @Test
  void jsonFilesAreReadToo(@TempDir Path dir) throws Exception {
    Path json =
        Files.writeString(
            dir.resolve("gate.json"),
            "{\n\t\"rules\": [\n\t\t\"ttft.p99 < 10s\",\n\t\t\"completeness >= 50%\"\n\t]\n}\n");

    GateRules rules = GateRules.read(json);

    assertThat(rules.rules()).extracting(GateRule::line).containsExactly(3, 4);
    assertThat(Gate.compile(rules).evaluate(WITH_GPU, "run.json", null, null).passed()).isTrue();
    assertThatThrownBy(
            () -> GateRules.parse("{\n\t\"rules\": [\n\t\t\"ttft.p99 < 1s\",\n\t]\n}", "g.json"))
        .hasMessageStartingWith("g.json:4: not valid JSON");
    assertThatThrownBy(() -> GateRules.parse("{\"rules\": [\"ttft.p99 < 1s\", 3]}", "g.json"))
        .hasMessageStartingWith("g.json:1: a rule is one string");
    assertThatThrownBy(() -> GateRules.read(dir.resolve("none.yaml")))
        .hasMessageEndingWith("none.yaml: no such file: give the thresholds file's path");
  }

  @Test
  void junitHasOneTestcasePerRuleWithValuesLimitAndRule() throws Exception {
    GateResult r =
        judge(NO_GPU, "ttft.p99 < 10s", "completeness >= 99.5%", "gpu.power.mean? < 400");

    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(GateJunit.render(r).getBytes(StandardCharsets.UTF_8)));

    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("tests")).isEqualTo("3");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    NodeList cases = doc.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(3);
    Element failed = (Element) cases.item(1);
    assertThat(failed.getAttribute("name")).isEqualTo("completeness >= 99.5%");
    Element failure = (Element) failed.getElementsByTagName("failure").item(0);
    String measured =
        GateFormat.value(NO_GPU.metrics().completenessPercent(), Gate.FigureUnit.PERCENT);
    assertThat(failure.getAttribute("message"))
        .isEqualTo("measured " + measured + ", limit >= 99.5 %");
    assertThat(failure.getTextContent())
        .contains("rule: completeness >= 99.5% (gate.yaml line 4)")
        .contains("figure: metrics.completeness_percent");
    assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    assertThat(((Element) cases.item(2)).getElementsByTagName("skipped").getLength()).isOne();
  }

  @Test
  void textAndMarkdownShowEveryRule() {
    GateResult r = judge(NO_GPU, "ttft.p99 < 10s", "completeness >= 99.5%");

    String text = GateText.render(r);
    String md = GateMarkdown.render(r);

    assertThat(text)
        .startsWith("inferscope gate: run.json against gate.yaml\n")
        .containsPattern("\n  pass +ttft\\.p99 < 10s +[0-9.]+ ms +< 10 s\n")
        .containsPattern("\n  FAIL +completeness >= 99\\.5% +50 % +>= 99\\.5 %\n")
        .endsWith("gate FAILED: 1 of 2 rules passed, 1 failed\n");
    assertThat(md)
        .startsWith("### inferscope gate: failed\n")
        .contains("| ❌ **fail** | `completeness >= 99.5%` |")
        .contains("&gt;= 99.5 %");
  }

  /**
   * The paths the gate offers are the document's: every figure it lists is in a fully populated
   * run's JSON, and every number in that JSON's metrics and run sections is one it lists.
   */
  @Test
  void thePathsAreExactlyTheNumbersOfTheWrittenDocument() {
    JsonNode tree = Gate.tree(WITH_GPU);
    List<String> offered = GatePaths.all();
    List<Pattern> patterns = new ArrayList<>();
    for (String p : offered) {
      String full = p.startsWith("run.") ? p : "metrics." + p;
      patterns.add(
          Pattern.compile(
              Pattern.quote(full)
                  .replace("[*]", "\\E\\[\\d+]\\Q")
                  .replace(".KEY", "\\E\\.[^.]+\\Q")));
    }
    List<String> numbers = new ArrayList<>();
    collect(tree, "", numbers);
    assertThat(numbers).hasSizeGreaterThan(100);
    for (String n : numbers) {
      assertThat(patterns.stream().anyMatch(p -> p.matcher(n).matches())).as(n).isTrue();
    }
    for (String p : offered) {
      if (!p.contains("KEY")) {
        GatePaths.Resolved r = GatePaths.resolve(p);
        List<Gate.Read> reads = Gate.read(tree, r);
        assertThat(reads).as(p).isNotEmpty();
        for (Gate.Read read : reads) {
          assertThat(String.valueOf(read.missing())).as(p).doesNotContain("has no key");
        }
      }
    }
    assertThat(offered)
        .contains(
            "ttft_ns.p99",
            "completeness_percent",
            "goodput.met_ratio",
            "hardware.gpu.devices[*].power_watts.mean",
            "per_request[*].ttft_ns",
            "run.client.cpu_percent");
  }

  /** 60 requests whose TTFT is {@code ttftMs} plus a jitter of 0-9 ms, one after another. */
  private static RunAnalysis ttftRun(long ttftMs) {
    List<io.inferscope.core.RequestTrace> traces = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      traces.add(Fixtures.ok(i, false, i * 200L, 0, ttftMs + (i * 7) % 10, 4, 5, 4, null));
    }
    return RunAnalysis.of(Fixtures.run(traces, io.inferscope.core.HardwareSamples.none()));
  }

  @Test
  void aSignificantRuleFailsOnlyOnARegressionBeyondNoise() {
    Gate g =
        gate(
            "ttft.p50 <= baseline * 1.01 significant",
            "e2e.p50 <= baseline - 1ms significant",
            "ttft.p50 <= baseline * 1.01");
    RunAnalysis base = ttftRun(50);
    // The same requests again: past the tight limits only by nothing, so within noise.
    GateResult same = g.evaluate(ttftRun(50), "run.json", base, "base.json");
    assertThat(same.outcomes().get(1).status()).isEqualTo(GateResult.Status.PASS);
    assertThat(same.outcomes().get(1).significance())
        .contains("not a regression beyond run-to-run noise");
    // 40 ms slower: a regression by every rule, and the significant ones say why.
    GateResult slower = g.evaluate(ttftRun(90), "run.json", base, "base.json");
    assertThat(slower.outcomes())
        .extracting(GateResult.Outcome::status)
        .containsOnly(GateResult.Status.FAIL);
    assertThat(slower.outcomes().get(0).significance())
        .startsWith("a regression beyond run-to-run noise: B - A in [");
    assertThat(slower.outcomes().get(2).significance()).isNull();
    assertThat(slower.outcomes().get(0).limitText()).contains("significant");
    assertThat(GateText.render(slower)).contains("a regression beyond run-to-run noise");
    assertThat(GateJunit.render(slower)).contains("significance: a regression");
    // 0.5 ms slower is past 1.01 x 50 ms, beyond resampling noise too, but under compare's minimum
    // effect: not called a regression.
    GateResult slightly = g.evaluate(ttftRun(50), "run.json", ttftRun(49), "base.json");
    assertThat(slightly.outcomes().get(2).status()).isEqualTo(GateResult.Status.FAIL);
    assertThat(slightly.outcomes().get(0).status()).isEqualTo(GateResult.Status.PASS);
  }

  @Test
  void significantNeedsABaselineAndAFigureCompareJudges() {
    assertThatThrownBy(() -> gate("ttft.p99 < 250ms significant"))
        .isInstanceOf(GateInputException.class)
        .hasMessageContaining("significant compares with a baseline run")
        .hasMessageContaining("ttft.p99 < baseline * 1.10 significant");
    // One value per run: compare has no interval to judge it by.
    assertThatThrownBy(() -> gate("output_tokens_per_second >= baseline * 0.9 significant"))
        .isInstanceOf(GateInputException.class)
        .hasMessageContaining("significant needs a figure inferscope compare judges");
    assertThatThrownBy(() -> gate("ok >= baseline significant"))
        .isInstanceOf(GateInputException.class)
        .hasMessageContaining("significant needs a figure inferscope compare judges")
        .hasMessageContaining("ttft_ns.p99");
    // Every figure significant may name is one the report has and compare judges.
    for (var e : Gate.COMPARABLE.entrySet()) {
      assertThat(GatePaths.resolve(e.getKey()).canonical()).isEqualTo(e.getKey());
      assertThat(io.inferscope.core.RunComparison.FIGURES).contains(e.getValue());
    }
    assertThat(gate("ttft.p99 <= baseline significant").rules().rules().getFirst().limit())
        .isEqualTo(new GateRule.Baseline(1, null, true));
  }

  private static void collect(JsonNode n, String at, List<String> out) {
    if (n.isNumber()) {
      out.add(at);
    } else if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        collect(e.getValue(), at.isEmpty() ? e.getKey() : at + "." + e.getKey(), out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        collect(n.get(i), at + "[" + i + "]", out);
      }
    }
  }
}
