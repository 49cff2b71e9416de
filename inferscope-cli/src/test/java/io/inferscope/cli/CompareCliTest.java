package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inferscope compare} on real runs saved against the simulated engine: a slower first token
 * is a regression, the other way round an improvement, a run against itself no significant
 * difference; what differs between runs is said and everything else compared.
 */
class CompareCliTest {

  @TempDir static Path dir;

  private static Path fast;
  private static Path slow;
  private static Path completions;

  /** 60 requests at concurrency 4 against a simulator with TTFT {@code ttftMs}. */
  private static Path save(String name, long ttftMs, String... extra) throws Exception {
    Path json = dir.resolve(name);
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(ttftMs), Duration.ofMillis(2), Duration.ZERO)
            .withOutputTokens(16);
    try (SimEngine engine = SimEngine.start(config)) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "run",
                  "--url",
                  engine.baseUrl(),
                  "-c",
                  "4",
                  "-n",
                  "60",
                  "--warmup",
                  "4",
                  "--max-tokens",
                  "8",
                  "--no-gpu",
                  "--no-process",
                  "--progress",
                  "off",
                  "-q",
                  "--json",
                  json.toString()));
      args.addAll(List.of(extra));
      CliTest.Result r = CliTest.run(args.toArray(String[]::new));
      assertThat(r.code()).as(r.err()).isZero();
    }
    return json;
  }

  @BeforeAll
  static void saveRuns() throws Exception {
    fast = save("fast.json", 20);
    slow = save("slow.json", 45);
    completions = save("completions.json", 20, "--endpoint", "completions");
  }

  private static String row(String text, String name) {
    return text.lines().filter(l -> l.startsWith("  " + name + " ")).findFirst().orElseThrow();
  }

  @Test
  void aSlowerFirstTokenIsARegressionAndAFasterOneAnImprovement() {
    CliTest.Result r = CliTest.run("compare", fast.toString(), slow.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .startsWith("inferscope ")
        .contains("  A (baseline)        " + fast)
        .contains("B against A (baseline): " + slow);
    assertThat(row(r.out(), "TTFT p50")).endsWith("  regression");
    assertThat(row(r.out(), "TTFT p90")).endsWith("  regression");
    // 60 requests: too few for an honest interval of p99, which says so.
    assertThat(row(r.out(), "TTFT p99")).endsWith("too few values: p99 needs 200 a run");
    assertThat(row(r.out(), "output rate (tok/s)")).endsWith("no interval (one value per run)");
    assertThat(r.out()).contains("  verdict             regression in TTFT p50, TTFT p90");
    // The engines listened on different ports: said, and compared anyway.
    assertThat(r.out()).contains("  differs             url: ").contains("compared anyway");

    CliTest.Result back = CliTest.run("compare", slow.toString(), fast.toString());
    assertThat(back.code()).as(back.err()).isZero();
    assertThat(row(back.out(), "TTFT p50")).endsWith("  improvement");
  }

  @Test
  void aRunAgainstItselfHasNoSignificantDifference() {
    CliTest.Result r = CliTest.run("compare", fast.toString(), fast.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("  settings            the same\n");
    assertThat(row(r.out(), "TTFT p50")).endsWith("  no significant difference");
    assertThat(row(r.out(), "chunk ITL p99")).endsWith("  no significant difference");
    assertThat(r.out()).contains("  verdict             no regression; no improvement;");
  }

  @Test
  void runsOfAnotherEndpointAreComparedWithTheDifferenceSaid() {
    CliTest.Result r =
        CliTest.run("compare", fast.toString(), slow.toString(), completions.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("C against A (baseline): " + completions);
    String c = r.out().substring(r.out().indexOf("C against A"));
    assertThat(c).contains("endpoint: chat vs completions").contains("TTFT p50");
    assertThat(c.lines().filter(l -> l.contains("endpoint:"))).hasSize(1);
    // B's section says nothing of the endpoint: it is C's difference, not B's.
    String b = r.out().substring(r.out().indexOf("B against A"), r.out().indexOf("C against A"));
    assertThat(b).doesNotContain("endpoint");
  }

  @Test
  void theFilesAreWrittenAndTheJsonFollowsItsSchema() throws Exception {
    Path json = dir.resolve("out.json");
    Path html = dir.resolve("out.html");
    Path md = dir.resolve("out.md");
    CliTest.Result r =
        CliTest.run(
            "compare",
            fast.toString(),
            slow.toString(),
            "--json",
            json.toString(),
            "--html",
            html.toString(),
            "--markdown",
            md.toString(),
            "--resamples",
            "500",
            "--seed",
            "7",
            "--confidence",
            "0.9");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    ObjectMapper mapper = new ObjectMapper();
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                mapper.readTree(Path.of("..", "docs", "schema", "compare.schema.json").toFile()));
    var doc = mapper.readTree(json.toFile());
    assertThat(schema.validate(doc)).isEmpty();
    assertThat(doc.get("bootstrap").get("resamples").asInt()).isEqualTo(500);
    assertThat(doc.get("bootstrap").get("seed").asLong()).isEqualTo(7);
    assertThat(doc.get("bootstrap").get("confidence").asDouble()).isEqualTo(0.9);
    // The schema of the file compared, as the file says it.
    assertThat(doc.get("runs").get(0).get("schema_version").asInt())
        .isEqualTo(io.inferscope.report.JsonReport.schemaVersion(fast))
        .isEqualTo(5);
    assertThat(doc.get("pairs").get(0).get("figures").get(0).get("verdict").asText())
        .isEqualTo("regression");
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(page).contains("data-charts-expected=\"4\"").contains("90 % interval");
    assertThat(Files.readString(md)).contains("| TTFT p50 (ms) |").contains("**regression**");
    // The same seed gives the same document.
    Path again = dir.resolve("again.json");
    CliTest.Result r2 =
        CliTest.run(
            "compare",
            fast.toString(),
            slow.toString(),
            "--json",
            again.toString(),
            "--resamples",
            "500",
            "--seed",
            "7",
            "--confidence",
            "0.9",
            "--text");
    assertThat(r2.out()).contains("90 % interval");
    assertThat(Files.readString(again)).isEqualTo(Files.readString(json));
  }

  @Test
  void aFileThatIsNotARunIsOneLineAndExitTwo() throws Exception {
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"hello\": 1}");
    CliTest.Result r = CliTest.run("compare", fast.toString(), other.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).startsWith("inferscope: not an inferscope run").contains("other.json");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    for (String[] args :
        new String[][] {
          {"compare", fast.toString()},
          {"compare", fast.toString(), slow.toString(), "--confidence", "1.5"},
          {"compare", fast.toString(), slow.toString(), "--resamples", "10"},
          {"compare", fast.toString(), slow.toString(), "--min-effect", "-1"},
          {"compare", fast.toString(), dir.resolve("missing.json").toString()},
        }) {
      CliTest.Result bad = CliTest.run(args);
      assertThat(bad.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(bad.err().strip().lines().count()).as(String.join(" ", args)).isEqualTo(1);
    }
  }
}
