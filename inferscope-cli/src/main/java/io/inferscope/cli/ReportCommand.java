package io.inferscope.cli;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.HtmlReport;
import io.inferscope.report.JsonReport;
import io.inferscope.report.TextReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inferscope report}: render a saved run again, without the engine. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Renders a run saved with --json again: the text report (default), the HTML page and/or"
          + " the JSON in the current schema, and exports it over OTLP with its original times."
          + " Every figure is re-derived from the raw traces and samples in the file."
    })
final class ReportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN.json", description = "A run written by --json.")
  Path runFile;

  @Option(names = "--text", description = "Print the text report (the default without --html).")
  boolean text;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML report to FILE.")
  Path html;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Write the run to FILE as JSON of the current schema, with its figures derived anew:"
              + " upgrades a run saved by an earlier version.")
  Path json;

  @Option(
      names = "--steps-file",
      paramLabel = "FILE",
      description =
          "Labelled steps (JSON Lines) whose latency, tokens, energy and cost are attributed, in"
              + " place of those the run was given; see run --steps-file.")
  Path stepsFile;

  @Mixin OtlpOptions otlpOptions;

  private final Map<String, String> env;

  ReportCommand() {
    this(System.getenv());
  }

  ReportCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    OutputOptions.writable("--html", html);
    OutputOptions.writable("--json", json);
    OtlpRunner otlp = otlpOptions.prepare(env, false);
    RunResult run = read(runFile);
    if (stepsFile != null) {
      run = run.withMeta(run.meta().withSteps(Steps.read(stepsFile)));
    }
    RunAnalysis analysis = RunAnalysis.of(run);
    if (html != null) {
      writeHtml(analysis, html);
    }
    if (json != null) {
      try {
        JsonReport.write(analysis, json);
      } catch (IOException e) {
        throw Errors.failure(Errors.oneLine(e.getMessage()));
      }
    }
    if (text || (html == null && json == null && otlp == null)) {
      spec.commandLine().getOut().print(TextReport.render(analysis));
      spec.commandLine().getOut().flush();
    }
    return otlp == null ? ExitCodes.OK : otlp.export(analysis, spec.commandLine().getErr());
  }

  static RunResult read(Path file) {
    if (Files.isDirectory(file)) {
      throw Errors.usage(file + " is a directory: give the JSON file a run wrote with --json");
    }
    try {
      return JsonReport.read(file);
    } catch (NoSuchFileException e) {
      throw Errors.usage("no file " + file + ": give the JSON file a run wrote with --json");
    } catch (IOException e) {
      throw Errors.usage("cannot read " + file + " (" + Errors.oneLine(e.getMessage()) + ")");
    } catch (IllegalArgumentException e) {
      throw Errors.usage(
          "not an inferscope run: "
              + Errors.oneLine(e.getMessage())
              + " (was it written by --json?)");
    }
  }

  private static void writeHtml(RunAnalysis analysis, Path target) {
    try {
      HtmlReport.write(analysis, target);
    } catch (IOException e) {
      throw Errors.failure(Errors.oneLine(e.getMessage()));
    }
  }
}
