package io.inferscope.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where results go. */
final class OutputOptions {
  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the full run (raw traces and derived metrics) as JSON to FILE.")
  Path json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Write a self-contained HTML timeline of the run to FILE.")
  Path html;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not print the text report to stdout.")
  boolean quiet;

  @Option(
      completionCandidates = EnumNames.ProgressModes.class,
      names = "--progress",
      defaultValue = "auto",
      description =
          "Progress line on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, on when"
              + " stderr is a terminal).")
  ProgressMode progress;

  /** Checks before load that each report file can be written: a run must not be lost at its end. */
  void validate() {
    writable("--json", json);
    writable("--html", html);
  }

  /**
   * Whether a report file can be written where {@code option} says: its directory exists and takes
   * a new file (tried with a probe file, which also catches a read-only or special file system).
   */
  static void writable(String option, Path target) {
    if (target == null) {
      return;
    }
    Path file = target.toAbsolutePath().normalize();
    if (Files.isDirectory(file)) {
      throw Errors.usage(
          option + " " + target + " is a directory: give a file, e.g. " + target.resolve("run"));
    }
    Path dir = file.getParent();
    if (!Files.isDirectory(dir)) {
      throw Errors.usage(
          option
              + " "
              + target
              + ": "
              + (Files.exists(dir) ? dir + " is not a directory" : "there is no directory " + dir)
              + ": create it first or give another path");
    }
    try {
      Files.delete(Files.createTempFile(dir, ".inferscope-", ".probe"));
    } catch (IOException | SecurityException e) {
      String why =
          e instanceof AccessDeniedException
              ? "permission denied"
              : e instanceof FileSystemException f && f.getReason() != null
                  ? f.getReason()
                  : Errors.oneLine(String.valueOf(e.getMessage()));
      throw Errors.usage(
          option + " " + target + ": cannot write in " + dir + " (" + why + "): give another path");
    }
  }

  enum ProgressMode {
    AUTO,
    ON,
    OFF
  }
}
