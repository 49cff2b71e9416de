package io.inferscope.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plain-words findings drawn from a run's data only (the host's CPU count among its recorded facts,
 * since a saved run may be read on another machine). Each fires only when the data shows it:
 *
 * <ul>
 *   <li>{@code gpu_not_bottleneck}: whole-run GPU SM mean under {@value #GPU_SM_LOW_PERCENT} %
 *       while TTFT p99 is over 1 s;
 *   <li>{@code queueing}: TTFT p99 over {@value #QUEUE_RATIO} times p50, over at least {@value
 *       #MIN_TAIL_REQUESTS} requests (fewer make p99 just the slowest one);
 *   <li>{@code engine_cpu_saturated}: a process-tree CPU interval at {@value #SATURATED_FRACTION}
 *       of all the host's cores or more;
 *   <li>{@code gpus_idle}: devices' mean SM use over the measured window differs by {@value
 *       GpuMetrics#IMBALANCE_POINTS} points or more, or an idle one beside a busy one ({@link
 *       GpuMetrics.Imbalance});
 *   <li>{@code requests_failed}: completeness under 100 %, naming the commonest failure code (or
 *       the first {@value #FAILURE_CODES_SHOWN} codes when none leads);
 *   <li>{@code requests_shed}: the server refused requests for load (HTTP 429 or 503);
 *   <li>{@code engine_wrapper}: the engine PID looks like a wrapper ({@link WrapperCheck});
 *   <li>{@code token_accounting}: the server's usage count differs from the text chunks;
 *   <li>{@code client_cpu_saturated}: inferscope's own CPU at {@value #CLIENT_CPU_FRACTION} of the
 *       client host's cores or more;
 *   <li>{@code client_gc_pause}: a GC pause of the client over {@value #CLIENT_GC_PAUSE_NANOS} ns;
 *   <li>{@code client_scheduling_lag}: a client thread woke over {@value
 *       #CLIENT_SCHEDULING_LAG_NANOS} ns late;
 *   <li>{@code shard_failed}, {@code shard_missing}: a merged shard cut short, with no completed
 *       request, or not given (ADR 0019);
 *   <li>{@code shard_late_start}: a shard's measured load started over {@value #SHARD_LATE_NANOS}
 *       ns after the agreed {@code --start-at};
 *   <li>{@code clock_disagreement}: merged runs of one host whose wall clocks disagreed by over
 *       {@value #CLOCK_SPREAD_NANOS} ns;
 *   <li>{@code shard}: this run is one shard of a load; {@code clock_alignment}: a merged run's
 *       shards ran on several hosts, whose clock offset is not measured.
 * </ul>
 *
 * Warnings come first, then the rest, each group in the order above.
 */
public final class Findings {

  static final double GPU_SM_LOW_PERCENT = 30;
  static final double TTFT_SLOW_NANOS = 1e9;
  static final double QUEUE_RATIO = 5;

  /** TTFT this many times the server's own prompt time means requests mostly waited. */
  static final double WAIT_RATIO = 5;

  /**
   * ...and by at least this much: a round trip to a distant server is tens of milliseconds, and
   * network and parsing are not queueing.
   */
  static final double WAIT_MIN_NANOS = 50e6;

  static final int MIN_TAIL_REQUESTS = 10;
  static final double SATURATED_FRACTION = 0.95;
  static final int FAILURE_CODES_SHOWN = 3;
  static final double CLIENT_CPU_FRACTION = 0.8;

  /**
   * The shortest run whose client CPU share is judged: over less, the JVM's own start-up work
   * (class loading, the JIT compiling the hot path) is most of it, not the load.
   */
  static final long CLIENT_CPU_MIN_RUN_NANOS = 1_000_000_000L;

  static final long CLIENT_GC_PAUSE_NANOS = 1_000_000;
  static final long CLIENT_SCHEDULING_LAG_NANOS = 5_000_000;

  /** A shard starting this much after the others did not run beside them for that long. */
  static final long SHARD_LATE_NANOS = 1_000_000_000L;

  /** Wall clocks of one host disagreeing by more than this move merged times by as much. */
  static final long CLOCK_SPREAD_NANOS = 1_000_000L;

  private Findings() {}

  /**
   * The run's findings from figures already derived from it ({@link RunAnalysis} derives them
   * once). Pure. The engine saturation finding needs {@link RunFacts#hostCpus} (the host the run
   * sampled, not the one reading a saved run) and is skipped without it.
   */
  public static List<Finding> of(
      RunResult run,
      RunMetrics m,
      Correlation correlation,
      HardwareFigures hardware,
      EngineView engine) {
    List<Finding> out = new ArrayList<>();
    shardFindings(run.facts(), out);
    engineFindings(engine, run.facts().shard(), out);
    gpuNotBottleneck(m, correlation).ifPresent(out::add);
    queueing(m).ifPresent(out::add);
    waiting(m).ifPresent(out::add);
    cpuSaturated(hardware.processTree(), run.facts().hostCpus()).ifPresent(out::add);
    gpusIdle(hardware).ifPresent(out::add);
    failed(m).ifPresent(out::add);
    shed(run).ifPresent(out::add);
    if (hardware.wrapperWarning() != null) {
      out.add(new Finding("engine_wrapper", Finding.Severity.INFO, hardware.wrapperWarning()));
    }
    tokenAccounting(m).ifPresent(out::add);
    ClientOverhead client = run.client();
    if (client != null) {
      clientCpu(client, run.endNanos()).ifPresent(out::add);
      clientGcPause(client).ifPresent(out::add);
      clientSchedulingLag(client).ifPresent(out::add);
    }
    // stable: keeps the order above within each severity
    out.sort(Comparator.comparing(Finding::severity).reversed());
    return List.copyOf(out);
  }

  /** TTFT following the engine's queue by at least this Pearson r is worth saying. */
  static final double TTFT_FOLLOWS_WAITING_R = 0.7;

  /** A shard's and a merged run's own facts: failed, missing and late shards, and the clocks. */
  private static void shardFindings(RunFacts facts, List<Finding> out) {
    RunFacts.Shard shard = facts.shard();
    if (shard != null) {
      lateStart("this shard", shard).ifPresent(out::add);
      if (shard.count() > 1) {
        out.add(
            new Finding(
                "shard",
                Finding.Severity.INFO,
                "this run is shard "
                    + shard.label()
                    + " of a load: its figures are of its share alone; inferscope merge puts the"
                    + " shards' files together"));
      }
    }
    RunFacts.Merge merge = facts.merge();
    if (merge == null) {
      return;
    }
    for (RunFacts.MergedInput in : merge.inputs()) {
      String name = in.shardIndex() + "/" + merge.shardCount() + " (" + in.file() + ")";
      if (in.status() == RunFacts.InputStatus.PARTIAL
          || in.status() == RunFacts.InputStatus.FAILED) {
        out.add(
            new Finding(
                "shard_failed",
                Finding.Severity.WARNING,
                "shard "
                    + name
                    + (in.status() == RunFacts.InputStatus.PARTIAL ? " was " : " failed: ")
                    + in.statusDetail()
                    + "; its "
                    + in.requests()
                    + " measured requests are in these figures, "
                    + in.ok()
                    + " completed"));
      }
      if (in.shard() != null) {
        lateStart("shard " + name, in.shard()).ifPresent(out::add);
      }
    }
    for (int missing : merge.missingShards()) {
      out.add(
          new Finding(
              "shard_missing",
              Finding.Severity.WARNING,
              "shard "
                  + missing
                  + "/"
                  + merge.shardCount()
                  + " missing: no file given holds it, so its share of the load is not in these"
                  + " figures"));
    }
    for (RunFacts.ClockGroup g : merge.clockGroups()) {
      if (g.inputs().size() > 1 && g.spreadNanos() > CLOCK_SPREAD_NANOS) {
        out.add(
            new Finding(
                "clock_disagreement",
                Finding.Severity.WARNING,
                String.format(
                    Locale.ROOT,
                    "the wall clock of one host moved by %.1f ms between its shards' starts (a"
                        + " step or slew): their times are misaligned by up to as much",
                    g.spreadNanos() / 1e6)));
      }
    }
    if (merge.severalClocks()) {
      out.add(
          new Finding(
              "clock_alignment",
              Finding.Severity.INFO,
              "the inputs ran on "
                  + merge.clockGroups().size()
                  + " hosts (or boots): their times are aligned by wall clock, and the offset"
                  + " between those hosts' clocks (NTP's), not measured, is in every time compared"
                  + " across them"));
    }
  }

  private static Optional<Finding> lateStart(String who, RunFacts.Shard shard) {
    Long late = shard.startLateNanos();
    if (late == null || late <= SHARD_LATE_NANOS) {
      return Optional.empty();
    }
    return warning(
        "shard_late_start",
        "%s started its measured load %.1f s after the agreed --start-at %s: it did not run"
            + " beside the other shards for that long",
        who,
        late / 1e9,
        shard.startAt());
  }

  /** What the engine's own metrics say, in plain words. */
  private static void engineFindings(EngineView e, RunFacts.Shard shard, List<Finding> out) {
    if (e.otherTraffic()) {
      out.add(
          new Finding(
              "engine_other_traffic",
              Finding.Severity.WARNING,
              "the engine generated "
                  + e.generationTokens()
                  + " tokens during the run but the client received "
                  + e.clientOutputTokens()
                  + (shard != null && shard.count() > 1
                      ? ": the other shards' traffic (this is shard "
                          + shard.label()
                          + ") and any other reached the engine, and their load is in these"
                          + " figures"
                      : ": other traffic reached the engine, and its load is in these figures")));
    }
    if (e.kvUsageMax() != null
        && e.kvUsageMax() >= 0.99
        && e.preemptions() != null
        && e.preemptions() > 0) {
      out.add(
          new Finding(
              "engine_kv_full",
              Finding.Severity.WARNING,
              "KV cache reached "
                  + Math.round(e.kvUsageMax() * 100)
                  + " % and "
                  + e.preemptions()
                  + " requests were preempted: fewer concurrent requests, shorter contexts or"
                  + " more KV memory"));
    }
    if (e.ttftWaitingCorrelation() != null
        && e.ttftWaitingCorrelation() >= TTFT_FOLLOWS_WAITING_R
        && e.waitingMax() != null
        && e.waitingMax() > 0) {
      out.add(
          new Finding(
              "engine_queue",
              Finding.Severity.WARNING,
              String.format(
                  java.util.Locale.ROOT,
                  "TTFT follows the engine's waiting queue (r=%.2f, up to %d waiting): requests"
                      + " queue; add capacity, not faster prefill",
                  e.ttftWaitingCorrelation(),
                  Math.round(e.waitingMax()))));
    }
    if (e.prefixHitRatio() != null) {
      out.add(
          new Finding(
              "engine_prefix_cache",
              Finding.Severity.INFO,
              String.format(
                  java.util.Locale.ROOT,
                  "prefix cache hit %.0f %% of prompt tokens",
                  e.prefixHitRatio() * 100)));
    }
    if (e.counterResets() > 0) {
      out.add(
          new Finding(
              "engine_counter_reset",
              Finding.Severity.WARNING,
              "the engine's counters fell "
                  + e.counterResets()
                  + " times during the run: it restarted; its totals count from each restart"));
    }
  }

  private static Optional<Finding> gpuNotBottleneck(RunMetrics m, Correlation c) {
    Double sm = c.wholeRun().gpuSmPercent();
    Summary ttft = m.ttftNanos();
    if (sm == null || ttft == null || sm >= GPU_SM_LOW_PERCENT || ttft.p99() <= TTFT_SLOW_NANOS) {
      return Optional.empty();
    }
    return warning(
        "gpu_not_bottleneck",
        "GPU SM mean %.0f %% while TTFT p99 is %.1f s: the bottleneck is not the GPU",
        sm,
        ttft.p99() / 1e9);
  }

  private static Optional<Finding> queueing(RunMetrics m) {
    Summary ttft = m.ttftNanos();
    if (ttft == null
        || ttft.count() < MIN_TAIL_REQUESTS
        || ttft.p50() <= 0
        || ttft.p99() <= QUEUE_RATIO * ttft.p50()) {
      return Optional.empty();
    }
    return warning(
        "queueing",
        "TTFT p99 is %.1f× p50 (%.1f ms vs %.1f ms): requests queue in the server",
        ttft.p99() / ttft.p50(),
        ttft.p99() / 1e6,
        ttft.p50() / 1e6);
  }

  /**
   * TTFT against the server's own prompt time (llama.cpp's {@code timings.prompt_ms}): when TTFT is
   * many times longer, the request spent its wait somewhere other than prefill, typically queued
   * for a slot. Uniform queueing never shows in the p99/p50 ratio {@link #queueing} checks.
   */
  private static Optional<Finding> waiting(RunMetrics m) {
    Summary ttft = m.ttftNanos();
    Summary prompt = m.serverPromptMillis();
    if (ttft == null || prompt == null) {
      return Optional.empty();
    }
    double promptNanos = prompt.p50() * 1e6;
    if (ttft.p50() < WAIT_RATIO * promptNanos || ttft.p50() - promptNanos < WAIT_MIN_NANOS) {
      return Optional.empty();
    }
    Summary headers = m.headersNanos();
    Summary afterHeaders = m.headersToFirstTextNanos();
    String split =
        headers == null || afterHeaders == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; %.1f ms to the response headers, %.1f ms from them to the first token",
                headers.p50() / 1e6,
                afterHeaders.p50() / 1e6);
    return warning(
        "waiting",
        "TTFT p50 %.1f ms against the server's own prompt time p50 %.1f ms: requests spent most of"
            + " it waiting (queued for a slot, or on the way), not in prefill%s",
        ttft.p50() / 1e6,
        prompt.p50(),
        split);
  }

  private static Optional<Finding> cpuSaturated(ProcessTreeMetrics tree, Integer hostCpus) {
    if (tree == null || tree.cpuPercent() == null || hostCpus == null || hostCpus <= 0) {
      return Optional.empty();
    }
    double peak = tree.cpuPercent().max();
    if (peak < SATURATED_FRACTION * 100 * hostCpus) {
      return Optional.empty();
    }
    return warning(
        "engine_cpu_saturated",
        "engine used all %d cores (process tree CPU peak %.0f %% of one core)",
        hostCpus,
        peak);
  }

  /** Over the measured window only: a sample-only run has no load to judge the split by. */
  private static Optional<Finding> gpusIdle(HardwareFigures hardware) {
    GpuMetrics g = hardware.gpu();
    if (g == null || !hardware.gpuWindowMeasured() || g.imbalance() == null) {
      return Optional.empty();
    }
    return Optional.of(new Finding("gpus_idle", Finding.Severity.WARNING, g.imbalance().message()));
  }

  private static Optional<Finding> failed(RunMetrics m) {
    int notOk = m.requests() - m.ok();
    if (notOk == 0) {
      return Optional.empty();
    }
    return warning(
        "requests_failed",
        "%d of %d requests %s (%s)",
        notOk,
        m.requests(),
        m.cancelled() > 0 ? "failed or were cancelled" : "failed",
        byCode(m.failuresByCode()));
  }

  /** "most common: x, N" when one code leads; else the first few codes by count, then by name. */
  static String byCode(Map<String, Integer> counts) {
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Map.Entry.<String, Integer>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    if (sorted.size() == 1 || sorted.get(0).getValue() > sorted.get(1).getValue()) {
      return "most common: " + sorted.get(0).getKey() + ", " + sorted.get(0).getValue();
    }
    StringBuilder b = new StringBuilder("by code: ");
    int shown = Math.min(FAILURE_CODES_SHOWN, sorted.size());
    for (int i = 0; i < shown; i++) {
      b.append(i == 0 ? "" : ", ")
          .append(sorted.get(i).getKey())
          .append(' ')
          .append(sorted.get(i).getValue());
    }
    if (sorted.size() > shown) {
      b.append(", ").append(sorted.size() - shown).append(" more");
    }
    return b.toString();
  }

  private static Optional<Finding> shed(RunResult run) {
    int shed = 0;
    TreeSet<Integer> statuses = new TreeSet<>();
    for (RequestTrace t : run.traces()) {
      if (!t.warmup() && t.failure() instanceof Failure.Shed s) {
        shed++;
        statuses.add(s.status());
      }
    }
    if (shed == 0) {
      return Optional.empty();
    }
    StringBuilder codes = new StringBuilder();
    for (int s : statuses) {
      codes.append(codes.isEmpty() ? "" : "/").append(s);
    }
    return warning(
        "requests_shed",
        "the server shed %d %s (HTTP %s): capacity reached",
        shed,
        shed == 1 ? "request" : "requests",
        codes);
  }

  private static Optional<Finding> tokenAccounting(RunMetrics m) {
    if (m.usageChunkMismatches() == 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Finding(
            "token_accounting",
            Finding.Severity.INFO,
            String.format(
                Locale.ROOT,
                "usage differs from text chunks on %d of %d requests: chunk ITL is per chunk,"
                    + " TPOT per token",
                m.usageChunkMismatches(),
                m.requestsWithUsage())));
  }

  private static Optional<Finding> clientCpu(ClientOverhead c, long runNanos) {
    Integer cpus = c.availableProcessors();
    if (runNanos < CLIENT_CPU_MIN_RUN_NANOS
        || c.cpuPercent() == null
        || cpus == null
        || cpus <= 0
        || c.cpuPercent() < CLIENT_CPU_FRACTION * 100 * cpus) {
      return Optional.empty();
    }
    return warning(
        "client_cpu_saturated",
        "client CPU %.0f %% of the host: inferscope itself may distort timings",
        c.cpuPercent() / cpus);
  }

  private static Optional<Finding> clientGcPause(ClientOverhead c) {
    if (c.gcPauseMaxNanos() == null || c.gcPauseMaxNanos() <= CLIENT_GC_PAUSE_NANOS) {
      return Optional.empty();
    }
    return warning(
        "client_gc_pause",
        "GC paused the client for up to %.1f ms during the run: timings may carry that delay;"
            + " run the client with ZGC (INFERSCOPE_JAVA_OPTS=-XX:+UseZGC)",
        c.gcPauseMaxNanos() / 1e6);
  }

  private static Optional<Finding> clientSchedulingLag(ClientOverhead c) {
    if (c.schedulingLagMaxNanos() == null
        || c.schedulingLagMaxNanos() <= CLIENT_SCHEDULING_LAG_NANOS) {
      return Optional.empty();
    }
    return warning(
        "client_scheduling_lag",
        "a client thread woke up to %.1f ms late: the client was starved of CPU",
        c.schedulingLagMaxNanos() / 1e6);
  }

  private static Optional<Finding> warning(String code, String format, Object... args) {
    return Optional.of(
        new Finding(code, Finding.Severity.WARNING, String.format(Locale.ROOT, format, args)));
  }
}
