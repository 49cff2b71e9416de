package io.inferscope.core;

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
 */
public record RunFacts(
    Integer hostCpus,
    ConnectionReuse connectionReuse,
    EngineProcess engineProcess,
    Workload workload) {

  private static final RunFacts NONE = new RunFacts(null, null, null, null);

  public RunFacts {
    if (hostCpus != null && hostCpus < 1) {
      throw new IllegalArgumentException("hostCpus must be at least 1: " + hostCpus);
    }
  }

  /** Facts with no workload recorded. */
  public RunFacts(Integer hostCpus, ConnectionReuse connectionReuse, EngineProcess engineProcess) {
    this(hostCpus, connectionReuse, engineProcess, null);
  }

  /** A copy with {@code workload}. */
  public RunFacts withWorkload(Workload workload) {
    return new RunFacts(hostCpus, connectionReuse, engineProcess, workload);
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
}
