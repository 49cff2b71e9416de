package io.inferscope.bench;

import io.inferscope.cli.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the benches do with the processes they start: end them, and say what they said last. */
final class ChildProcesses {
  private ChildProcesses() {}

  /** Forcibly, with its descendants (the AOT training JVM starts one to write the cache). */
  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last non-blank line of {@code log}, on one line, at most 200 characters. */
  static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          String line = Errors.oneLine(lines.get(i));
          return line.length() > 200 ? line.substring(0, 200) + "…" : line;
        }
      }
      return "no output";
    } catch (IOException | RuntimeException e) {
      return "no output";
    }
  }
}
