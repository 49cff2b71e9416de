package io.inferscope.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code run --gate}: the rules of {@code inferscope gate}, applied when the run has ended. */
final class GateOptions {
  @Option(
      names = "--gate",
      paramLabel = "FILE",
      description =
          "After the reports are written, judge the run against this thresholds file (as"
              + " inferscope gate does): exit 1 when a rule fails.")
  Path gate;

  @Option(
      names = "--gate-baseline",
      paramLabel = "BASE.json",
      description = "A run written by --json, which --gate rules with 'baseline' compare with.")
  Path baseline;

  @Option(
      names = "--gate-junit",
      paramLabel = "FILE",
      description = "Write --gate's result as JUnit XML: one test case per rule.")
  Path junit;

  @Option(
      names = "--gate-markdown",
      paramLabel = "FILE",
      description = "Write --gate's result as a Markdown table.")
  Path markdown;

  /**
   * Reads and checks the gate before any load, or null without {@code --gate}.
   *
   * @throws Errors.UserFacing a usage error for bad gate input, or a gate option without --gate
   */
  GateRunner prepare(Map<String, String> env) {
    if (gate == null) {
      for (Object[] o :
          new Object[][] {
            {"--gate-baseline", baseline}, {"--gate-junit", junit}, {"--gate-markdown", markdown}
          }) {
        if (o[1] != null) {
          throw Errors.usage(o[0] + " applies to --gate: give --gate FILE too");
        }
      }
      return null;
    }
    return GateRunner.prepare(
        gate, baseline, "--gate-baseline", "--gate-junit", junit, "--gate-markdown", markdown, env);
  }
}
