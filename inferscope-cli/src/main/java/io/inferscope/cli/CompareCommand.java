package io.inferscope.cli;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunComparison;
import io.inferscope.report.CompareHtml;
import io.inferscope.report.CompareJson;
import io.inferscope.report.CompareMarkdown;
import io.inferscope.report.CompareText;
import io.inferscope.report.JsonReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inferscope compare}: saved runs side by side, each against the first, with bootstrap
 * intervals of every difference (ADR 0016).
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Compares runs saved with --json: every headline figure of each run beside the first's (the"
          + " baseline), the difference, and whether it lies beyond run-to-run noise: a bootstrap"
          + " interval of the difference from each run's measured requests. Says regression,"
          + " improvement or no significant difference; throughput and energy, one value per run,"
          + " get a difference and no interval. What differs between the runs' settings is"
          + " listed, and the figures are compared anyway."
    })
final class CompareCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "2..*",
      paramLabel = "RUN.json",
      description = "Runs written by --json; the first is the baseline.")
  List<Path> runFiles;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the comparison as JSON.")
  Path json;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the comparison as HTML.")
  Path html;

  @Option(
      names = "--markdown",
      paramLabel = "FILE",
      description = "Write the comparison as Markdown.")
  Path markdown;

  @Option(
      names = "--text",
      description = "Print the text comparison (the default without a file option).")
  boolean text;

  @Option(
      names = "--confidence",
      paramLabel = "C",
      defaultValue = "0.95",
      description = "Coverage of each interval, between 0 and 1 (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(
      names = "--resamples",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Bootstrap resamples of each run, at least 100 (default: ${DEFAULT-VALUE}).")
  int resamples;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description =
          "Seed of the resampling: the same seed gives the same intervals (default:"
              + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--min-effect",
      paramLabel = "PCT",
      defaultValue = "5",
      description =
          "The smallest difference, in percent of the baseline, that a time or rate must show to"
              + " be called a regression or an improvement, beyond its interval: runs of the same"
              + " settings drift by more than their requests' noise (default: ${DEFAULT-VALUE}).")
  double minEffectPercent;

  @Override
  public Integer call() {
    Bootstrap.Settings settings;
    try {
      settings = new Bootstrap.Settings(confidence, resamples, seed);
    } catch (IllegalArgumentException e) {
      throw Errors.usage(e.getMessage());
    }
    if (!(minEffectPercent >= 0 && minEffectPercent < 1000)) {
      throw Errors.usage("--min-effect must be a percentage from 0 (e.g. 5): " + minEffectPercent);
    }
    OutputOptions.writable("--json", json);
    OutputOptions.writable("--html", html);
    OutputOptions.writable("--markdown", markdown);
    List<RunComparison.Input> inputs = new ArrayList<>();
    for (Path file : runFiles) {
      RunAnalysis analysis = RunAnalysis.of(ReportCommand.read(file));
      inputs.add(new RunComparison.Input(file.toString(), schemaVersion(file), analysis));
    }
    RunComparison comparison = RunComparison.of(inputs, settings, minEffectPercent);
    try {
      if (json != null) {
        CompareJson.write(comparison, Version.get(), json);
      }
      if (html != null) {
        CompareHtml.write(comparison, html);
      }
      if (markdown != null) {
        CompareMarkdown.write(comparison, markdown);
      }
    } catch (IOException e) {
      throw Errors.failure(Errors.oneLine(e.getMessage()));
    }
    if (text || (json == null && html == null && markdown == null)) {
      spec.commandLine().getOut().print(CompareText.render(comparison));
      spec.commandLine().getOut().flush();
    }
    return ExitCodes.OK;
  }

  /** The file's schema version; {@link ReportCommand#read} has read it once already. */
  private static int schemaVersion(Path file) {
    try {
      return JsonReport.schemaVersion(file);
    } catch (IOException e) {
      throw Errors.usage("cannot read " + file + " (" + Errors.oneLine(e.getMessage()) + ")");
    } catch (IllegalArgumentException e) {
      throw Errors.usage("not an inferscope run: " + Errors.oneLine(e.getMessage()));
    }
  }
}
