package io.inferscope.sysmon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real child process (tree) for tests. Closing it kills the whole tree: every descendant seen
 * while it ran (orphans of a killed parent included) and those alive now.
 */
final class Spawned implements AutoCloseable {
  final Process process;
  private final Set<ProcessHandle> seen = new LinkedHashSet<>();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private Spawned(Process process) {
    this.process = process;
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the tree was killed
              }
            });
  }

  static Spawned start(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("JAVA", javaBinary());
    env.put("CP", testClasses());
    try {
      return new Spawned(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code sh -c script}; the script sees $JAVA and $CP (this module's test classes). */
  static Spawned sh(String script) {
    return start(List.of("sh", "-c", script));
  }

  /** A JVM running one of the helper mains of the test classes. */
  static Spawned java(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            javaBinary(),
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Djava.net.preferIPv4Stack=true",
            "-cp",
            testClasses(),
            mainClass));
    command.addAll(List.of(args));
    return start(command);
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  static String testClasses() {
    try {
      return Path.of(Allocate.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  int pid() {
    return (int) process.pid();
  }

  /** The next line the tree printed. */
  String awaitLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no output from " + process.info().commandLine().orElse("child"));
    }
    return line;
  }

  /** Notes the current descendants, so they are killed even after their parent is gone. */
  List<ProcessHandle> descendants() {
    List<ProcessHandle> now = process.descendants().toList();
    seen.addAll(now);
    return now;
  }

  /** The first descendant whose command line contains {@code part}. */
  ProcessHandle descendant(String part) {
    Optional<ProcessHandle> found =
        descendants().stream()
            .filter(h -> h.info().commandLine().orElse("").contains(part))
            .findFirst();
    return found.orElseThrow(() -> new AssertionError("no descendant running " + part));
  }

  @Override
  public void close() {
    descendants();
    for (ProcessHandle h : seen) {
      h.destroyForcibly();
    }
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
