package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inferscope.sim.SimEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts that pick the JVM's options for the launcher and the container image, run as real
 * processes: the collector follows the number of streams, and the image's entry point starts the
 * jar with them.
 */
class LaunchScriptsIT {

  private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();

  record Result(int code, String out) {}

  private static Result sh(Map<String, String> env, Path script, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("INFERSCOPE_JAVA_OPTS");
    pb.environment().putAll(env);
    // The image's `java` is a JDK 25 on PATH; here, this test's own.
    pb.environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(script + " did not finish in 60 s");
    }
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** The image's /opt/inferscope as the Dockerfile lays it out, without the AOT cache. */
  private static void imageFolder(Path dir) throws IOException {
    Files.copy(Path.of(System.getProperty("inferscope.jar")), dir.resolve("inferscope.jar"));
    for (String script : List.of("jvm-options", "container-entrypoint")) {
      Files.copy(SCRIPTS.resolve(script), dir.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static String options(String... args) throws IOException, InterruptedException {
    Result r = sh(Map.of(), SCRIPTS.resolve("jvm-options"), args);
    assertThat(r.code()).isZero();
    return r.out().strip();
  }

  @Test
  void manyStreamsGetZgcFewGetG1WithAYoungGenerationFloor() throws Exception {
    assertThat(options("demo")).isEqualTo("-XX:NewSize=128m");
    assertThat(options("run", "--url", "http://h:8080", "-c", "255", "-n", "9"))
        .isEqualTo("-XX:NewSize=128m");
    assertThat(options("run", "-c", "256")).isEqualTo("-XX:+UseZGC");
    assertThat(options("run", "--concurrency=1024")).isEqualTo("-XX:+UseZGC");
    assertThat(options("run", "--concurrency", "512")).isEqualTo("-XX:+UseZGC");
    assertThat(options("run", "-c2048")).isEqualTo("-XX:+UseZGC");
    assertThat(options("run", "-c", "many")).isEqualTo("-XX:NewSize=128m");
    assertThat(options("bench", "fidelity")).isEqualTo("-XX:+UseZGC");
    assertThat(options("bench", "startup")).isEqualTo("-XX:NewSize=128m");
  }

  @Test
  void aCollectorChosenByTheUserStands() throws Exception {
    Result r =
        sh(
            Map.of("INFERSCOPE_JAVA_OPTS", "-Xmx1g -XX:+UseParallelGC"),
            SCRIPTS.resolve("jvm-options"),
            "run",
            "-c",
            "4096");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void theImageEntryPointStartsTheJarWithThoseOptions(@TempDir Path dir) throws Exception {
    imageFolder(dir);
    // No AOT cache in this folder: the JVM must start without it, silently.
    Result version = sh(Map.of(), dir.resolve("container-entrypoint"), "--version");
    assertThat(version.code()).as(version.out()).isZero();
    assertThat(version.out()).startsWith("inferscope ").doesNotContain("AOT").doesNotContain("[");

    Result zgc =
        sh(
            Map.of("INFERSCOPE_JAVA_OPTS", "-Xlog:gc:stdout"),
            dir.resolve("container-entrypoint"),
            "run",
            "-c",
            "512",
            "--help");
    assertThat(zgc.code()).as(zgc.out()).isZero();
    assertThat(zgc.out()).contains("Using The Z Garbage Collector").contains("--concurrency");
  }

  private static final Pattern NETTY_LOADED =
      Pattern.compile("Loaded library (\\S*libnetty_transport_native_epoll\\S*\\.so)");

  private static final String NETTY_LIBRARY = "libnetty_transport_native_epoll_x86_64.so";

  /**
   * Where the JVM said it loaded Netty's epoll library from, in its log of the libraries it loads
   * ({@code -Xlog:library}, written to a file: the log is long), or null.
   */
  private static String nettyLibrary(Path log) throws IOException {
    Matcher m = NETTY_LOADED.matcher(Files.readString(log));
    return m.find() ? m.group(1) : null;
  }

  private static Map<String, String> logLibrariesTo(Path log) {
    return Map.of("INFERSCOPE_JAVA_OPTS", "-Xlog:library=info:file=" + log);
  }

  /**
   * The image's native-library folder, made as the Dockerfile makes it, is where the JVM loads
   * Netty's library from; without the folder Netty copies it out of the jar into a temporary file
   * and deletes it after loading, as before (ADR 0023).
   */
  @Test
  void theImageLoadsNettysLibraryFromItsFolderNotFromACopy(@TempDir Path dir) throws Exception {
    // The jar carries Netty's epoll library for x86-64 only.
    assumeTrue("amd64".equals(System.getProperty("os.arch")));
    imageFolder(dir);
    Path folder = dir.resolve("inferscope.native");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      String[] run = {
        "run", "--url", engine.baseUrl(), "-n", "1", "-q", "--no-gpu", "--progress", "off"
      };
      Path copiedLog = dir.resolve("copied.log");
      Result copied = sh(logLibrariesTo(copiedLog), dir.resolve("container-entrypoint"), run);
      assertThat(copied.code()).as(copied.out()).isZero();
      String before = nettyLibrary(copiedLog);
      assertThat(before).as("no Netty library in the JVM's log").isNotNull();
      // Netty's copy: the library's name with a random number, deleted once loaded.
      assertThat(Path.of(before).getFileName().toString())
          .matches("libnetty_transport_native_epoll_x86_64\\d+\\.so");
      assertThat(Path.of(before)).doesNotExist();

      Process made =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  dir.resolve("inferscope.jar").toString(),
                  NativeLibraryFolder.class.getName(),
                  folder.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("made.log").toFile())
              .start();
      assertThat(made.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(made.exitValue()).as(Files.readString(dir.resolve("made.log"))).isZero();

      Path namedLog = dir.resolve("named.log");
      Result named = sh(logLibrariesTo(namedLog), dir.resolve("container-entrypoint"), run);
      assertThat(named.code()).as(named.out()).isZero();
      assertThat(nettyLibrary(namedLog)).isEqualTo(folder.resolve(NETTY_LIBRARY).toString());
    }
  }

  /**
   * {@code ./inferscope} copies the library next to the jar when its folder is not stamped for this
   * jar, and names that folder.
   */
  @Test
  void theLauncherLoadsNettysLibraryFromTheFolderNextToTheJar(@TempDir Path dir) throws Exception {
    assumeTrue("amd64".equals(System.getProperty("os.arch")));
    Path jar = Path.of(System.getProperty("inferscope.jar")).toAbsolutePath();
    Path folder = jar.resolveSibling("inferscope.native");
    // Made for an older build: the launcher copies again.
    Files.deleteIfExists(folder.resolve(NativeLibraryFolder.STAMP));
    Path log = dir.resolve("libraries.log");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  SCRIPTS.resolveSibling("inferscope").toString(),
                  "run",
                  "--url",
                  engine.baseUrl(),
                  "-n",
                  "1",
                  "-q",
                  "--no-gpu",
                  "--progress",
                  "off")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out.txt").toFile());
      pb.environment().put("INFERSCOPE_NO_BUILD", "1");
      pb.environment().put("INFERSCOPE_NO_AOT", "1");
      pb.environment().put("INFERSCOPE_JAVA_HOME", System.getProperty("java.home"));
      pb.environment().putAll(logLibrariesTo(log));
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("./inferscope run did not finish in 60 s");
      }
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
      assertThat(nettyLibrary(log)).isEqualTo(folder.resolve(NETTY_LIBRARY).toString());
      assertThat(Files.getLastModifiedTime(folder.resolve(NativeLibraryFolder.STAMP)))
          .isGreaterThan(Files.getLastModifiedTime(jar));
    }
  }
}
