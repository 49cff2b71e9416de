package io.inferscope.cli;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunMerge;
import io.inferscope.core.RunResult;
import io.inferscope.report.HtmlReport;
import io.inferscope.report.JsonReport;
import io.inferscope.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inferscope merge}: the files of a load's shards ({@code run --shard I/N}) as one run,
 * every request kept, every figure computed anew from them (ADR 0019).
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Merges the JSON files of a load's shards (run --shard I/N) into one run: every request of"
          + " every shard on the clock of the one that started first (aligned by their wall-clock"
          + " origins), ids made unique (id*N+I), every figure computed anew from the merged"
          + " requests. Hardware and engine samples are kept as one input took them (a"
          + " sample-only run's first, else the lowest shard's). A shard cut short, failed or"
          + " missing is named and makes the merged run partial (exit 1). Runs of different"
          + " URLs, endpoints, models, SLOs or schema versions are refused (exit 2) unless"
          + " --force."
    })
final class MergeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "RUN.json",
      description =
          "The shards' files (run --shard ... --json), and optionally a run --sample-only file"
              + " taken beside the engine for its process and GPU samples. A directory stands for"
              + " the .json files in it, in name order (a Job's shared volume).")
  List<Path> runFiles;

  @Option(
      names = {"-o", "--json"},
      paramLabel = "FILE",
      description =
          "Write the merged run to FILE as JSON, as run --json writes a run (report, compare,"
              + " gate and cost read it).")
  Path json;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML report to FILE.")
  Path html;

  @Option(
      names = "--text",
      description = "Print the text report (the default without -o or --html).")
  boolean text;

  @Option(
      names = "--force",
      description =
          "Merge runs of different URLs, endpoints, models, SLOs or schema versions, and runs"
              + " without --shard (as shards in the order given); the merged run lists what"
              + " differed.")
  boolean force;

  /** The files given, each directory replaced by the .json files directly in it, by name. */
  private static List<Path> files(List<Path> given) {
    List<Path> out = new ArrayList<>();
    for (Path p : given) {
      if (!java.nio.file.Files.isDirectory(p)) {
        out.add(p);
        continue;
      }
      try (java.util.stream.Stream<Path> in = java.nio.file.Files.list(p)) {
        List<Path> json =
            in.filter(f -> f.getFileName().toString().endsWith(".json"))
                .filter(java.nio.file.Files::isRegularFile)
                .sorted()
                .toList();
        if (json.isEmpty()) {
          throw Errors.usage("no .json file in " + p + ": give the shards' files or their folder");
        }
        out.addAll(json);
      } catch (java.io.IOException e) {
        throw Errors.usage("cannot list " + p + " (" + Errors.oneLine(e.getMessage()) + ")");
      }
    }
    return out;
  }

  @Override
  public Integer call() {
    OutputOptions.writable("--json", json);
    OutputOptions.writable("--html", html);
    List<RunMerge.Input> inputs = new ArrayList<>();
    for (Path file : files(runFiles)) {
      RunResult run = ReportCommand.read(file);
      inputs.add(new RunMerge.Input(file.toString(), schemaVersion(file), run));
    }
    RunResult merged;
    try {
      merged =
          RunMerge.of(
              inputs,
              force,
              Version.get(),
              Redaction.commandLine(spec.commandLine().getParseResult().originalArgs()));
    } catch (RunMerge.Refused e) {
      throw Errors.usage(e.getMessage());
    } catch (ArithmeticException e) {
      // Origins centuries apart overflow the nanosecond offsets: not runs of one load.
      throw Errors.usage(
          "the files' clock origins are too far apart to put on one clock: give the shards of one"
              + " load");
    }
    RunAnalysis analysis = RunAnalysis.of(merged);
    // Each output is tried whatever happened to the other: one that cannot be written loses
    // nothing the other keeps.
    List<String> unwritten = new ArrayList<>();
    boolean jsonWritten = write("--json", json, () -> JsonReport.write(analysis, json), unwritten);
    boolean htmlWritten = write("--html", html, () -> HtmlReport.write(analysis, html), unwritten);
    PrintWriter out = spec.commandLine().getOut();
    if (text || (json == null && html == null)) {
      out.print(TextReport.render(analysis));
      out.flush();
    }
    PrintWriter err = spec.commandLine().getErr();
    RunFacts.Merge m = merged.facts().merge();
    err.println(
        "inferscope: merged "
            + m.inputs().size()
            + (m.inputs().size() == 1 ? " file" : " files")
            + " ("
            + m.shardCount()
            + (m.shardCount() == 1 ? " shard" : " shards")
            + "): "
            + TextReport.oneLineSummary(analysis)
            + (jsonWritten ? " · JSON written to " + json : "")
            + (htmlWritten ? " · HTML written to " + html : ""));
    for (String forced : m.forced()) {
      err.println("inferscope: merged with --force although " + forced);
    }
    if (!unwritten.isEmpty()) {
      err.flush();
      throw Errors.failure(String.join("; ", unwritten));
    }
    if (merged.partial()) {
      err.println(
          "inferscope: the merged run is partial ("
              + merged.stopReason()
              + "): it holds every request the files hold; run the missing or failed shards"
              + " again for the whole load");
      err.flush();
      return ExitCodes.FAILURE;
    }
    err.flush();
    return ExitCodes.OK;
  }

  private static int schemaVersion(Path file) {
    try {
      return JsonReport.schemaVersion(file);
    } catch (IOException e) {
      throw Errors.usage("cannot read " + file + " (" + Errors.oneLine(e.getMessage()) + ")");
    } catch (IllegalArgumentException e) {
      throw Errors.usage("not an inferscope run: " + Errors.oneLine(e.getMessage()));
    }
  }

  private interface Output {
    void write() throws IOException;
  }

  /** Writes one output when asked for; false when not asked or not written (the why added). */
  private static boolean write(String option, Path file, Output output, List<String> unwritten) {
    if (file == null) {
      return false;
    }
    try {
      output.write();
      return true;
    } catch (IOException e) {
      unwritten.add(option + " " + file + " not written: " + Errors.oneLine(e.getMessage()));
      return false;
    }
  }
}
