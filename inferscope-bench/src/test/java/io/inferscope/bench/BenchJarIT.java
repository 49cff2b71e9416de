package io.inferscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench jar as users run it: {@code ./inferscope bench ...}, which the launcher hands to this
 * jar under the collector scripts/jvm-options picks, and {@code java -jar}.
 */
class BenchJarIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Proc(int code, String out, String err) {}

  private static Proc start(Path dir, Map<String, String> env, List<String> cmd)
      throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().remove("INFERSCOPE_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish in 180 s");
    }
    return new Proc(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** {@code java -jar inferscope-bench.jar ARGS}. */
  static Proc java(Path dir, String... args) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("inferscope-bench.jar"));
    assertThat(jar).exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return start(dir, Map.of(), cmd);
  }

  /**
   * {@code ./inferscope ARGS} with the jars this build made: no rebuild, no AOT cache, this test's
   * JDK.
   */
  static Proc launcher(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("inferscope").toString());
    cmd.addAll(List.of(args));
    return start(
        dir,
        Map.of(
            "INFERSCOPE_NO_BUILD", "1",
            "INFERSCOPE_NO_AOT", "1",
            "INFERSCOPE_JAVA_HOME", System.getProperty("java.home")),
        cmd);
  }

  @Test
  void theBenchJarHoldsTheBenchmarksAndTheProductJarDoesNot() throws Exception {
    try (JarFile bench = new JarFile(System.getProperty("inferscope-bench.jar"))) {
      assertThat(bench.getEntry("io/inferscope/bench/BenchFidelityCommand.class")).isNotNull();
      assertThat(bench.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(BenchMain.class.getName());
    }
    try (JarFile product = new JarFile(System.getProperty("inferscope.jar"))) {
      assertThat(product.stream().map(e -> e.getName()))
          .noneMatch(name -> name.startsWith("io/inferscope/bench/"));
    }
  }

  @Test
  void theLauncherSendsBenchToTheBenchJarAndEverythingElseToTheProductJar(@TempDir Path dir)
      throws Exception {
    Proc bench = launcher(dir, "bench", "--help");
    assertThat(bench.code()).as(bench.err()).isZero();
    assertThat(bench.out()).contains("fidelity", "startup");

    Proc product = launcher(dir, "--help");
    assertThat(product.code()).as(product.err()).isZero();
    assertThat(product.out()).contains("run", "report").doesNotContain("fidelity");
    assertThat(product.out()).contains("./inferscope bench --help");

    Proc direct = java(dir, "run", "--url", "http://127.0.0.1:9");
    assertThat(direct.code()).isEqualTo(2);
    assertThat(direct.err().strip()).startsWith("inferscope: ").doesNotContain("\n");
  }

  /** bench fidelity drives up to 2048 streams by default: the launcher starts it under ZGC. */
  @Test
  void fidelityThroughTheLauncherRunsUnderZgc(@TempDir Path dir) throws Exception {
    Proc p =
        launcher(
            dir,
            "bench",
            "fidelity",
            "--streams",
            "2",
            "--tokens",
            "4",
            "--gap",
            "2ms",
            "--level-duration",
            "300ms",
            "--cold-streams",
            "0",
            "--warmup-streams",
            "0");

    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).containsPattern("Machine: .*, GC ZGC");
    assertThat(p.out().lines().filter(l -> l.startsWith("| 2 |"))).hasSize(1);
    assertThat(p.out()).contains("Command: `inferscope bench fidelity --streams 2");
  }

  /** bench startup through the launcher times the product jar the launcher names. */
  @Test
  void startupThroughTheLauncherTimesTheProductJar(@TempDir Path dir) throws Exception {
    Proc p = launcher(dir, "bench", "startup", "--runs", "1", "--warmup", "0");

    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("AOT cache: made by one training run");
    assertThat(p.out()).contains("-jar inferscope.jar run --url");
    List<String> runs =
        p.out().lines().filter(l -> l.matches("\\| 1 \\| (plain|aot) \\|.*")).toList();
    assertThat(runs).hasSize(2);
    for (String row : runs) {
      String[] cells = row.substring(1, row.length() - 1).split("\\|");
      double first = Double.parseDouble(cells[2].strip());
      double exit = Double.parseDouble(cells[3].strip());
      assertThat(first).isPositive().isLessThan(exit);
    }
    assertThat(p.out()).containsPattern("Verdict \\(p50 start → first request ≤ 250ms\\): plain ");
    assertThat(p.err()).isEmpty();
  }
}
