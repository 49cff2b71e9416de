package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as users run it: a child JVM with {@code java -jar}. */
class JarIT {

  record Proc(int code, String out, String err) {}

  static Proc java(Path dir, String... args) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    assertThat(jar).exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("inferscope " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Proc(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void versionFromTheManifestBuild(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "--version");
    assertThat(p.code()).isZero();
    assertThat(p.out()).startsWith("inferscope 0.").contains("Java 25");
    assertThat(p.err()).doesNotContain("WARNING");
  }

  /** The benchmarks have their own jar (inferscope-bench, ADR 0001): none of them ships here. */
  @Test
  void theJarHoldsNoBenchmark() throws Exception {
    try (JarFile jar = new JarFile(System.getProperty("inferscope.jar"))) {
      List<String> names = jar.stream().map(JarEntry::getName).toList();
      assertThat(names).contains("io/inferscope/cli/Main.class");
      assertThat(names)
          .noneMatch(n -> n.startsWith("io/inferscope/bench/"))
          .noneMatch(n -> n.matches("io/inferscope/(.+/)?Bench[^/]*\\.class"));
    }
  }

  @Test
  void benchSaysWhereTheBenchmarksAre(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "bench", "fidelity");
    assertThat(p.code()).isEqualTo(2);
    assertThat(p.err().strip())
        .startsWith("inferscope: ")
        .contains("./inferscope bench", "inferscope-bench.jar")
        .doesNotContain("\n");
    assertThat(p.out()).isEmpty();
  }

  @Test
  void demoProducesReportAndJson(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "demo", "-c", "4", "-n", "8", "--json", "demo.json");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("TTFT");
    assertThat(dir.resolve("demo.json")).exists();
    assertThat(Files.readString(dir.resolve("demo.json"))).contains("\"schema_version\"");
  }

  @Test
  void usageErrorExitsTwo(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "run", "--url", "not a url", "-n", "1");
    assertThat(p.code()).isEqualTo(2);
    assertThat(p.err().strip()).startsWith("inferscope: ").doesNotContain("\n");
  }

  /** The engine dies mid-run: the run stops, keeps what it measured, and says why. */
  @Test
  void engineExitMidRunGivesAPartialReport(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process sim =
        new ProcessBuilder(
                java,
                "-jar",
                jar.toString(),
                "sim",
                "--port",
                "0",
                "--ttft",
                "10ms",
                "--itl",
                "20ms",
                "--output-tokens",
                "400")
            .redirectErrorStream(true)
            .start();
    try {
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertThat(line).contains("http://127.0.0.1:");
      String url = line.substring(line.indexOf("http://"), line.indexOf(" (Ctrl-C"));
      Thread killer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(2500);
                    } catch (InterruptedException e) {
                      return;
                    }
                    sim.destroyForcibly();
                  });
      long t0 = System.nanoTime();
      Proc p =
          java(
              dir,
              "run",
              "--url",
              url,
              "--pid",
              Long.toString(sim.pid()),
              "-c",
              "2",
              "-d",
              "60s",
              "--no-gpu",
              "--json",
              "run.json");
      killer.join();
      assertThat(System.nanoTime() - t0)
          .as("stopped soon after the engine died")
          .isLessThan(30_000_000_000L);
      assertThat(p.code()).as(p.err()).isEqualTo(1);
      assertThat(p.err()).contains("cut short").contains("exited");
      String json = Files.readString(dir.resolve("run.json"));
      assertThat(json).contains("\"partial\": true").contains("\"stop_reason\": \"engine process");
      assertThat(p.out()).contains("PARTIAL");
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code inferscope sim} as a child; returns it and its URL. */
  private static Process startSim(String... extra) throws IOException {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString(), "sim", "--port", "0"));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String urlOf(Process sim) throws IOException {
    String line =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(line).contains("http://127.0.0.1:");
    return line.substring(line.indexOf("http://"), line.indexOf(" (Ctrl-C"));
  }

  private static Process startInferscope(Path dir, String... args) throws IOException {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
  }

  private static void signal(Process p, String sig) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** Ctrl-C mid-run: the load stops, the partial report is written, exit 130. */
  @Test
  void sigintWritesAPartialReportAndExits130(@TempDir Path dir) throws Exception {
    Process sim = startSim("--ttft", "10ms", "--itl", "20ms", "--output-tokens", "400");
    try {
      String url = urlOf(sim);
      Process run =
          startInferscope(
              dir, "run", "--url", url, "-c", "4", "-d", "120s", "--no-gpu", "--json", "run.json");
      Thread.sleep(4000);
      long t0 = System.nanoTime();
      signal(run, "INT");
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGINT").isTrue();
      assertThat(System.nanoTime() - t0).as("brief wait only").isLessThan(15_000_000_000L);
      String err = Files.readString(dir.resolve("stderr.txt"));
      assertThat(run.exitValue()).as(err).isEqualTo(130);
      RunResult saved = JsonReport.read(dir.resolve("run.json"));
      assertThat(saved.partial()).isTrue();
      assertThat(saved.stopReason()).isEqualTo("interrupted by SIGINT");
      assertThat(saved.traces()).isNotEmpty();
      assertThat(saved.metrics().ok()).isPositive();
      assertThat(Files.readString(dir.resolve("stdout.txt"))).contains("PARTIAL");
      try (var files = Files.list(dir)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("no temporary file left")
            .containsExactlyInAnyOrder("run.json", "stdout.txt", "stderr.txt");
      }
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM ends an open-ended sample-only attach: the report is written, exit 143. */
  @Test
  void sigtermEndsSampleOnlyWithItsReport(@TempDir Path dir) throws Exception {
    Process target = new ProcessBuilder("sleep", "60").start();
    try {
      Process attach =
          startInferscope(
              dir,
              "run",
              "--sample-only",
              "--pid",
              Long.toString(target.pid()),
              "--no-gpu",
              "--json",
              "sample.json");
      Thread.sleep(2500);
      signal(attach, "TERM");
      assertThat(attach.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(attach.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isEqualTo(143);
      RunResult saved = JsonReport.read(dir.resolve("sample.json"));
      assertThat(saved.meta().mode()).isEqualTo("sample-only");
      assertThat(saved.hardware().processTree().samples().size()).isGreaterThan(10);
    } finally {
      target.destroyForcibly();
    }
  }

  /** A second Ctrl-C does not wait for anything: the process is gone at once. */
  @Test
  void aSecondSigintExitsAtOnce(@TempDir Path dir) throws Exception {
    Process sim = startSim("--ttft", "10ms", "--itl", "50ms", "--output-tokens", "400");
    try {
      String url = urlOf(sim);
      Process run =
          startInferscope(
              dir, "run", "--url", url, "-c", "2", "-d", "120s", "--no-gpu", "--json", "run.json");
      Thread.sleep(3000);
      signal(run, "INT");
      Thread.sleep(200);
      long t0 = System.nanoTime();
      signal(run, "INT");
      assertThat(run.waitFor(2, TimeUnit.SECONDS)).as("gone at once").isTrue();
      assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
      assertThat(run.exitValue()).isEqualTo(130);
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
