package io.inferscope.cli;

import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.RunResult;
import io.inferscope.probe.LoadRunner;
import io.inferscope.probe.LoadSpec;
import io.inferscope.report.JsonReport;
import io.inferscope.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Runs one profile end to end: load, result, reports, exit code. Shared by run and demo. */
final class Profiler {
  private final PrintWriter out;
  private final PrintWriter err;

  Profiler(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  int profile(LoadSpec spec, RunMeta meta, OutputOptions output) throws InterruptedException {
    RunClock clock = RunClock.startNow();
    LoadRunner runner;
    try {
      runner = LoadRunner.create(spec, clock);
    } catch (IllegalArgumentException e) {
      // The spec's content (e.g. --extra-body) is wrong: bad input, nothing was sent.
      throw Errors.usage(e.getMessage());
    }
    Integer total = spec.requests() == null ? null : spec.requests() + spec.warmupRequests();
    List<RequestTrace> traces;
    try (Progress progress = Progress.start(output.progress, err, total, runner::inFlight)) {
      traces = runner.run(t -> progress.onFinished(t.ok()));
    }
    RunResult result =
        new RunResult(
            withConnectionNote(meta, runner), clock, traces, clock.nowNanos(), false, null);
    return finish(result, output);
  }

  /** Records how connections were used: a server that drops kept-alive ones changes TTFT. */
  private static RunMeta withConnectionNote(RunMeta meta, LoadRunner runner) {
    Map<String, String> settings = new java.util.LinkedHashMap<>(meta.settings());
    settings.put(
        "connection_reuse",
        runner.engineClosesConnections()
            ? "per-request (the engine closed kept-alive connections after answers)"
            : "pooled");
    return new RunMeta(
        meta.toolVersion(),
        meta.mode(),
        meta.commandLine(),
        meta.url(),
        meta.endpoint(),
        meta.model(),
        settings);
  }

  /** Writes and prints the result; returns the exit code. */
  int finish(RunResult result, OutputOptions output) {
    if (output.json != null) {
      try {
        JsonReport.write(result, output.json);
      } catch (IOException e) {
        err.println("inferscope: " + Errors.oneLine(e.getMessage()));
        if (!output.quiet) {
          out.print(TextReport.render(result));
        }
        return ExitCodes.FAILURE;
      }
    }
    if (!output.quiet) {
      out.print(TextReport.render(result));
      out.flush();
    }
    RunMetrics m = result.metrics();
    String where = output.json == null ? "" : " · JSON written to " + output.json;
    err.println("inferscope: " + TextReport.oneLineSummary(result) + where);
    err.flush();
    if (m.requests() > 0 && m.ok() == 0) {
      err.println(
          "inferscope: every one of the "
              + m.requests()
              + " measured requests failed ("
              + mostCommonFailure(m)
              + "): fix the cause above and run again");
      err.flush();
      return ExitCodes.FAILURE;
    }
    if (m.requests() == 0) {
      err.println("inferscope: no measured request was sent: check --requests/--duration");
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  static String mostCommonFailure(RunMetrics m) {
    Map.Entry<String, Integer> top = null;
    for (Map.Entry<String, Integer> e : m.failuresByCode().entrySet()) {
      if (top == null || e.getValue() > top.getValue()) {
        top = e;
      }
    }
    if (top == null) {
      return "no cause recorded";
    }
    return top.getKey() + " x" + top.getValue() + ": " + m.failureExamples().get(top.getKey());
  }
}
