package io.inferscope.cli;

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
      names = "--progress",
      defaultValue = "auto",
      description =
          "Progress line on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, on when"
              + " stderr is a terminal).")
  ProgressMode progress;

  enum ProgressMode {
    AUTO,
    ON,
    OFF
  }
}
