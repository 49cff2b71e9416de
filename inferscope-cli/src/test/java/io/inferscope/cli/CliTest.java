package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line in-process, against a real simulated engine on loopback. */
class CliTest {

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static SimConfig fastSim() {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(20), Duration.ofMillis(2), Duration.ZERO)
        .withOutputTokens(16);
  }

  @Test
  void versionAndHelpExitZeroOnStdout() {
    Result v = run("--version");
    assertThat(v.code()).isZero();
    assertThat(v.out()).startsWith("inferscope ").doesNotContain("${");
    Result h = run("run", "--help");
    assertThat(h.code()).isZero();
    assertThat(h.out()).contains("--url", "--concurrency", "--api-key-file");
    assertThat(h.out()).doesNotContain("--api-key ");
  }

  @Test
  void usageErrorsAreOneLineWithExitTwo() {
    for (String[] args :
        new String[][] {
          {"run"},
          {"run", "--url", "http://127.0.0.1:1", "--concurrency", "0"},
          {"run", "--url", "ftp://x", "-n", "1"},
          {"run", "--url", "http://127.0.0.1:1", "--duration", "soon"},
          {"run", "--url", "http://127.0.0.1:1", "-n", "2", "--duration", "5s"},
          {"bogus"},
          {"run", "--url", "http://127.0.0.1:1", "--prompt-file", "/nonexistent/prompt.txt"},
          {"run", "--url", "http://127.0.0.1:1", "--arrival", "green"},
        }) {
      Result r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("inferscope: ");
      assertThat(r.err().strip().lines().count()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void apiKeyOnTheCommandLineIsRefusedAndNeverEchoed() {
    Result r = run("run", "--url", "http://127.0.0.1:1", "--api-key", "sk-secret-value-123");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("INFERSCOPE_API_KEY").doesNotContain("sk-secret-value-123");
  }

  @Test
  void unreachableEngineIsAOneLineRuntimeFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r = run("run", "--url", "http://127.0.0.1:" + port, "-n", "1");
    assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("127.0.0.1:" + port);
  }

  @Test
  void runWritesJsonAndPrintsReport(@TempDir Path dir) throws Exception {
    try (SimEngine engine = SimEngine.start(fastSim())) {
      Path json = Files.createDirectory(dir.resolve("out")).resolve("run.json");
      Result r =
          run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "4",
              "-n",
              "12",
              "--warmup",
              "2",
              "--max-tokens",
              "8",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("TTFT");
      RunResult saved = JsonReport.read(json);
      assertThat(saved.traces()).hasSize(14);
      assertThat(saved.traces().stream().filter(t -> t.warmup()).count()).isEqualTo(2);
      assertThat(RunAnalysis.of(saved).metrics().ok()).isEqualTo(12);
      assertThat(RunAnalysis.of(saved).metrics().outputTokensTotal()).isEqualTo(12 * 8);
      assertThat(saved.meta().model()).isEqualTo("sim-model");
      assertThat(saved.meta().commandLine()).contains("--url");
      assertThat(Files.list(json.getParent())).hasSize(1);
    }
  }

  @Test
  void everyRequestFailingStillWritesTheReportAndExitsOne(@TempDir Path dir) throws Exception {
    SimConfig failing = fastSim().withFault(SimConfig.Fault.HTTP_500, 1, 0);
    try (SimEngine engine = SimEngine.start(failing)) {
      Path json = dir.resolve("run.json");
      Result r =
          run(
              "run",
              "--url",
              engine.baseUrl(),
              "-n",
              "3",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
      assertThat(r.err()).contains("every one of the 3 measured requests failed", "http_500");
      RunResult saved = JsonReport.read(json);
      assertThat(RunAnalysis.of(saved).metrics().failuresByCode()).containsEntry("http_500", 3);
    }
  }

  @Test
  void demoRunsTheWholeJobOnTheSimulatedEngine() {
    Result r = run("demo", "-c", "8", "-n", "8", "--progress", "off");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("TTFT", "sim-model");
  }

  @Test
  void apiKeysComeFromFileOrEnvironmentNeverArgv(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "sk-from-file\n");
    assertThat(ApiKeys.resolve(key, java.util.Map.of())).isEqualTo("sk-from-file");
    assertThat(ApiKeys.resolve(null, java.util.Map.of("OPENAI_API_KEY", "b"))).isEqualTo("b");
    assertThat(
            ApiKeys.resolve(
                null, java.util.Map.of("INFERSCOPE_API_KEY", "a", "OPENAI_API_KEY", "b")))
        .isEqualTo("a");
    assertThat(ApiKeys.resolve(null, java.util.Map.of())).isNull();
    assertThat(ApiKeys.source(null, java.util.Map.of("OPENAI_API_KEY", "b")))
        .isEqualTo("env:OPENAI_API_KEY");
    Files.writeString(key, "");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ApiKeys.resolve(key, java.util.Map.of()))
        .hasMessageContaining("non-empty");
  }

  @Test
  void redactionHidesUrlCredentials() {
    assertThat(Redaction.url("http://user:pw@host:8080/v1")).isEqualTo("http://***@host:8080/v1");
    assertThat(Redaction.url("http://host:8080")).isEqualTo("http://host:8080");
  }

  @Test
  void durationsParseUnitsAndRejectNonsense() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse("0s"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }

  @Test
  void simServesWithDefaultOptionsForItsDuration() {
    Result r = run("sim", "--port", "0", "--duration", "300ms");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("inferscope sim: serving OpenAI-compatible streams on http://127.0.0.1:");
    Result bad = run("sim", "--port", "0", "--fault", "http_503");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--fault-every");
  }

  @Test
  void simCapacityOptionsReachTheEngineAndBadOnesAreOneLineErrors() {
    CommandLine.ParseResult parsed =
        Main.newCommandLine()
            .parseArgs(
                "sim",
                "--slots",
                "2",
                "--max-queue",
                "4",
                "--prefill-per-token",
                "1ms",
                "--step-growth",
                "20ms");
    SimCommand sim = (SimCommand) parsed.subcommand().commandSpec().userObject();
    SimConfig config = sim.sim.toConfig("127.0.0.1", 0);
    assertThat(config.slots()).isEqualTo(2);
    assertThat(config.maxQueue()).isEqualTo(4);
    assertThat(config.prefillPerToken()).isEqualTo(Duration.ofMillis(1));
    assertThat(config.stepGrowth()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.capacityModel()).isTrue();
    SimCommand plain =
        (SimCommand) Main.newCommandLine().parseArgs("sim").subcommand().commandSpec().userObject();
    assertThat(plain.sim.toConfig("127.0.0.1", 0).capacityModel()).isFalse();

    Result served =
        run("sim", "--port", "0", "--duration", "300ms", "--slots", "2", "--max-queue", "4");
    assertThat(served.code()).as(served.err()).isZero();
    assertThat(served.out()).startsWith("inferscope sim: serving");
    for (String[] args :
        new String[][] {
          {"sim", "--port", "0", "--slots", "0"},
          {"sim", "--port", "0", "--max-queue", "4"},
          {"sim", "--port", "0", "--slots", "2", "--max-queue", "-1"},
          {"sim", "--port", "0", "--slots", "many"},
          {"sim", "--port", "0", "--step-growth", "-5ms"},
        }) {
      Result r = run(args);
      String line = String.join(" ", args);
      assertThat(r.code()).as(line).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip()).as(line).startsWith("inferscope: ");
      assertThat(r.err().strip().lines().count()).as(line).isEqualTo(1);
      assertThat(r.out()).as(line).isEmpty();
    }
    assertThat(run("sim", "--port", "0", "--slots", "0").err()).contains("--slots");
    assertThat(run("sim", "--port", "0", "--max-queue", "4").err()).contains("--slots");
  }

  @Test
  void simMetricsNamesReachTheEngineAndBadOnesAreOneLineErrors() {
    SimCommand vllm =
        (SimCommand)
            Main.newCommandLine()
                .parseArgs("sim", "--metrics-names", "vllm", "--kv-tokens", "4096")
                .subcommand()
                .commandSpec()
                .userObject();
    SimConfig config = vllm.sim.toConfig("127.0.0.1", 0);
    assertThat(config.metricsNames()).isEqualTo(SimConfig.MetricsNames.VLLM);
    assertThat(config.kvTokens()).isEqualTo(4096);
    SimCommand plain =
        (SimCommand) Main.newCommandLine().parseArgs("sim").subcommand().commandSpec().userObject();
    SimConfig defaults = plain.sim.toConfig("127.0.0.1", 0);
    assertThat(defaults.metricsNames()).isEqualTo(SimConfig.MetricsNames.LLAMA_CPP);
    assertThat(defaults.kvTokens()).isEqualTo(SimConfig.DEFAULT_KV_TOKENS);
    SimCommand named =
        (SimCommand)
            Main.newCommandLine()
                .parseArgs("sim", "--metrics-names", "llamacpp")
                .subcommand()
                .commandSpec()
                .userObject();
    assertThat(named.sim.toConfig("127.0.0.1", 0).metricsNames())
        .isEqualTo(SimConfig.MetricsNames.LLAMA_CPP);

    Result served = run("sim", "--port", "0", "--duration", "300ms", "--metrics-names", "vllm");
    assertThat(served.code()).as(served.err()).isZero();
    for (String[] args :
        new String[][] {
          {"sim", "--port", "0", "--metrics-names", "prometheus"},
          {"sim", "--port", "0", "--metrics-names", "llama_cpp"},
          {"sim", "--port", "0", "--kv-tokens", "0"},
        }) {
      Result r = run(args);
      String line = String.join(" ", args);
      assertThat(r.code()).as(line).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip()).as(line).startsWith("inferscope: ").contains(args[3]);
      assertThat(r.err().strip().lines().count()).as(line).isEqualTo(1);
      assertThat(r.out()).as(line).isEmpty();
    }
    assertThat(run("sim", "--port", "0", "--metrics-names", "x").err())
        .contains("llamacpp", "vllm");
  }

  @Test
  void badExtraBodyIsAUsageError() throws Exception {
    try (SimEngine engine = SimEngine.start(fastSim())) {
      for (String body : new String[] {"[1]", "{bad"}) {
        Result r = run("run", "--url", engine.baseUrl(), "-n", "1", "--extra-body", body);
        assertThat(r.code()).as(body).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
            .as(body)
            .startsWith("inferscope: extra body JSON")
            .doesNotContain("internal");
      }
      assertThat(engine.requestsReceived()).isZero();
    }
  }

  @Test
  void aModelTheEngineDoesNotServeIsRefusedBeforeLoad() throws Exception {
    try (SimEngine engine = SimEngine.start(fastSim())) {
      Result r = run("run", "--url", engine.baseUrl(), "-n", "1", "--model", "llama-70b");
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip())
          .isEqualTo(
              "inferscope: --model llama-70b is not what the engine serves (sim-model): give one"
                  + " of those, or leave --model out to use the first");
      assertThat(engine.requestsReceived()).isZero();
      Result right =
          run(
              "run",
              "--url",
              engine.baseUrl(),
              "-n",
              "1",
              "--model",
              "sim-model",
              "--no-gpu",
              "--progress",
              "off");
      assertThat(right.code()).as(right.err()).isZero();
    }
  }

  @Test
  void badInputIsFoundBeforeTheEngineIsContacted(@TempDir Path dir) throws Exception {
    // Port 9 (discard) on loopback: nothing listens, so reaching it would be exit 1, not 2.
    Result body = run("run", "--url", "http://127.0.0.1:9", "--extra-body", "{bad");
    assertThat(body.code()).as(body.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(body.err()).startsWith("inferscope: extra body JSON");

    Path file = dir.resolve("file");
    Files.writeString(file, "x");
    Result notADir =
        run("run", "--url", "http://127.0.0.1:9", "--json", file.resolve("run.json").toString());
    assertThat(notADir.code()).as(notADir.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(notADir.err().strip())
        .isEqualTo(
            "inferscope: --json "
                + file.resolve("run.json")
                + ": "
                + file
                + " is not a directory: create it first or give another path");

    Path missing = dir.resolve("no/such/dir/page.html");
    Result noDir = run("run", "--url", "http://127.0.0.1:9", "--html", missing.toString());
    assertThat(noDir.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noDir.err()).contains("--html", "there is no directory " + missing.getParent());
    assertThat(missing.getParent()).doesNotExist();

    Result isDir = run("report", "run.json", "--html", dir.toString());
    assertThat(isDir.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(isDir.err()).contains("--html " + dir + " is a directory");
    try (var left = Files.list(dir)) {
      assertThat(left).containsExactly(file); // the probe files were removed
    }
  }

  /**
   * A report file that fails at the end (its directory gone since the check) costs no other output:
   * the HTML is written and the text printed.
   */
  @Test
  void aReportThatCannotBeWrittenCostsNoOtherOutput(@TempDir Path dir) throws Exception {
    Path saved = dir.resolve("saved.json");
    try (SimEngine engine = SimEngine.start(fastSim())) {
      Result r =
          run(
              "run",
              "--url",
              engine.baseUrl(),
              "-n",
              "2",
              "--max-tokens",
              "4",
              "--no-gpu",
              "--json",
              saved.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
    }
    Path notADir = dir.resolve("file");
    Files.writeString(notADir, "x");
    OutputOptions output = new OutputOptions();
    output.json = notADir.resolve("run.json");
    output.html = dir.resolve("page.html");
    output.progress = OutputOptions.ProgressMode.OFF;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new Profiler(new PrintWriter(out, true), new PrintWriter(err, true))
            .finish(io.inferscope.report.JsonReport.read(saved), output);
    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err.toString().lines().filter(l -> l.contains("run.json")).count()).isEqualTo(1);
    assertThat(output.html).exists();
    assertThat(out.toString()).contains("TTFT");
  }
}
