package io.inferscope.cli;

import io.inferscope.core.RunAnalysis;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inferscope gate}: judge a saved run against the rules of a thresholds file, for CI. */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Judges a run saved with --json against the rules of a thresholds file, such as"
          + " 'ttft.p99 < 250ms' or 'ttft.p99 <= baseline * 1.10' (docs/examples/gate.yaml), and"
          + " prints a table: exit 0 when every rule passes, 1 when one fails, 2 for a bad file.",
      "With $GITHUB_STEP_SUMMARY set, the table is appended to it in Markdown."
    })
final class GateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN.json", description = "A run written by --json.")
  Path runFile;

  @Option(
      names = "--thresholds",
      required = true,
      paramLabel = "FILE",
      description = "The rules: a YAML or JSON file (see docs/examples/gate.yaml).")
  Path thresholds;

  @Option(
      names = "--baseline",
      paramLabel = "BASE.json",
      description = "A run written by --json, which rules with 'baseline' compare with.")
  Path baseline;

  @Option(
      names = "--junit",
      paramLabel = "FILE",
      description = "Also write the result as JUnit XML: one test case per rule.")
  Path junit;

  @Option(
      names = "--markdown",
      paramLabel = "FILE",
      description = "Also write the result as a Markdown table.")
  Path markdown;

  private final Map<String, String> env;

  GateCommand() {
    this(System.getenv());
  }

  GateCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    GateRunner gate =
        GateRunner.prepare(
            thresholds, baseline, "--baseline", "--junit", junit, "--markdown", markdown, env);
    RunAnalysis run = RunAnalysis.of(ReportCommand.read(runFile));
    return gate.apply(
        run, runFile.toString(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
