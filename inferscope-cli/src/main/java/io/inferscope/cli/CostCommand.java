package io.inferscope.cli;

import io.inferscope.core.Price;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.HtmlReport;
import io.inferscope.report.JsonReport;
import io.inferscope.report.TextReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inferscope cost}: what a saved run cost, per million output tokens, request and step. */
@Command(
    name = "cost",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Prices a run saved with --json: its measured window's cost in total, per million output"
          + " tokens, per completed request, per request (its share of the window's time or"
          + " energy) and per step (--steps-file). Prints the attribution sections of the text"
          + " report; --json and --html write the whole report with them."
    })
final class CostCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN.json", description = "A run written by --json.")
  Path runFile;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PriceOption price;

  static final class PriceOption {
    @Option(
        names = "--usd-per-hour",
        paramLabel = "USD",
        description =
            "The machine's price per hour: every second of the measured window costs, idle ones"
                + " too; a request costs its share of the window's time.")
    Double perHour;

    @Option(
        names = "--usd-per-kwh",
        paramLabel = "USD",
        description =
            "The price of a kWh: the GPUs' energy over the measured window costs; a request"
                + " costs its energy by time share. Needs GPU samples in the run.")
    Double perKwh;
  }

  @Option(
      names = "--steps-file",
      paramLabel = "FILE",
      description =
          "Labelled steps (JSON Lines) to price, in place of those the run was given; see run"
              + " --steps-file.")
  Path stepsFile;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Write the HTML report, with the cost, to FILE.")
  Path html;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the run as JSON of the current schema, with the price, to FILE.")
  Path json;

  @Override
  public Integer call() {
    OutputOptions.writable("--html", html);
    OutputOptions.writable("--json", json);
    Price p;
    try {
      p = price.perHour != null ? Price.perHour(price.perHour) : Price.perKwh(price.perKwh);
    } catch (IllegalArgumentException e) {
      throw Errors.usage(
          (price.perHour != null ? "--usd-per-hour: " : "--usd-per-kwh: ") + e.getMessage());
    }
    RunResult run = ReportCommand.read(runFile);
    run = run.withMeta(run.meta().withPrice(p));
    if (stepsFile != null) {
      run = run.withMeta(run.meta().withSteps(Steps.read(stepsFile)));
    }
    RunAnalysis a = RunAnalysis.of(run);
    if (a.attribution() == null) {
      throw Errors.usage(
          runFile + " measured no request (sample-only?): there is nothing to price");
    }
    if (a.attribution().cost().totalUsd() == null) {
      throw Errors.usage(runFile + ": " + a.attribution().cost().unavailableReason());
    }
    try {
      if (html != null) {
        HtmlReport.write(a, html);
      }
      if (json != null) {
        JsonReport.write(a, json);
      }
    } catch (IOException e) {
      throw Errors.failure(Errors.oneLine(e.getMessage()));
    }
    spec.commandLine().getOut().print(TextReport.attribution(a));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
