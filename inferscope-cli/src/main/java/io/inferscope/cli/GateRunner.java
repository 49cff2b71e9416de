package io.inferscope.cli;

import io.inferscope.core.RunAnalysis;
import io.inferscope.report.AtomicFiles;
import io.inferscope.report.Gate;
import io.inferscope.report.GateInputException;
import io.inferscope.report.GateJunit;
import io.inferscope.report.GateMarkdown;
import io.inferscope.report.GateResult;
import io.inferscope.report.GateRule;
import io.inferscope.report.GateRules;
import io.inferscope.report.GateText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A CI gate as {@code gate} and {@code run --gate} apply it: the thresholds file read and checked
 * and the baseline run read before anything else (bad input is exit 2), then the rules judged
 * against a run, the table printed and the result files written.
 */
final class GateRunner {

  /** GitHub Actions' job summary: Markdown appended to this file shows on the run's page. */
  static final String STEP_SUMMARY = "GITHUB_STEP_SUMMARY";

  private final Gate gate;
  private final RunAnalysis baseline;
  private final String baselineSource;
  private final Path junit;
  private final Path markdown;
  private final Map<String, String> env;

  private GateRunner(
      Gate gate,
      RunAnalysis baseline,
      String baselineSource,
      Path junit,
      Path markdown,
      Map<String, String> env) {
    this.gate = gate;
    this.baseline = baseline;
    this.baselineSource = baselineSource;
    this.junit = junit;
    this.markdown = markdown;
    this.env = env;
  }

  /**
   * Reads and checks everything a gate needs before it judges a run.
   *
   * @param baselineOption the option that gives the baseline, for messages
   * @throws Errors.UserFacing a usage error for a bad thresholds file, a rule that names no figure
   *     or needs a baseline that was not given, a bad baseline file, or an output that cannot be
   *     written
   */
  static GateRunner prepare(
      Path thresholds,
      Path baseline,
      String baselineOption,
      String junitOption,
      Path junit,
      String markdownOption,
      Path markdown,
      Map<String, String> env) {
    OutputOptions.writable(junitOption, junit);
    OutputOptions.writable(markdownOption, markdown);
    Gate gate;
    try {
      gate = Gate.compile(GateRules.read(thresholds));
    } catch (GateInputException e) {
      throw Errors.usage(e.getMessage());
    }
    GateRule needs = gate.firstBaselineRule();
    if (needs != null && baseline == null) {
      throw Errors.usage(
          thresholds
              + ":"
              + needs.line()
              + ": rule '"
              + needs.text()
              + "' compares with a baseline: give "
              + baselineOption
              + " BASE.json, a run saved with --json");
    }
    RunAnalysis base = baseline == null ? null : RunAnalysis.of(ReportCommand.read(baseline));
    return new GateRunner(
        gate, base, baseline == null ? null : baseline.toString(), junit, markdown, env);
  }

  /**
   * Judges {@code run}, prints the table on {@code out} and writes the result files.
   *
   * @param runSource what the run is called: its file
   * @return {@link ExitCodes#OK} when every rule passed, else {@link ExitCodes#FAILURE} (a rule
   *     failed, or a result file could not be written, said on {@code err})
   */
  int apply(RunAnalysis run, String runSource, PrintWriter out, PrintWriter err) {
    GateResult result = gate.evaluate(run, runSource, baseline, baselineSource);
    out.print(GateText.render(result));
    out.flush();
    String md = GateMarkdown.render(result);
    boolean written =
        write(err, markdown, () -> AtomicFiles.write(markdown, md))
            & write(err, junit, () -> AtomicFiles.write(junit, GateJunit.render(result)));
    String summary = env.get(STEP_SUMMARY);
    if (summary != null && !summary.isBlank()) {
      Path file = Path.of(summary);
      // Appended, not replaced: every step of the job adds its own part to this file.
      written &=
          write(
              err,
              file,
              () ->
                  Files.writeString(
                      file,
                      md,
                      StandardCharsets.UTF_8,
                      StandardOpenOption.CREATE,
                      StandardOpenOption.APPEND));
    }
    if (!result.passed()) {
      err.println("inferscope: gate failed: " + result.summary() + " (the table above says which)");
      err.flush();
    }
    return written && result.passed() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private interface FileWrite {
    void run() throws IOException;
  }

  private static boolean write(PrintWriter err, Path target, FileWrite w) {
    if (target == null) {
      return true;
    }
    try {
      w.run();
      return true;
    } catch (IOException e) {
      err.println("inferscope: cannot write " + target + ": " + Errors.oneLine(e.getMessage()));
      err.flush();
      return false;
    }
  }
}
