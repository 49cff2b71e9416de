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
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inferscope bench fidelity}: shows that the client's timings are the engine's. Drives the
 * simulated engine, run as a separate process that stamps each event with its send time on the
 * shared monotonic clock, at rising stream counts; prints observation delay, chunk-gap error
 * against the schedule, and the client's own CPU and heap per level. It runs under ZGC whatever its
 * levels ({@link JvmChoice.ManyStreams}): the default goes to 2048 streams, and levels measured
 * under one collector compare.
 */
@Command(
    name = "fidelity",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Measures how late the client observes events the simulated engine stamped at send time,"
          + " and how far measured token gaps stray from the schedule, at rising stream counts."
          + " Prints a Markdown table."
    })
final class BenchFidelityCommand implements Callable<Integer>, JvmChoice.ManyStreams {
  static final Duration TTFT = Duration.ofMillis(20);

  /** What every request asks; the simulated engine answers on its schedule whatever it is. */
  static final String PROMPT =
      "Write a detailed story about a lighthouse keeper who finds a message in a bottle.";

  // Tight enough that a stuck level ends the bench in minutes, not the 15 minutes of a real run.
  private static final Timeouts TIMEOUTS =
      Timeouts.defaults()
          .withConnect(Duration.ofSeconds(10))
          .withFirstByte(Duration.ofSeconds(60))
          .withIdle(Duration.ofSeconds(30))
          .withTotal(Duration.ofSeconds(180))
          .withDrain(Duration.ofSeconds(5));

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
      names = "--warmup-streams",
      defaultValue = "256",
      description =
          "Streams of one unmeasured level run first, so the JIT has compiled the hot path before"
              + " any level is measured; capped at the largest level, 0 for none (default:"
              + " ${DEFAULT-VALUE}).")
  int warmupStreams;

  @Option(
      completionCandidates = io.inferscope.cli.EnumNames.StreamThreads.class,
      names = "--stream-threads",
      defaultValue = "platform",
      description =
          "Threads that read the streams: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LoadSpec.StreamThreads streamThreads;

  @Option(
      names = "--engine-cores",
      defaultValue = "1",
      description =
          "Processors the simulated engine's JVM may use (-XX:ActiveProcessorCount), 0 for all:"
              + " on a small host this keeps the rest for the client, as an engine on its own"
              + " accelerator would (default: ${DEFAULT-VALUE}).")
  int engineCores;

  @Option(
      names = "--rounds",
      defaultValue = "1",
      description =
          "Requests each stream sends one after another in a level: more rounds make a level"
              + " longer, so its start (connections opening, streams starting) weighs less"
              + " (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws InterruptedException {
    for (int s : streams) {
      if (s < 1) {
        throw Errors.usage("--streams values must be at least 1, got " + s);
      }
    }
    if (rounds < 1) {
      throw Errors.usage("--rounds must be at least 1, got " + rounds);
    }
    if (engineCores < 0) {
      throw Errors.usage("--engine-cores must be 0 (all) or more, got " + engineCores);
    }
    if (warmupStreams < 0) {
      throw Errors.usage("--warmup-streams must be 0 or more, got " + warmupStreams);
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
      printHeader(out, simArgs);
      BenchReport.header(out);
      int warm = warmupStreams();
      if (warm > 0) {
        runLevel(sim, warm);
      }
      List<BenchLevel> levels = new ArrayList<>();
      for (int n : streams) {
        BenchLevel level = runLevel(sim, n);
        levels.add(level);
        BenchReport.row(out, level);
      }
      BenchReport.targets(out, levels);
    }
    return ExitCodes.OK;
  }

  /** Streams of the unmeasured warm-up level: no more than the largest measured level. */
  int warmupStreams() {
    return Math.min(warmupStreams, streams.stream().mapToInt(Integer::intValue).max().orElse(0));
  }

  private BenchLevel runLevel(BenchSimProcess sim, int n) throws InterruptedException {
    URI baseUrl = URI.create(sim.baseUrl());
    LoadSpec load =
        LoadSpec.builder(baseUrl, Endpoint.CHAT)
            .model("sim-model")
            .prompt(PROMPT)
            .maxTokens(tokens)
            .concurrency(n)
            .requests(n * rounds)
            .timeouts(TIMEOUTS)
            .streamThreads(streamThreads)
            .build();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Long engineCpuBefore = sim.cpuNanos();
    long wallBefore = System.nanoTime();
    ClientMonitor monitor = ClientMonitor.start();
    ClientOverhead overhead;
    List<RequestTrace> traces;
    try {
      traces = LoadRunner.create(load, RunClock.startNow()).run(null).traces();
    } finally {
      overhead = monitor.stop();
    }
    long wallNanos = System.nanoTime() - wallBefore;
    Long engineCpuAfter = sim.cpuNanos();
    long heapUsed = memory.getHeapMemoryUsage().getUsed();
    return BenchLevel.of(
        n,
        traces,
        gap.toNanos(),
        overhead,
        engineCpuBefore == null || engineCpuAfter == null
            ? null
            : 100.0 * (engineCpuAfter - engineCpuBefore) / wallNanos,
        heapUsed);
  }

  List<String> simJvmArgs() {
    return engineCores == 0 ? List.of() : List.of("-XX:ActiveProcessorCount=" + engineCores);
  }

  private String gapText() {
    // Sub-millisecond gaps would be lost by Durations.format.
    return gap.toNanos() % 1_000_000 == 0 ? Durations.format(gap) : gap.toNanos() / 1e6 + "ms";
  }

  private void printHeader(PrintWriter out, List<String> simArgs) {
    out.println("## inferscope bench fidelity");
    out.println();
    out.println("Machine: " + BenchReport.machine());
    out.println(
        "Command: `inferscope "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs())
            + "`");
    out.println(
        "Schedule: simulated engine in a separate process (`"
            + String.join(" ", simJvmArgs())
            + (simJvmArgs().isEmpty() ? "" : " ")
            + "inferscope sim "
            + String.join(" ", simArgs)
            + "`); per level, that many concurrent streams, "
            + (rounds == 1 ? "one request each" : rounds + " requests each, one after another")
            + ", "
            + tokens
            + " tokens at "
            + gapText()
            + " gaps after "
            + Durations.format(TTFT)
            + " TTFT; "
            + streamThreads.name().toLowerCase(java.util.Locale.ROOT)
            + " stream threads; one unmeasured warm-up level of "
            + warmupStreams()
            + " streams first.");
    out.println();
    out.flush();
  }
}
