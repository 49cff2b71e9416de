package io.inferscope.cli;

import io.inferscope.core.HardwareSamples;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one profile end to end: load, result, reports, exit code. Shared by run and demo. */
final class Profiler {
  private final PrintWriter out;
  private final PrintWriter err;

  Profiler(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  int profile(
      LoadSpec spec,
      RunMeta meta,
      OutputOptions output,
      EngineTarget target,
      HardwareOptions hardwareOptions)
      throws InterruptedException {
    RunClock clock = RunClock.startNow();
    LoadRunner runner;
    try {
      runner = LoadRunner.create(spec, clock);
    } catch (IllegalArgumentException e) {
      // The spec's content (e.g. --extra-body) is wrong: bad input, nothing was sent.
      throw Errors.usage(e.getMessage());
    }
    Integer total = spec.requests() == null ? null : spec.requests() + spec.warmupRequests();
    AtomicReference<String> engineGone = new AtomicReference<>();
    HardwareMonitor monitor =
        HardwareMonitor.start(
            target,
            hardwareOptions,
            clock,
            why -> {
              // No engine, no point in sending more: stop and keep what was measured.
              engineGone.compareAndSet(null, why);
              runner.stop(why);
            });
    List<RequestTrace> traces;
    HardwareSamples hardware;
    try (Progress progress = Progress.start(output.progress, err, total, runner::inFlight)) {
      traces = runner.run(t -> progress.onFinished(t.ok()));
    } finally {
      hardware = monitor.stop();
    }
    String stopReason = engineGone.get();
    RunResult result =
        new RunResult(
            withConnectionNote(meta, runner, target),
            clock,
            traces,
            clock.nowNanos(),
            stopReason != null,
            stopReason,
            hardware);
    return finish(result, output);
  }

  /** Samples the engine without sending load, for {@code duration} or until it exits. */
  int sampleOnly(
      RunMeta meta,
      OutputOptions output,
      EngineTarget target,
      HardwareOptions hardwareOptions,
      Duration duration)
      throws InterruptedException {
    RunClock clock = RunClock.startNow();
    CountDownLatch gone = new CountDownLatch(1);
    AtomicReference<String> engineGone = new AtomicReference<>();
    HardwareMonitor monitor =
        HardwareMonitor.start(
            target,
            hardwareOptions,
            clock,
            why -> {
              engineGone.compareAndSet(null, why);
              gone.countDown();
            });
    HardwareSamples hardware;
    try {
      gone.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      hardware = monitor.stop();
    }
    String stopReason = engineGone.get();
    RunResult result =
        new RunResult(
            withTarget(meta, target),
            clock,
            List.of(),
            clock.nowNanos(),
            stopReason != null,
            stopReason,
            hardware);
    return finish(result, output);
  }

  /** Records how connections were used: a server that drops kept-alive ones changes TTFT. */
  private static RunMeta withConnectionNote(RunMeta meta, LoadRunner runner, EngineTarget target) {
    Map<String, String> settings =
        new java.util.LinkedHashMap<>(withTarget(meta, target).settings());
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

  /** Records how the engine process was found. */
  private static RunMeta withTarget(RunMeta meta, EngineTarget target) {
    Map<String, String> settings = new java.util.LinkedHashMap<>(meta.settings());
    settings.put("engine_process", target.pid() != null ? target.how() : "not sampled");
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
    if (result.partial()) {
      err.println(
          "inferscope: the run was cut short ("
              + result.stopReason()
              + "): the partial report holds everything measured until then");
      err.flush();
      return ExitCodes.FAILURE;
    }
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
    if (m.requests() == 0 && !"sample-only".equals(result.meta().mode())) {
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
