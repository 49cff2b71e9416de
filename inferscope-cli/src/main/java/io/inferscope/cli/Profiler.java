package io.inferscope.cli;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.RunResult;
import io.inferscope.probe.LoadResult;
import io.inferscope.probe.LoadRunner;
import io.inferscope.probe.LoadSpec;
import io.inferscope.report.HtmlReport;
import io.inferscope.report.JsonReport;
import io.inferscope.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

  /** Report files written so far: a second signal says which. */
  private final java.util.Set<java.nio.file.Path> written =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** {@code run --gate}: judges the run once its reports are written; null without it. */
  private GateRunner gate;

  Profiler(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** {@code run --otlp-endpoint}: exports the run once its reports are written; null without. */
  private OtlpRunner otlp;

  /** {@code run --shard}: the share this process runs, or null. */
  private ShardOptions.Plan shard;

  /** Records the run as shard {@code plan} (when not null) of a load. */
  Profiler withShard(ShardOptions.Plan plan) {
    this.shard = plan;
    return this;
  }

  /** Applies {@code gate} (when not null) to the run after its reports are written. */
  Profiler withGate(GateRunner gate) {
    this.gate = gate;
    return this;
  }

  /** Exports the run with {@code otlp} (when not null) after its reports are written. */
  Profiler withOtlp(OtlpRunner otlp) {
    this.otlp = otlp;
    return this;
  }

  int profile(
      LoadSpec spec,
      RunMeta meta,
      OutputOptions output,
      EngineTarget target,
      HardwareOptions hardwareOptions)
      throws InterruptedException {
    Measured m = load(spec, meta, output, target, hardwareOptions);
    int code = finish(m.result(), output);
    return m.signalled() == null ? code : m.signalled().exitCode();
  }

  /**
   * A run as measured, and the signal that stopped it, if one did.
   *
   * @param result the run, partial when it was cut short
   * @param signalled the first SIGINT or SIGTERM, or null
   */
  record Measured(RunResult result, Signals.Stop signalled) {}

  /**
   * Drives {@code spec}'s load while sampling the engine, and returns the run; writes nothing. The
   * first signal stops the load (in-flight requests get the stop grace) and the run comes back
   * partial; a second exits at once, saying which of {@code output}'s files were written.
   */
  Measured load(
      LoadSpec spec,
      RunMeta meta,
      OutputOptions output,
      EngineTarget target,
      HardwareOptions hardwareOptions)
      throws InterruptedException {
    return load(spec, meta, output, target, hardwareOptions, null);
  }

  /**
   * Signals for several loads in a row (a sweep's levels): installed once, the first stops
   * whichever load runs then, or the next before it starts; the second exits at once.
   */
  static final class StopHook {
    private final AtomicReference<Signals.Stop> signalled = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile LoadRunner current;

    /**
     * Installs the handlers.
     *
     * @param onFirst says what the first signal does
     * @param onSecond says what is and is not written as the process exits at once
     */
    void install(Consumer<Signals.Stop> onFirst, Consumer<Signals.Stop> onSecond) {
      Signals.install(
          stop -> {
            signalled.compareAndSet(null, stop);
            LoadRunner r = current;
            if (r != null) {
              r.stop(stop.reason());
            }
            stopped.countDown();
            onFirst.accept(stop);
          },
          onSecond);
    }

    /** The first signal, or null. */
    Signals.Stop signalled() {
      return signalled.get();
    }

    /** Waits {@code d} unless a signal comes first; true when one did. */
    boolean awaitStop(Duration d) throws InterruptedException {
      return stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * {@link #load(LoadSpec, RunMeta, OutputOptions, EngineTarget, HardwareOptions)} under {@code
   * hook}'s signals when it is given.
   */
  Measured load(
      LoadSpec spec,
      RunMeta meta,
      OutputOptions output,
      EngineTarget target,
      HardwareOptions hardwareOptions,
      StopHook hook)
      throws InterruptedException {
    try {
      LoadRunner.check(spec);
    } catch (IllegalArgumentException e) {
      // The spec's content (e.g. --extra-body) is wrong: bad input, nothing was sent.
      throw Errors.usage(e.getMessage());
    }
    // Before the run's clock starts: none of it is the run's. A signal during it ends the warm-up
    // after its batch; a sweep's hook then stops the level, a single run says so and exits. Until
    // the run's own handlers replace these, a signal only asks the command to end before its load.
    AtomicReference<Signals.Stop> early = new AtomicReference<>();
    if (hook == null) {
      Signals.install(
          stop -> early.compareAndSet(null, stop), stop -> say(exitingNow(stop, output)));
    }
    LoadRunner.WarmUp warmed =
        LoadRunner.warmUp(
            spec, () -> hook != null ? hook.signalled() != null : early.get() != null);
    boolean warmingStopped = warmed != null && early.get() != null;
    if (warmed != null && !warmingStopped && !output.quiet) {
      err.println(
          String.format(
              Locale.ROOT,
              "inferscope: warmed the stream reader first: %,d requests and %,d events on"
                  + " loopback in %.1f s, nothing sent to the engine",
              warmed.requests(),
              warmed.events(),
              warmed.elapsedNanos() / 1e9));
    }
    RunClock.Reading reading = RunClock.read();
    RunClock clock = reading.clock();
    LoadRunner runner = LoadRunner.create(spec, clock);
    Integer total = spec.requests() == null ? null : spec.requests() + spec.warmupRequests();
    AtomicReference<Signals.Stop> signalled = new AtomicReference<>();
    AtomicReference<String> loadStopped = new AtomicReference<>();
    AtomicReference<Progress> shown = new AtomicReference<>();
    if (hook != null) {
      hook.current = runner;
      if (hook.signalled() != null) {
        runner.stop(hook.signalled().reason());
      }
    } else {
      installSignals(runner, spec, output, signalled, shown);
      // Any signal before the run's handlers: the load has not started.
      Signals.Stop stopEarly = early.get();
      if (stopEarly != null) {
        throw new Errors.UserFacing(
            stopEarly.exitCode(),
            stopEarly.reason()
                + (warmingStopped ? " while the stream reader warmed up," : "")
                + " before the load started: nothing measured, nothing written");
      }
    }
    announceStart(runner, spec, clock);
    try {
      return measureLoad(
          spec,
          meta,
          output,
          target,
          hardwareOptions,
          reading,
          runner,
          total,
          hook != null ? hook.signalled : signalled,
          loadStopped,
          shown);
    } finally {
      if (hook != null) {
        hook.current = null;
      }
    }
  }

  private void installSignals(
      LoadRunner runner,
      LoadSpec spec,
      OutputOptions output,
      AtomicReference<Signals.Stop> signalled,
      AtomicReference<Progress> shown) {
    Signals.install(
        stop -> {
          signalled.compareAndSet(null, stop);
          // Counted before the stop: with no grace it cuts the streams at once, and a busy host
          // could let them end before a count taken after it.
          int streams = runner.inFlight();
          // In-flight streams get the stop grace, then are cut: the user wants out.
          runner.stop(stop.reason());
          String note =
              "inferscope: "
                  + stop.signal()
                  + ": stopping; waiting up to "
                  + Durations.format(spec.timeouts().stopGrace())
                  + " (--stop-grace) for "
                  + streams
                  + (streams == 1 ? " stream" : " streams")
                  + " in flight, then the partial report is written."
                  + " Signal again to exit at once, without it.";
          Progress p = shown.get();
          if (p != null) {
            p.note(note);
          } else {
            say(note);
          }
        },
        stop -> say(exitingNow(stop, output)));
  }

  private Measured measureLoad(
      LoadSpec spec,
      RunMeta meta,
      OutputOptions output,
      EngineTarget target,
      HardwareOptions hardwareOptions,
      RunClock.Reading reading,
      LoadRunner runner,
      Integer total,
      AtomicReference<Signals.Stop> signalled,
      AtomicReference<String> loadStopped,
      AtomicReference<Progress> shown)
      throws InterruptedException {
    RunResult result =
        measure(
            reading,
            target,
            hardwareOptions,
            spec.baseUrl(),
            spec.apiKey(),
            // No engine, no point in sending more: stop and keep what was measured.
            runner::stop,
            () -> {
              try (Progress progress =
                  Progress.start(
                      output.progress,
                      err,
                      total,
                      runner::inFlight,
                      runner::finished,
                      runner::failed)) {
                shown.set(progress);
                // Every trace, however the load ended: finished, and cut off as cancelled.
                LoadResult load = runner.run(null);
                loadStopped.set(load.stopReason());
                return load.traces();
              }
            },
            meta,
            // A server that drops kept-alive connections adds a connect to every TTFT.
            () ->
                runner.engineClosesConnections()
                    ? RunFacts.ConnectionReuse.PER_REQUEST
                    : RunFacts.ConnectionReuse.POOLED,
            () -> signalled.get() != null ? signalled.get().reason() : loadStopped.get());
    result = result.withFacts(result.facts().withWorkload(spec.workload().facts()));
    if (shard != null) {
      Long startAt = runner.startAtNanos();
      Long started = runner.measuredStartNanos();
      result =
          result.withFacts(
              result
                  .facts()
                  .withShard(
                      new RunFacts.Shard(
                          shard.index(),
                          shard.count(),
                          spec.startAt(),
                          startAt == null || started == null ? null : started - startAt)));
    }
    return new Measured(result, signalled.get());
  }

  /** Says when measured load will start, for a run given an agreed start ({@code --start-at}). */
  private void announceStart(LoadRunner runner, LoadSpec spec, RunClock clock) {
    Long at = runner.startAtNanos();
    if (at == null) {
      return;
    }
    long ahead = at - clock.nowNanos();
    String who = shard == null ? "" : "shard " + shard.label() + ": ";
    say(
        ahead >= 0
            ? "inferscope: "
                + who
                + "measured load starts at "
                + spec.startAt()
                + " (--start-at), in "
                + String.format(java.util.Locale.ROOT, "%.1f s", ahead / 1e9)
                + " by this host's clock"
            : "inferscope: "
                + who
                + "--start-at "
                + spec.startAt()
                + " passed "
                + String.format(java.util.Locale.ROOT, "%.1f s", -ahead / 1e9)
                + " ago by this host's clock: measured load starts as soon as it can, late");
  }

  /** Samples the engine without sending load, for {@code duration} (or until stopped). */
  int sampleOnly(
      RunMeta meta,
      OutputOptions output,
      EngineTarget target,
      HardwareOptions hardwareOptions,
      Duration duration,
      java.net.URI base,
      String apiKey)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<Signals.Stop> signalled = new AtomicReference<>();
    Signals.install(
        stop -> {
          signalled.compareAndSet(null, stop);
          stopped.countDown();
        },
        stop -> say(exitingNow(stop, output)));
    RunResult result =
        measure(
            RunClock.read(),
            target,
            hardwareOptions,
            base,
            apiKey,
            why -> stopped.countDown(),
            () -> {
              if (duration == null) {
                stopped.await();
              } else {
                stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
              }
              return List.of();
            },
            meta,
            () -> null,
            // Ending sample-only with Ctrl-C is the normal way to end it: not a partial run.
            () -> null);
    int code = finish(result, output);
    return signalled.get() == null ? code : signalled.get().exitCode();
  }

  /** The measured part of a run: what runs while the hardware is sampled. */
  private interface MeasuredPart {
    List<RequestTrace> run() throws InterruptedException;
  }

  /**
   * Samples the hardware on {@code clock} while {@code body} runs and puts both in one result; a
   * vanished engine ends the run as partial, with the sampler's reason.
   */
  private RunResult measure(
      RunClock.Reading reading,
      EngineTarget target,
      HardwareOptions hardwareOptions,
      java.net.URI engineUrl,
      String apiKey,
      Consumer<String> onEngineGone,
      MeasuredPart body,
      RunMeta meta,
      Supplier<RunFacts.ConnectionReuse> connectionReuse,
      Supplier<String> interruption)
      throws InterruptedException {
    RunClock clock = reading.clock();
    AtomicReference<String> engineGone = new AtomicReference<>();
    EngineMetricsMonitor engineMetrics =
        EngineMetricsMonitor.start(hardwareOptions, engineUrl, apiKey, clock, err);
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
    ClientOverhead client;
    ClientMonitor clientMonitor = ClientMonitor.start();
    try {
      traces = body.run();
    } finally {
      client = clientMonitor.stop();
      hardware = monitor.stop();
    }
    io.inferscope.core.EngineMetrics engine = engineMetrics.stop();
    String stopReason = engineGone.get() != null ? engineGone.get() : interruption.get();
    RunFacts facts =
        new RunFacts(
                // Lets the report tell an engine that used every core of this host.
                Runtime.getRuntime().availableProcessors(),
                connectionReuse.get(),
                target.pid() != null
                    ? new RunFacts.EngineProcess(target.how(), null)
                    : new RunFacts.EngineProcess(null, target.reason()))
            // Where this ran and how its clock was read: what a merge aligns clocks by.
            .withHost(HostFacts.read(reading.wallReadNanos()));
    return new RunResult(
        meta,
        clock,
        traces,
        clock.nowNanos(),
        stopReason != null,
        stopReason,
        hardware,
        client,
        facts,
        engine);
  }

  /**
   * Writes and prints the result, exports it over OTLP and applies the gate if asked; returns the
   * exit code. The run's own failure (a file not written, a partial run, every request failed)
   * keeps its code; else a failed required export or a failed rule makes it {@link
   * ExitCodes#FAILURE}. A signal's code comes on top of both (see the callers).
   */
  int finish(RunResult result, OutputOptions output) {
    RunAnalysis analysis = RunAnalysis.of(result);
    int code = report(result, analysis, output);
    if (otlp != null) {
      // After the files: a receiver that is down or slow must not cost them. Its failure counts
      // only with --otlp-required, and never hides the run's own.
      int exported = otlp.export(analysis, err);
      code = code != ExitCodes.OK ? code : exported;
    }
    if (gate == null) {
      return code;
    }
    int gated =
        gate.apply(analysis, output.json == null ? "this run" : output.json.toString(), out, err);
    return code != ExitCodes.OK ? code : gated;
  }

  private int report(RunResult result, RunAnalysis analysis, OutputOptions output) {
    // Each output is attempted whatever happened to the others: a failed file must not cost the
    // rest of what was measured.
    boolean written =
        write(output.json, () -> JsonReport.write(analysis, output.json))
            & write(output.html, () -> HtmlReport.write(analysis, output.html));
    if (!output.quiet) {
      out.print(TextReport.render(analysis));
      out.flush();
    }
    if (!written) {
      return ExitCodes.FAILURE;
    }
    RunMetrics m = analysis.metrics();
    String where =
        (output.json == null ? "" : " · JSON written to " + output.json)
            + (output.html == null ? "" : " · HTML written to " + output.html);
    err.println("inferscope: " + TextReport.oneLineSummary(analysis) + where);
    err.flush();
    if (result.partial()) {
      err.println(
          "inferscope: the run was cut short ("
              + result.stopReason()
              + "): the partial report holds everything measured until then");
      err.flush();
      return ExitCodes.FAILURE;
    }
    if (m.requests() > 0 && m.cancelled() == m.requests()) {
      err.println(
          "inferscope: every one of the "
              + m.requests()
              + " measured requests was cancelled before it completed ("
              + mostCommonFailure(m)
              + "): give them longer with --drain-timeout (timed runs) or --stop-grace (Ctrl-C)");
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
    if (m.requests() == 0 && !RunAnalysis.SAMPLE_ONLY.equals(result.meta().mode())) {
      err.println("inferscope: no measured request was sent: check --requests/--duration");
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  /** A report file write. */
  private interface FileWrite {
    void run() throws IOException;
  }

  /** One line on stderr, whole, whatever else writes there. */
  private void say(String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }

  /** What a second signal leaves behind, said as the process exits at once. */
  private String exitingNow(Signals.Stop stop, OutputOptions output) {
    StringBuilder b =
        new StringBuilder("inferscope: ").append(stop.signal()).append(" again: exiting at once");
    List<java.nio.file.Path> asked = new java.util.ArrayList<>();
    if (output.json != null) {
      asked.add(output.json);
    }
    if (output.html != null) {
      asked.add(output.html);
    }
    if (asked.isEmpty()) {
      return b.append("; the report was not printed").toString();
    }
    for (java.nio.file.Path p : asked) {
      b.append("; ").append(p).append(written.contains(p) ? " was written" : " was not written");
    }
    return b.toString();
  }

  /** Writes one report file if asked for; false, with a one-line error, when that failed. */
  private boolean write(java.nio.file.Path target, FileWrite writer) {
    if (target == null) {
      return true;
    }
    try {
      writer.run();
      written.add(target);
      return true;
    } catch (IOException e) {
      err.println("inferscope: " + Errors.oneLine(e.getMessage()));
      err.flush();
      return false;
    }
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
