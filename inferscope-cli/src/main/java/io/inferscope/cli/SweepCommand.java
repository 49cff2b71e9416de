package io.inferscope.cli;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMeta;
import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import io.inferscope.core.SweepAxis;
import io.inferscope.core.SweepLevel;
import io.inferscope.probe.Endpoint;
import io.inferscope.probe.LoadSpec;
import io.inferscope.probe.Workload;
import io.inferscope.report.JsonReport;
import io.inferscope.report.SweepHtml;
import io.inferscope.report.SweepJson;
import io.inferscope.report.SweepText;
import io.inferscope.report.TextReport;
import io.inferscope.sysmon.ProcessFinder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code inferscope sweep}: one run per load level against the same engine, then the table, the
 * throughput–latency curve and the saturation knee (ADR 0012).
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Runs one level after another (closed-loop concurrency or open-loop request rate) against"
          + " the same engine and reports throughput, latency, completeness and goodput per"
          + " level, and where the engine saturates (the knee).",
      "The API key, if the engine needs one, is read from $INFERSCOPE_API_KEY, $OPENAI_API_KEY"
          + " or --api-key-file; never from the command line."
    })
final class SweepCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", required = true, description = "Engine base URL.")
  String url;

  @Option(
      names = {"-m", "--model"},
      description = "Model name to send (default: the first model the engine lists).")
  String model;

  @Option(
      names = "--endpoint",
      defaultValue = "chat",
      description = "chat (/v1/chat/completions) or completions (/v1/completions).")
  String endpoint;

  @Option(names = "--api-key-file", description = "File holding the API key (one line).")
  Path apiKeyFile;

  @Option(names = "--api-key", hidden = true, description = "Refused: see --api-key-file.")
  String apiKeyOnArgv;

  @Option(
      names = {"-c", "--concurrency"},
      paramLabel = "LEVELS",
      description =
          "Closed-loop levels: requests in flight, e.g. 1,2,4,8 or 1:64:x2 (from 1 to 64,"
              + " doubling) or 2:10:+2.")
  String concurrencyLevels;

  @Option(
      names = "--rate",
      paramLabel = "LEVELS",
      description =
          "Open-loop levels: requests per second, e.g. 1,2,4 or 1:64:x2; arrivals as --arrival"
              + " says, never waiting for the client.")
  String rateLevels;

  @Option(
      names = {"-n", "--requests"},
      description = "Measured requests per level (default: each level runs for --duration).")
  Integer requests;

  @Option(
      names = {"-d", "--duration"},
      converter = Durations.class,
      description =
          "How long each level sends measured requests (default: 30s unless --requests is"
              + " given); long enough for a steady state.")
  Duration duration;

  @Option(
      names = "--cool-down",
      defaultValue = "0s",
      converter = Durations.NonNegative.class,
      description = "Pause between levels, for the engine to drain (default: ${DEFAULT-VALUE}).")
  Duration coolDown;

  @Option(
      names = "--min-completeness",
      paramLabel = "PERCENT",
      description = "Stop after a level whose completeness (ok / sent) falls below this.")
  Double minCompleteness;

  @Option(
      names = "--max-ttft-p99",
      converter = Durations.class,
      description = "Stop after a level whose TTFT p99 passes this bound.")
  Duration maxTtftP99;

  @Option(
      names = "--levels-dir",
      paramLabel = "DIR",
      description = "Also write each level's full run as JSON into DIR (level-01-....json).")
  Path levelsDir;

  @Mixin LoadOptions load;
  @Mixin WorkloadOptions workload;
  @Mixin HardwareOptions hardware;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the sweep as JSON to FILE.")
  Path json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Write the sweep's throughput–latency curve and table as HTML to FILE.")
  Path html;

  @Option(
      completionCandidates = EnumNames.ProgressModes.class,
      names = "--progress",
      defaultValue = "auto",
      description =
          "Progress line on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, on when"
              + " stderr is a terminal).")
  OutputOptions.ProgressMode progress;

  private final Map<String, String> env;

  SweepCommand() {
    this(System.getenv());
  }

  SweepCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    ApiKeys.refuseOnCommandLine(apiKeyOnArgv);
    if ((concurrencyLevels == null) == (rateLevels == null)) {
      throw Errors.usage("give the levels: --concurrency 1,2,4,... or --rate 1,2,4,... (one of)");
    }
    SweepAxis axis = concurrencyLevels != null ? SweepAxis.CONCURRENCY : SweepAxis.RATE;
    List<Double> levels =
        levels(
            axis == SweepAxis.CONCURRENCY ? concurrencyLevels : rateLevels,
            axis == SweepAxis.CONCURRENCY ? "--concurrency" : "--rate",
            axis == SweepAxis.CONCURRENCY);
    if (requests != null && duration != null) {
      throw Errors.usage("give --requests or --duration per level, not both");
    }
    if (requests != null && requests < 1) {
      throw Errors.usage("--requests must be at least 1, got " + requests);
    }
    if (minCompleteness != null && !(minCompleteness > 0 && minCompleteness <= 100)) {
      throw Errors.usage(
          "--min-completeness is a percentage above 0, up to 100: " + minCompleteness);
    }
    load.validate();
    workload.validate(load.prompt != null || load.promptFile != null);
    hardware.validate();
    OutputOptions.writable("--json", json);
    OutputOptions.writable("--html", html);
    if (levelsDir != null && !Files.isDirectory(levelsDir)) {
      throw Errors.usage("--levels-dir " + levelsDir + " is not a directory: create it first");
    }
    Duration perLevel = requests == null && duration == null ? Duration.ofSeconds(30) : duration;
    URI base = RunCommand.parseUrl(url);
    Endpoint ep = RunCommand.endpoint(endpoint);
    String apiKey = ApiKeys.resolve(apiKeyFile, env);
    String prompt = load.resolvePrompt();
    EngineTarget target = EngineTarget.resolve(hardware, base, new ProcessFinder());
    Slo slo = workload.parseSlo();
    String modelName = RunCommand.resolveModel(base, model, apiKey);
    Integer asked = requests == null ? null : requests + load.warmup;
    Workload w =
        workload.prepare(
            prompt, base, modelName, apiKey, ep, load.seed, asked, spec.commandLine().getErr());

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<SweepAnalysis.Level> done = new ArrayList<>();
    int sent = 0;
    List<SweepLevel> figures = new ArrayList<>();
    String stopped = null;
    Signals.Stop signalled = null;
    // One set of handlers for the whole sweep: a signal stops the level running (or the cool-down)
    // and the sweep's reports are still written; a second exits at once without them.
    Profiler.StopHook hook = new Profiler.StopHook();
    hook.install(
        stop -> {
          err.println(
              "inferscope: "
                  + stop.signal()
                  + ": stopping the sweep after the level running now (its in-flight requests get"
                  + " --stop-grace); the levels run so far are reported. Signal again to exit at"
                  + " once, without the reports.");
          err.flush();
        },
        stop -> {
          err.println(
              "inferscope: "
                  + stop.signal()
                  + " again: exiting at once; the sweep's reports were not written"
                  + (levelsDir == null
                      ? ""
                      : " (the finished levels' runs are in " + levelsDir + ")"));
          err.flush();
        });
    for (int i = 0; i < levels.size(); i++) {
      double value = levels.get(i);
      if (i > 0 && !coolDown.isZero() && hook.awaitStop(coolDown)) {
        signalled = hook.signalled();
        stopped = "stopped by " + signalled.signal() + " before " + axis.level(value);
        break;
      }
      if (hook.signalled() != null) {
        signalled = hook.signalled();
        stopped = "stopped by " + signalled.signal() + " before " + axis.level(value);
        break;
      }
      LoadSpec levelSpec =
          levelSpec(axis, value, base, ep, modelName, w, apiKey, perLevel, sent, i + 1);
      Map<String, String> settings =
          load.settings(
              levelSpec.concurrency(),
              levelSpec.requests(),
              levelSpec.duration(),
              levelSpec.ratePerSecond(),
              levelSpec.fixedSchedule());
      workload.addSettings(settings, w);
      settings.put("sweep_level", axis.level(value));
      settings.put("api_key_source", ApiKeys.source(apiKeyFile, env));
      RunMeta meta =
          new RunMeta(
              Version.get(),
              "run",
              Redaction.commandLine(spec.commandLine().getParseResult().originalArgs()),
              Redaction.url(base.toString()),
              ep.code(),
              modelName,
              settings,
              slo);
      OutputOptions levelOutput = new OutputOptions();
      levelOutput.progress = progress;
      Profiler.Measured m =
          new Profiler(out, err).load(levelSpec, meta, levelOutput, target, hardware, hook);
      RunAnalysis analysis = RunAnalysis.of(m.result());
      // The next level goes on through the workload: no request of a level repeats another's.
      sent += Math.min(Integer.MAX_VALUE / 2, m.result().traces().size());
      done.add(new SweepAnalysis.Level(value, analysis));
      figures.add(SweepLevel.of(value, analysis));
      err.println("inferscope: " + axis.level(value) + ": " + TextReport.oneLineSummary(analysis));
      err.flush();
      if (levelsDir != null) {
        Path file =
            levelsDir.resolve(
                String.format(
                    Locale.ROOT,
                    "level-%02d-%s.json",
                    i + 1,
                    axis.value(value).replace("/s", "-per-s")));
        try {
          JsonReport.write(analysis, file);
        } catch (IOException e) {
          err.println("inferscope: " + Errors.oneLine(e.getMessage()));
        }
      }
      if (m.signalled() != null) {
        signalled = m.signalled();
        stopped = "stopped by " + signalled.signal() + " during " + axis.level(value);
        break;
      }
      if (m.result().partial()) {
        stopped = axis.level(value) + " was cut short: " + m.result().stopReason();
        break;
      }
      String why =
          SweepAnalysis.stopReason(
              axis, figures, minCompleteness, maxTtftP99 == null ? null : maxTtftP99.toNanos());
      if (why != null) {
        stopped = why + " (--min-completeness / --max-ttft-p99)";
        break;
      }
    }
    SweepAnalysis sweep = SweepAnalysis.of(axis, done, stopped);
    boolean written = true;
    written &= write(json, () -> SweepJson.write(sweep, json), err);
    written &= write(html, () -> SweepHtml.write(sweep, html), err);
    out.print(SweepText.render(sweep));
    out.flush();
    if (signalled != null) {
      return signalled.exitCode();
    }
    boolean anyOk = figures.stream().anyMatch(f -> f.ok() > 0);
    if (!anyOk) {
      err.println(
          "inferscope: no request completed at any level: fix the cause above and run again");
      err.flush();
      return ExitCodes.FAILURE;
    }
    return written ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private LoadSpec levelSpec(
      SweepAxis axis,
      double value,
      URI base,
      Endpoint ep,
      String modelName,
      Workload w,
      String apiKey,
      Duration perLevel,
      int firstItem,
      long promptSalt) {
    try {
      return LoadSpec.builder(base, ep)
          .model(modelName)
          .workload(w)
          .maxTokens(load.maxTokens)
          .extraBodyJson(load.extraBody)
          .concurrency(axis == SweepAxis.CONCURRENCY ? (int) value : Integer.MAX_VALUE)
          .requests(requests)
          .duration(requests == null ? perLevel : null)
          .ratePerSecond(axis == SweepAxis.RATE ? value : null)
          .arrival(load.arrival)
          .burstiness(load.burstiness)
          .seed(load.seed)
          .firstItem(firstItem)
          .promptSalt(promptSalt)
          .warmupRequests(load.warmup)
          .selfWarm(load.selfWarm)
          .includeUsage(!load.noUsage)
          .honorRetryAfter(load.honorRetryAfter && axis == SweepAxis.CONCURRENCY)
          .timeouts(load.timeouts())
          .apiKey(apiKey)
          .build();
    } catch (IllegalArgumentException e) {
      throw Errors.usage(e.getMessage());
    }
  }

  private interface FileWrite {
    void run() throws IOException;
  }

  private static boolean write(Path target, FileWrite w, PrintWriter err) {
    if (target == null) {
      return true;
    }
    try {
      w.run();
      return true;
    } catch (IOException e) {
      err.println("inferscope: " + Errors.oneLine(e.getMessage()));
      err.flush();
      return false;
    }
  }

  /**
   * The levels of {@code spec}: a list ({@code 1,2,4}), or {@code FROM:TO:xFACTOR} (multiply) or
   * {@code FROM:TO:+STEP} (add), TO included when reached. Strictly rising, positive; whole numbers
   * for concurrency.
   */
  static List<Double> levels(String spec, String option, boolean whole) {
    List<Double> out = new ArrayList<>();
    String s = spec.strip();
    try {
      if (s.contains(":")) {
        String[] p = s.split(":");
        if (p.length != 3
            || p[2].length() < 2
            || (p[2].charAt(0) != 'x' && p[2].charAt(0) != '+')) {
          throw new NumberFormatException();
        }
        double from = Double.parseDouble(p[0]);
        double to = Double.parseDouble(p[1]);
        double k = Double.parseDouble(p[2].substring(1));
        boolean times = p[2].charAt(0) == 'x';
        if (!(from > 0) || !(to >= from) || (times ? !(k > 1) : !(k > 0))) {
          throw new NumberFormatException();
        }
        for (double v = from; v <= to * (1 + 1e-9) && out.size() <= 64; v = times ? v * k : v + k) {
          out.add(v);
        }
      } else {
        for (String part : s.split(",")) {
          out.add(Double.parseDouble(part.strip()));
        }
      }
    } catch (NumberFormatException e) {
      throw Errors.usage(
          option
              + " '"
              + spec
              + "': give levels as 1,2,4 or FROM:TO:xFACTOR (1:64:x2) or FROM:TO:+STEP (2:10:+2)");
    }
    if (out.size() > 64) {
      throw Errors.usage(option + " '" + spec + "' makes more than 64 levels: give fewer");
    }
    for (int i = 0; i < out.size(); i++) {
      double v = out.get(i);
      if (!(v > 0) || !Double.isFinite(v) || (whole && v != Math.rint(v))) {
        throw Errors.usage(
            option + " levels must be positive" + (whole ? " whole numbers" : "") + ", got " + v);
      }
      if (whole && v > 100_000) {
        throw Errors.usage(option + " levels must be at most 100000, got " + (long) v);
      }
      if (i > 0 && v <= out.get(i - 1)) {
        throw Errors.usage(option + " levels must rise: " + out.get(i - 1) + " then " + v);
      }
    }
    return out;
  }
}
