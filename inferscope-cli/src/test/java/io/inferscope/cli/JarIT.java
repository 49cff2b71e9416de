package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
}
