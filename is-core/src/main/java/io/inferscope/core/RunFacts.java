package io.inferscope.core;

import java.time.Instant;
import java.util.List;

/**
 * What the run learnt about its surroundings while it ran, as typed facts (the load settings as
 * given stay in {@link RunMeta#settings}). Each fact is null when the run did not record it: a run
 * saved by an older version, or a fact that did not apply.
 *
 * @param hostCpus logical CPUs of the host inferscope ran on (the engine's host when it sampled a
 *     local engine); a saved run may be reported on another machine, so this is kept, not asked
 * @param connectionReuse whether requests reused kept-alive connections; null when no request was
 *     sent
 * @param engineProcess which process was sampled as the engine and how it was found, or why none
 * @param workload where the requests' prompts came from and how their tokens were counted
 * @param host the host the run ran on and how its clock's origin was read, or null (a run saved
 *     before it was recorded)
 * @param shard this run as one shard of a load split over several processes ({@code run --shard}),
 *     or null
 * @param merge how this run was merged from several shards' files ({@code inferscope merge}), or
 *     null
 */
public record RunFacts(
    Integer hostCpus,
    ConnectionReuse connectionReuse,
    EngineProcess engineProcess,
    Workload workload,
    Host host,
    Shard shard,
    Merge merge) {

  private static final RunFacts NONE = new RunFacts(null, null, null, null, null, null, null);

  public RunFacts {
    if (hostCpus != null && hostCpus < 1) {
      throw new IllegalArgumentException("hostCpus must be at least 1: " + hostCpus);
    }
  }

  /** Facts with no workload recorded. */
  public RunFacts(Integer hostCpus, ConnectionReuse connectionReuse, EngineProcess engineProcess) {
    this(hostCpus, connectionReuse, engineProcess, null, null, null, null);
  }

  /** Facts with no host, shard or merge recorded. */
  public RunFacts(
      Integer hostCpus,
      ConnectionReuse connectionReuse,
      EngineProcess engineProcess,
      Workload workload) {
    this(hostCpus, connectionReuse, engineProcess, workload, null, null, null);
  }

  /** A copy with {@code workload}. */
  public RunFacts withWorkload(Workload workload) {
    return new RunFacts(hostCpus, connectionReuse, engineProcess, workload, host, shard, merge);
  }

  /** A copy with {@code host}. */
  public RunFacts withHost(Host host) {
    return new RunFacts(hostCpus, connectionReuse, engineProcess, workload, host, shard, merge);
  }

  /** A copy with {@code shard}. */
  public RunFacts withShard(Shard shard) {
    return new RunFacts(hostCpus, connectionReuse, engineProcess, workload, host, shard, merge);
  }

  /** A copy with {@code merge}. */
  public RunFacts withMerge(Merge merge) {
    return new RunFacts(hostCpus, connectionReuse, engineProcess, workload, host, shard, merge);
  }

  /** No fact recorded. */
  public static RunFacts none() {
    return NONE;
  }

  /** How the run's connections were used. */
  public enum ConnectionReuse {
    /** Kept-alive connections were reused across requests. */
    POOLED,
    /**
     * The engine closed kept-alive connections after its answers, so every request opened its own
     * and every TTFT carries a connect.
     */
    PER_REQUEST
  }

  /**
   * The engine's process as the run chose it: exactly one of the two is set.
   *
   * @param foundBy how it was found, e.g. {@code listening on port 8080 (from --url)} or {@code
   *     --pid}; the pid itself is {@link HardwareSamples#enginePid}
   * @param notSampledReason why no process was sampled, e.g. {@code switched off (--no-process)}
   */
  public record EngineProcess(String foundBy, String notSampledReason) {
    public EngineProcess {
      if ((foundBy == null) == (notSampledReason == null)) {
        throw new IllegalArgumentException("give exactly one of foundBy and notSampledReason");
      }
    }
  }

  /** Where a run's prompts came from. */
  public enum WorkloadSource {
    /** One prompt for every request ({@code --prompt}, {@code --prompt-file}). */
    PROMPT,
    /** A ShareGPT conversations file: first human turn, the answer's length as output target. */
    SHAREGPT,
    /** One request per JSON line: prompt or messages, optional max_tokens and timestamp. */
    JSONL,
    /** Generated prompts of a target input length. */
    SYNTHETIC,
    /** A Mooncake trace: lengths, prefix blocks and arrival times, replayed on its schedule. */
    MOONCAKE
  }

  /** How the workload's input token counts were obtained. */
  public enum TokenCounting {
    /** By the engine's own tokenizer ({@code POST /tokenize}). */
    ENGINE_TOKENIZER,
    /**
     * Estimated, the engine offering no tokenizer: one token per generated word, 4 characters a
     * token for text.
     */
    ESTIMATE
  }

  /**
   * The run's request source, as prepared before load.
   *
   * @param source what the prompts came from
   * @param file the dataset or trace file as given, or null
   * @param items distinct requests the source provides (requests beyond them reuse them in order)
   * @param skippedLines malformed lines skipped ({@code --skip-bad-lines}), or null when none could
   *     be
   * @param tokenCounting how {@code inputTokensMean} was counted, or null when not counted
   * @param inputTokensMean mean planned input tokens per item, as the engine will count them (chat
   *     template included), or null when not counted
   * @param outputTokensMean mean {@code max_tokens} per item, or null when the items set none
   * @param sharedPrefixTokens tokens every prompt starts with, or null for none
   * @param templateTokens tokens the engine adds around a prompt (chat template, BOS), as its
   *     tokenizer counted them, or null when not counted
   */
  public record Workload(
      WorkloadSource source,
      String file,
      int items,
      Integer skippedLines,
      TokenCounting tokenCounting,
      Double inputTokensMean,
      Double outputTokensMean,
      Integer sharedPrefixTokens,
      Integer templateTokens) {
    public Workload {
      if (source == null) {
        throw new IllegalArgumentException("source is required");
      }
      if (items < 1) {
        throw new IllegalArgumentException("a workload has at least one item: " + items);
      }
    }
  }

  /**
   * Where a run ran, and how its clock's origin was read: what a merge needs to put runs of other
   * processes on one clock (ADR 0019).
   *
   * @param name the host's name ({@code /proc/sys/kernel/hostname}; a pod's name in Kubernetes), or
   *     null when it could not be read
   * @param bootId the host kernel's boot id ({@code /proc/sys/kernel/random/boot_id}), or null:
   *     processes with the same one read the same monotonic clock (pods of one node too), which
   *     lets a merge measure how far their wall clocks disagree
   * @param wallReadNanos how long reading the wall clock took at the run clock's origin ({@link
   *     RunClock.Reading})
   */
  public record Host(String name, String bootId, long wallReadNanos) {
    public Host {
      if (wallReadNanos < 0) {
        throw new IllegalArgumentException("wallReadNanos must not be negative: " + wallReadNanos);
      }
    }
  }

  /**
   * One shard of a load split over several processes, each running its share ({@code run --shard
   * INDEX/COUNT}, ADR 0019). Its request ids are its own, from 0; merged, request {@code j} of
   * shard {@code i} becomes {@code j * count + i} ({@link Sharding#globalId}).
   *
   * @param index this shard, from 0 (Kubernetes' {@code JOB_COMPLETION_INDEX})
   * @param count how many shards share the load
   * @param startAt the wall-clock instant agreed for every shard's measured load to start ({@code
   *     --start-at}), or null
   * @param startLateNanos how long after {@code startAt} this shard's measured load started (read
   *     on its run clock from the origin's wall instant), or null without {@code startAt} or when
   *     measured load never started
   */
  public record Shard(int index, int count, Instant startAt, Long startLateNanos) {
    public Shard {
      if (count < 1 || index < 0 || index >= count) {
        throw new IllegalArgumentException(
            "a shard is INDEX/COUNT with 0 <= INDEX < COUNT: " + index + "/" + count);
      }
    }

    /** {@code INDEX/COUNT}, e.g. {@code 1/3}. */
    public String label() {
      return index + "/" + count;
    }
  }

  /** What a merged input turned out to be. */
  public enum InputStatus {
    /** A shard that ran to its end and completed some measured request. */
    OK,
    /** A shard cut short (interrupted, engine lost): it holds part of its share. */
    PARTIAL,
    /** A shard none of whose measured requests completed, or that sent none. */
    FAILED,
    /** A sample-only run (e.g. beside the engine): hardware and engine samples, no requests. */
    SAMPLES
  }

  /**
   * One file given to {@code inferscope merge}.
   *
   * @param file the file as given
   * @param shardIndex its shard index in the merged run, or null for a sample-only input
   * @param shard its own shard facts, or null (a run without {@code --shard}, merged with {@code
   *     --force}, or a sample-only run)
   * @param host where it ran, or null when not recorded
   * @param clock its own run clock
   * @param offsetNanos what was added to each of its times to put them on the merged run's clock:
   *     its wall-clock origin minus the merged run's
   * @param requests its measured requests
   * @param ok those that completed
   * @param status what it turned out to be
   * @param statusDetail why it is not {@link InputStatus#OK}, e.g. {@code interrupted by SIGTERM},
   *     or null
   * @param hadHardware whether it held process-tree or GPU samples
   * @param hadEngineMetrics whether it held reads of the engine's {@code /metrics}
   */
  public record MergedInput(
      String file,
      Integer shardIndex,
      Shard shard,
      Host host,
      RunClock clock,
      long offsetNanos,
      int requests,
      int ok,
      InputStatus status,
      String statusDetail,
      boolean hadHardware,
      boolean hadEngineMetrics) {
    public MergedInput {
      if (file == null || clock == null || status == null) {
        throw new IllegalArgumentException("file, clock and status are required");
      }
    }
  }

  /**
   * Inputs whose processes read one monotonic clock (one boot of one host), and how far their wall
   * clocks disagreed at their origins.
   *
   * @param bootId the boot id they share, or null for one input whose boot id was not recorded
   * @param inputs their positions in {@link Merge#inputs}
   * @param spreadNanos the spread (largest minus smallest) of their origins' wall-clock reading
   *     minus monotonic reading: the wall clock's error between them, which the alignment carries;
   *     null for one input (nothing to compare it with)
   */
  public record ClockGroup(String bootId, List<Integer> inputs, Long spreadNanos) {
    public ClockGroup {
      inputs = List.copyOf(inputs);
    }
  }

  /**
   * How {@code inferscope merge} put several shards' files together into this run (ADR 0019).
   *
   * @param shardCount how many shards the load was split into
   * @param inputs every file given, in the order given
   * @param missingShards shard indices no file gave, in order; empty for none
   * @param clockFrom the input whose run clock this run uses (the one whose origin came first)
   * @param hardwareFrom the input whose process-tree and GPU samples this run holds, or null when
   *     none had any
   * @param engineMetricsFrom the input whose reads of the engine's {@code /metrics} this run holds,
   *     or null when none had any
   * @param clientFrom the input whose client overhead this run shows (the shard whose client was
   *     most delayed), or null when none was measured
   * @param clockGroups the inputs grouped by the monotonic clock they read
   * @param forced the differences between inputs that {@code --force} merged anyway, one line each;
   *     empty for none
   */
  public record Merge(
      int shardCount,
      List<MergedInput> inputs,
      List<Integer> missingShards,
      int clockFrom,
      Integer hardwareFrom,
      Integer engineMetricsFrom,
      Integer clientFrom,
      List<ClockGroup> clockGroups,
      List<String> forced) {
    public Merge {
      inputs = List.copyOf(inputs);
      missingShards = List.copyOf(missingShards);
      clockGroups = List.copyOf(clockGroups);
      forced = List.copyOf(forced);
    }

    /** Whether the inputs ran on more than one host boot, whose wall clocks' offset is unknown. */
    public boolean severalClocks() {
      return clockGroups.size() > 1;
    }
  }
}
