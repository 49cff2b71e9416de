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
import java.util.function.Consumer;
import java.util.function.Supplier;

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
    RunResult result =
        measure(
            clock,
            target,
            hardwareOptions,
            // No engine, no point in sending more: stop and keep what was measured.
            runner::stop,
            () -> {
              try (Progress progress =
                  Progress.start(output.progress, err, total, runner::inFlight)) {
                return runner.run(t -> progress.onFinished(t.ok()));
              }
            },
            () ->
                meta.withSetting(
                    "connection_reuse",
                    // A server that drops kept-alive connections adds a connect to every TTFT.
                    runner.engineClosesConnections()
                        ? "per-request (the engine closed kept-alive connections after answers)"
                        : "pooled"));
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
    CountDownLatch gone = new CountDownLatch(1);
    RunResult result =
        measure(
            RunClock.startNow(),
            target,
            hardwareOptions,
            why -> gone.countDown(),
            () -> {
              gone.await(duration.toNanos(), TimeUnit.NANOSECONDS);
              return List.of();
            },
            () -> meta);
    return finish(result, output);
  }

  /** The measured part of a run: what runs while the hardware is sampled. */
  private interface Measured {
    List<RequestTrace> run() throws InterruptedException;
  }

  /**
   * Samples the hardware on {@code clock} while {@code body} runs and puts both in one result; a
   * vanished engine ends the run as partial, with the sampler's reason.
   */
  private static RunResult measure(
      RunClock clock,
      EngineTarget target,
      HardwareOptions hardwareOptions,
      Consumer<String> onEngineGone,
      Measured body,
      Supplier<RunMeta> metaAtEnd)
      throws InterruptedException {
    AtomicReference<String> engineGone = new AtomicReference<>();
    HardwareMonitor monitor =
        HardwareMonitor.start(
            target,
            hardwareOptions,
            clock,
            why -> {
              engineGone.compareAndSet(null, why);
              onEngineGone.accept(why);
            });
    List<RequestTrace> traces;
    HardwareSamples hardware;
    try {
      traces = body.run();
    } finally {
      hardware = monitor.stop();
    }
    String stopReason = engineGone.get();
    RunMeta meta =
        metaAtEnd
            .get()
            .withSetting("engine_process", target.pid() != null ? target.how() : "not sampled");
    return new RunResult(
        meta, clock, traces, clock.nowNanos(), stopReason != null, stopReason, hardware);
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
