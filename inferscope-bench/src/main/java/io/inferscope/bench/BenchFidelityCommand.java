package io.inferscope.bench;

import io.inferscope.cli.ClientMonitor;
import io.inferscope.cli.Durations;
import io.inferscope.cli.Errors;
import io.inferscope.cli.ExitCodes;
import io.inferscope.cli.JvmChoice;
import io.inferscope.cli.Version;
import io.inferscope.core.ClientOverhead;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.probe.Endpoint;
import io.inferscope.probe.LoadRunner;
import io.inferscope.probe.LoadSpec;
import io.inferscope.probe.Timeouts;
import io.inferscope.sim.ScheduleReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inferscope bench fidelity}: shows that the client's timings are what users get. Drives the
 * simulated engine, run unconfined as a separate process in a session of its own, at rising stream
 * counts. The engine stamps each event with its send time on the shared monotonic clock and books
 * how late it wrote each one against its own schedule: a client that steals the engine's CPU makes
 * the engine late, and would then faithfully report that lateness as engine latency. So each level
 * prints the engine's lateness beside observation delay, ITL error against the engine's real send
 * gaps, TTFT and the client's CPU per event; a trivial client's row at each level shows what the
 * engine does when a client costs it next to nothing. It runs under ZGC whatever its levels ({@link
 * JvmChoice.ManyStreams}): the default goes to 2048 streams, and levels measured under one
 * collector compare.
 */
@Command(
    name = "fidelity",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Measures, at rising stream counts, how late the simulated engine writes its events against"
          + " its schedule, how late the client observes them, how far measured token gaps stray"
          + " from the engine's real ones, and what the client costs per event; a trivial"
          + " client's row per level is the floor. Prints a Markdown table."
    })
final class BenchFidelityCommand implements Callable<Integer>, JvmChoice.ManyStreams {
  static final Duration TTFT = Duration.ofMillis(20);

  /** What every request asks; the simulated engine answers on its schedule whatever it is. */
  static final String PROMPT =
      "Write a detailed story about a lighthouse keeper who finds a message in a bottle.";

  /** Rounds of the unmeasured warm-up level: enough events for the JIT's hot paths. */
  static final int WARMUP_ROUNDS = 2;

  /** The engine warm-up's bound past its level and its silence bound: its JVM's start and end. */
  private static final Duration WARM_UP_SLACK = Duration.ofSeconds(30);

  // Tight enough that a stuck level ends the bench in minutes, not the 15 minutes of a real run.
  private static final Timeouts TIMEOUTS =
      Timeouts.defaults()
          .withConnect(Duration.ofSeconds(10))
          .withFirstByte(Duration.ofSeconds(60))
          .withIdle(Duration.ofSeconds(30))
          .withTotal(Duration.ofSeconds(180))
          .withDrain(Duration.ofSeconds(30));

  /** Which clients run each level. */
  enum Clients {
    /** inferscope's client only. */
    PROBE,
    /** The trivial reading client only. */
    TRIVIAL,
    /** The trivial client, then inferscope's. */
    BOTH
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--streams",
      split = ",",
      defaultValue = "1,64,256,512,1024,2048",
      description = "Concurrent stream counts, one level each (default: ${DEFAULT-VALUE}).")
  List<Integer> streams;

  @Option(
      names = "--tokens",
      defaultValue = "64",
      description = "Tokens per stream, sent as max_tokens (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(
      names = "--gap",
      defaultValue = "10ms",
      converter = Durations.class,
      description = "Scheduled gap between tokens (default: ${DEFAULT-VALUE}).")
  Duration gap;

  @Option(
      names = "--level-duration",
      defaultValue = "10s",
      converter = Durations.class,
      description =
          "How long each level sends: closed loop, each stream sends its next request as soon as"
              + " the last ended, and requests under way at the end finish; long enough for a"
              + " steady state (default: ${DEFAULT-VALUE}).")
  Duration levelDuration;

  @Option(
      names = "--client",
      defaultValue = "both",
      completionCandidates = ClientNames.class,
      description =
          "Which clients run each level: ${COMPLETION-CANDIDATES}; probe is inferscope's, trivial"
              + " one thread that reads, keeps only the send stamps and discards the rest (the"
              + " floor), both runs trivial first"
              + " (default: ${DEFAULT-VALUE}).")
  Clients clients;

  @Option(
      names = "--cold-streams",
      defaultValue = "512",
      description =
          "Streams of one level run first of all, before any warm-up, by inferscope's client in"
              + " its default settings: what a user's first run gets; 0 for none (default:"
              + " ${DEFAULT-VALUE}).")
  int coldStreams;

  @Option(
      names = "--warmup-streams",
      defaultValue = "256",
      description =
          "Streams of one unmeasured level (two requests each) run after the cold level, so the"
              + " JIT has compiled the hot path before the other levels are measured; capped at"
              + " the largest level, 0 for none (default: ${DEFAULT-VALUE}).")
  int warmupStreams;

  @Option(
      names = "--engine-cores",
      defaultValue = "0",
      description =
          "Processors the simulated engine's JVM believes it has (-XX:ActiveProcessorCount), 0"
              + " to leave it unconfined, as a real engine is (default: ${DEFAULT-VALUE}).")
  int engineCores;

  @Override
  public Integer call() throws InterruptedException {
    for (int s : streams) {
      if (s < 1) {
        throw Errors.usage("--streams values must be at least 1, got " + s);
      }
    }
    if (levelDuration.isNegative() || levelDuration.isZero()) {
      throw Errors.usage(
          "--level-duration must be positive, got " + Durations.format(levelDuration));
    }
    if (engineCores < 0) {
      throw Errors.usage("--engine-cores must be 0 (unconfined) or more, got " + engineCores);
    }
    if (warmupStreams < 0) {
      throw Errors.usage("--warmup-streams must be 0 or more, got " + warmupStreams);
    }
    if (coldStreams < 0) {
      throw Errors.usage("--cold-streams must be 0 or more, got " + coldStreams);
    }
    if (tokens < 2) {
      throw Errors.usage("--tokens must be at least 2 (gaps need two tokens), got " + tokens);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> simArgs =
        List.of(
            "--port",
            "0",
            "--ttft",
            Durations.format(TTFT),
            "--itl",
            gapText(),
            "--output-tokens",
            Integer.toString(tokens),
            "--stamp");
    BenchSimProcess sim;
    try {
      sim = BenchSimProcess.start(simJvmArgs(), simArgs);
    } catch (IOException e) {
      throw Errors.failure(
          "cannot start the simulated engine as a child process ("
              + Errors.oneLine(e.getMessage())
              + ")");
    }
    try (sim) {
      printHeader(out, simArgs, sim.ownSession());
      if (coldStreams > 0) {
        out.println(warmEngineUntilSettled(sim, coldStreams));
        out.println();
        out.flush();
      }
      BenchReport.header(out);
      List<BenchLevel> levels = new ArrayList<>();
      if (coldStreams > 0) {
        BenchLevel cold = runProbe(sim, coldStreams, BenchLevel.Kind.COLD);
        levels.add(cold);
        BenchReport.row(out, cold);
      }
      int warm = warmupStreams();
      if (warm > 0 && clients != Clients.TRIVIAL) {
        warmUp(sim, warm);
      }
      for (int n : streams) {
        if (clients != Clients.PROBE) {
          BenchLevel trivial = runTrivial(sim, n);
          levels.add(trivial);
          BenchReport.row(out, trivial);
        }
        if (clients != Clients.TRIVIAL) {
          BenchLevel level = runProbe(sim, n, BenchLevel.Kind.PROBE);
          levels.add(level);
          BenchReport.row(out, level);
        }
      }
      BenchReport.targets(out, levels);
      if (coldWarmUp != null) {
        out.printf(
            java.util.Locale.ROOT,
            "%nThe cold level's client warmed its stream reader first, as `run` does from %d"
                + " streams, outside the level's measurement: %,d requests and %,d events on"
                + " loopback in %.2f s (%s).%n",
            LoadRunner.SELF_WARM_MIN_STREAMS,
            coldWarmUp.requests(),
            coldWarmUp.events(),
            coldWarmUp.elapsedNanos() / 1e9,
            coldWarmUp.settled() ? "until the JIT compiler was nearly idle" : "to its time bound");
      }
    }
    return ExitCodes.OK;
  }

  /** At most this many rounds of the engine's warm-up, each a level's time. */
  static final int MAX_ENGINE_WARM_UP_ROUNDS = 6;

  /** The engine is warm once its JIT compilers worked under this share of a round's time. */
  static final double ENGINE_SETTLED_JIT_SHARE = 0.01;

  private static final java.util.regex.Pattern RESPONSES =
      java.util.regex.Pattern.compile("(\\d+) responses"); // EngineWarmUp's last line

  /**
   * {@link #warmEngine} round after round until the engine's JIT compilers worked under {@value
   * #ENGINE_SETTLED_JIT_SHARE} of a round's time (its own account, {@link
   * ScheduleReport#jitMillis}), at most {@value #MAX_ENGINE_WARM_UP_ROUNDS} rounds: one round left
   * the engine compiling into the cold level, whose engine lateness and client ITL error then
   * measured the engine's warm-up (2-vCPU VM: ITL error p99 19–25 ms after one round, 7.6–14.6 ms
   * after three, the warm level's 9–10). Returns the line the report prints.
   */
  private String warmEngineUntilSettled(BenchSimProcess sim, int n) throws InterruptedException {
    sim.takeSchedule(); // the first round's window starts here
    long responses = 0;
    int rounds = 0;
    Long jitMillis = null;
    boolean settled = false;
    while (rounds < MAX_ENGINE_WARM_UP_ROUNDS && !settled) {
      responses += warmEngine(sim, n);
      rounds++;
      ScheduleReport round = sim.takeSchedule();
      if (round == null) {
        throw Errors.failure(
            "the simulated engine did not report its schedule after warm-up round "
                + rounds
                + " (DELETE "
                + ScheduleReport.PATH
                + "): see its output");
      }
      jitMillis = round.jitMillis();
      // A JVM that does not tell its JIT's time is given one round, as before the engine told.
      settled =
          jitMillis == null || jitMillis <= ENGINE_SETTLED_JIT_SHARE * levelDuration.toMillis();
    }
    return "Engine warm-up before the cold level, unmeasured: "
        + responses
        + " responses to "
        + n
        + " streams of inferscope's client in a process of its own, in "
        + rounds
        + (rounds == 1 ? " round" : " rounds")
        + " of "
        + Durations.format(levelDuration)
        + (jitMillis == null
            ? " (its JVM does not tell its JIT's time)."
            : "; the engine's JIT compilers worked "
                + jitMillis
                + " ms in the last"
                + (settled
                    ? "."
                    : ", still over "
                        + Math.round(ENGINE_SETTLED_JIT_SHARE * 100)
                        + " % of it: the cold level may measure the engine's own warm-up."));
  }

  /**
   * Streams {@code n} streams to the engine for a level's time from inferscope's client in a
   * process of its own, unmeasured: a user's first run meets an engine that has served before (and
   * a native one has no JIT to warm), while the simulated engine's JVM would otherwise compile its
   * own hot path during the cold level and fall behind its schedule for reasons of its own. The
   * requests are the levels' own ({@link #probeLoad}): after a trivial client's warm-up, whose
   * requests differ in their heads and connections, the engine still compiled 228 methods and
   * deoptimized 79 during a first 512-stream run of inferscope's client (24 and 8 in a second).
   * This JVM, the client under test, stays cold. Returns the responses that process read.
   */
  private long warmEngine(BenchSimProcess sim, int n) throws InterruptedException {
    List<String> command =
        List.of(
            BenchSimProcess.thisJava(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            EngineWarmUp.class.getName(),
            sim.baseUrl(),
            Integer.toString(n),
            Integer.toString(tokens),
            levelDuration.toString());
    java.nio.file.Path said = null;
    Process p = null;
    try {
      said = java.nio.file.Files.createTempFile("inferscope-engine-warm-up", ".txt");
      p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(said.toFile())
              .start();
      // The level's time, then its last answers (each bounded by the levels' total timeout).
      Duration bound = levelDuration.plus(TIMEOUTS.total()).plus(WARM_UP_SLACK);
      boolean ended = p.waitFor(bound.toNanos(), TimeUnit.NANOSECONDS);
      String out = ChildProcesses.lastLine(said);
      if (!ended || p.exitValue() != 0) {
        throw Errors.failure(
            "the engine's warm-up before the cold level "
                + (ended
                    ? "failed (" + out + ")"
                    : "did not end within " + Durations.format(bound) + " (last said: " + out + ")")
                + ": the engine should serve every stream; see its output");
      }
      java.util.regex.Matcher m = RESPONSES.matcher(out);
      if (!m.matches()) {
        throw Errors.failure(
            "the engine's warm-up before the cold level ended without saying what it read ("
                + out
                + ")");
      }
      return Long.parseLong(m.group(1));
    } catch (IOException e) {
      throw Errors.failure(
          "cannot run the engine's warm-up before the cold level ("
              + Errors.oneLine(e.getMessage())
              + ")");
    } finally {
      if (p != null) {
        ChildProcesses.kill(p);
      }
      if (said != null) {
        try {
          java.nio.file.Files.deleteIfExists(said);
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    }
  }

  /** What the cold level's client did before it was measured, or null. */
  private LoadRunner.WarmUp coldWarmUp;

  /** Streams of the unmeasured warm-up level: no more than the largest measured level. */
  int warmupStreams() {
    return Math.min(warmupStreams, streams.stream().mapToInt(Integer::intValue).max().orElse(0));
  }

  private void warmUp(BenchSimProcess sim, int n) throws InterruptedException {
    LoadSpec load =
        LoadSpec.builder(URI.create(sim.baseUrl()), Endpoint.CHAT)
            .model("sim-model")
            .prompt(PROMPT)
            .maxTokens(tokens)
            .concurrency(n)
            .requests(n * WARMUP_ROUNDS)
            .timeouts(TIMEOUTS)
            .build();
    LoadRunner.create(load, RunClock.startNow()).run(null);
  }

  /**
   * One level of inferscope's client: with the bench's settings, or for the cold level with the
   * load's defaults (only what every load must name is given).
   */
  private BenchLevel runProbe(BenchSimProcess sim, int n, BenchLevel.Kind kind)
      throws InterruptedException {
    LoadSpec load = probeLoad(URI.create(sim.baseUrl()), n, tokens, levelDuration);
    if (kind == BenchLevel.Kind.COLD) {
      // As `run` does, before what it measures (once per process: the first level only).
      coldWarmUp = LoadRunner.warmUp(load, () -> false);
    }
    LoadRunner runner = LoadRunner.create(load, RunClock.startNow());
    var traces = new java.util.concurrent.atomic.AtomicReference<List<RequestTrace>>();
    BenchLevel.Costs costs = measure(sim, () -> traces.set(runner.run(null).traces()));
    return BenchLevel.of(n, kind, traces.get(), costs);
  }

  /**
   * What inferscope's client sends at each level, and the engine's warm-up before the cold level in
   * a process of its own ({@link EngineWarmUp}): the same requests, so the warm-up exercises the
   * engine's paths that the levels do.
   */
  static LoadSpec probeLoad(URI baseUrl, int streams, int tokens, Duration duration) {
    return LoadSpec.builder(baseUrl, Endpoint.CHAT)
        .model("sim-model")
        .prompt(PROMPT)
        .maxTokens(tokens)
        .concurrency(streams)
        .duration(duration)
        .timeouts(TIMEOUTS)
        .build();
  }

  private BenchLevel runTrivial(BenchSimProcess sim, int n) throws InterruptedException {
    URI baseUrl = URI.create(sim.baseUrl());
    var read = new java.util.concurrent.atomic.AtomicReference<TrivialClient.Result>();
    BenchLevel.Costs costs =
        measure(
            sim,
            () -> {
              try {
                read.set(TrivialClient.run(baseUrl, n, tokens, PROMPT, levelDuration));
              } catch (IOException e) {
                throw Errors.failure(
                    "the trivial client failed at "
                        + n
                        + " streams ("
                        + Errors.oneLine(e.getMessage())
                        + "): the engine should serve every stream; see its output");
              }
            });
    return BenchLevel.trivial(n, costs, read.get());
  }

  private interface Level {
    void run() throws InterruptedException;
  }

  /** Runs one level and measures what it cost the engine and this process. */
  private static BenchLevel.Costs measure(BenchSimProcess sim, Level level)
      throws InterruptedException {
    sim.takeSchedule(); // ends the window of whatever ran before
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Long engineCpuBefore = sim.cpuNanos();
    Long cpuBefore = processCpuNanos();
    // As the engine counts its own (jit_ms): one definition for both columns.
    Long jitBefore = ScheduleReport.jitMillisSoFar();
    long wallBefore = System.nanoTime();
    ClientMonitor monitor = ClientMonitor.start();
    ClientOverhead overhead;
    try {
      level.run();
    } finally {
      overhead = monitor.stop();
    }
    long wallNanos = System.nanoTime() - wallBefore;
    Long cpuAfter = processCpuNanos();
    Long jitAfter = ScheduleReport.jitMillisSoFar();
    Long engineCpuAfter = sim.cpuNanos();
    ScheduleReport lateness = sim.takeSchedule();
    long heapUsed = memory.getHeapMemoryUsage().getUsed();
    return new BenchLevel.Costs(
        lateness,
        wallNanos,
        cpuBefore == null || cpuAfter == null ? null : cpuAfter - cpuBefore,
        overhead,
        engineCpuBefore == null || engineCpuAfter == null
            ? null
            : 100.0 * (engineCpuAfter - engineCpuBefore) / wallNanos,
        jitBefore == null || jitAfter == null ? null : jitAfter - jitBefore,
        heapUsed);
  }

  /** This process's CPU time so far, or null when the JVM does not tell. */
  private static Long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : null;
  }

  List<String> simJvmArgs() {
    return engineCores == 0 ? List.of() : List.of("-XX:ActiveProcessorCount=" + engineCores);
  }

  private String gapText() {
    // Sub-millisecond gaps would be lost by Durations.format.
    return gap.toNanos() % 1_000_000 == 0 ? Durations.format(gap) : gap.toNanos() / 1e6 + "ms";
  }

  private void printHeader(PrintWriter out, List<String> simArgs, boolean ownSession) {
    out.println("## inferscope bench fidelity");
    out.println();
    out.println("Machine: " + BenchReport.machine());
    out.println(
        "Command: `inferscope "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs())
            + "`");
    out.println(
        "Engine: simulated, in a separate process (`"
            + (ownSession ? "setsid " : "")
            + String.join(" ", simJvmArgs())
            + (simJvmArgs().isEmpty() ? "" : " ")
            + "inferscope sim "
            + String.join(" ", simArgs)
            + "`), "
            + (engineCores == 0
                ? "unconfined (all processors)"
                : "confined to " + engineCores + " processor(s) by -XX:ActiveProcessorCount")
            + ", "
            + (ownSession
                ? "in a session of its own (on Linux its own scheduler autogroup, as an engine"
                    + " started apart)."
                : "in the bench's session: setsid is absent, so on Linux engine and client share"
                    + " one scheduler autogroup, unlike an engine started apart."));
    out.println(
        "Schedule: per level, that many concurrent streams for "
            + Durations.format(levelDuration)
            + " (closed loop: each stream sends its next request when the last ended), "
            + tokens
            + " tokens at "
            + gapText()
            + " gaps after "
            + Durations.format(TTFT)
            + " TTFT"
            + (clients == Clients.BOTH ? "; the trivial client's row first at each level" : "")
            + (coldStreams > 0
                ? "; first of all one level of "
                    + coldStreams
                    + " streams in the client's default settings, before any warm-up of the"
                    + " client (the engine was first warmed by as many streams of inferscope's client"
                    + " in a process of its own, unmeasured, until its JIT settled or for at most "
                    + MAX_ENGINE_WARM_UP_ROUNDS
                    + " rounds of a level's time)"
                : "")
            + (warmupStreams() > 0 && clients != Clients.TRIVIAL
                ? "; then one unmeasured warm-up level of " + warmupStreams() + " streams."
                : "."));
    out.println(
        "Engine late: write time − due time (arrival + TTFT + gaps) of every event the engine"
            + " wrote in the level, from its own account. ITL error: |client arrival gap − engine"
            + " send-stamp gap| of successive text events. Engine TTFT: from the request's last"
            + " byte read to the send stamp of its first text event, the engine's own; the"
            + " client's TTFT adds the request's way in and that event's way out. Client CPU"
            + " µs/event: this process's CPU time / events the engine wrote. Engine JIT: how long"
            + " the engine's JIT compilers worked in the level (a JVM still warming up). Client"
            + " JIT: the same for this process (what its warm-up left to compile).");
    out.println();
    out.flush();
  }

  /** {@code --client}'s values as typed, for its help. */
  static final class ClientNames extends io.inferscope.cli.EnumNames<Clients> {
    ClientNames() {
      super(Clients.class);
    }
  }
}
