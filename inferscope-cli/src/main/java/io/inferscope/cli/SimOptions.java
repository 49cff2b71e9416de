package io.inferscope.cli;

import io.inferscope.sim.SimConfig;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Behaviour of the simulated engine, as options. */
final class SimOptions {
  @Option(
      names = "--ttft",
      defaultValue = "50ms",
      converter = Durations.class,
      description = "Time to first token (default: ${DEFAULT-VALUE}).")
  Duration ttft;

  @Option(
      names = "--itl",
      defaultValue = "10ms",
      converter = Durations.class,
      description = "Gap between tokens (default: ${DEFAULT-VALUE}).")
  Duration interTokenGap;

  @Option(
      names = "--jitter",
      defaultValue = "0ms",
      converter = Durations.NonNegative.class,
      description =
          "Largest random deviation of each gap; none under --slots, --prefill-per-token or"
              + " --step-growth (default: ${DEFAULT-VALUE}).")
  Duration jitter;

  @Option(
      names = "--output-tokens",
      defaultValue = "64",
      description =
          "Tokens per response when max_tokens does not cap it (default: ${DEFAULT-VALUE}).")
  int outputTokens;

  @Option(
      names = "--tokens-per-chunk",
      defaultValue = "1",
      description = "Tokens carried by each chunk (default: ${DEFAULT-VALUE}).")
  int tokensPerChunk;

  @Option(
      names = "--reasoning-tokens",
      defaultValue = "0",
      description = "Leading tokens sent as reasoning_content (default: ${DEFAULT-VALUE}).")
  int reasoningTokens;

  @Option(
      completionCandidates = EnumNames.RoleChunks.class,
      names = "--role-chunk",
      defaultValue = "null_content",
      description = "First role-only chunk: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  SimConfig.RoleChunk roleChunk;

  @Option(names = "--no-usage", description = "Never send a usage chunk.")
  boolean noUsage;

  @Option(
      completionCandidates = EnumNames.Faults.class,
      names = "--fault",
      defaultValue = "none",
      description = "Fault to inject: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  SimConfig.Fault fault;

  @Option(
      names = "--fault-every",
      defaultValue = "0",
      description = "Inject the fault into every n-th request (default: ${DEFAULT-VALUE}, never).")
  int faultEvery;

  @Option(
      names = "--fault-after",
      defaultValue = "0",
      description = "Tokens sent before a mid-stream fault (default: ${DEFAULT-VALUE}).")
  int faultAfterTokens;

  @Option(
      names = "--stamp",
      description = "Stamp every event with the engine's monotonic send time.")
  boolean stamp;

  @Option(
      names = "--slots",
      description =
          "Requests that hold a slot (prefill and decode) at once; the rest wait in arrival order"
              + " (default: no limit, every request runs at once).")
  Integer slots;

  @Option(
      names = "--max-queue",
      description =
          "With --slots: requests that may wait for a slot; one more is refused at once with"
              + " HTTP 503 and Retry-After (default: no limit).")
  Integer maxQueue;

  @Option(
      names = "--prefill-per-token",
      defaultValue = "0ms",
      converter = Durations.NonNegative.class,
      description =
          "Prefill time per prompt token (whitespace-separated word), on top of --ttft"
              + " (default: ${DEFAULT-VALUE}).")
  Duration prefillPerToken;

  @Option(
      names = "--step-growth",
      defaultValue = "0ms",
      converter = Durations.NonNegative.class,
      description =
          "How much longer each decode step (--itl) is for every further request decoding in it"
              + " (default: ${DEFAULT-VALUE}).")
  Duration stepGrowth;

  @Option(
      names = "--metrics-names",
      defaultValue = "llamacpp",
      converter = MetricsNamesConverter.class,
      completionCandidates = MetricsNamesConverter.class,
      description =
          "Series names served at /metrics: ${COMPLETION-CANDIDATES} (llamacpp:* series, or"
              + " vLLM V1's vllm:* series with model_name and engine labels; default:"
              + " ${DEFAULT-VALUE}).")
  SimConfig.MetricsNames metricsNames;

  @Option(
      names = "--kv-tokens",
      defaultValue = "" + SimConfig.DEFAULT_KV_TOKENS,
      description =
          "KV cache capacity in tokens: vllm:kv_cache_usage_perc is the running requests' prompt"
              + " and generated tokens over it (default: ${DEFAULT-VALUE}).")
  int kvTokens;

  @Option(
      names = "--sim-seed",
      defaultValue = "42",
      description = "Seed of jitter and token texts.")
  long seed;

  SimConfig toConfig(String host, int port) {
    if (tokensPerChunk < 1) {
      throw Errors.usage("--tokens-per-chunk must be at least 1, got " + tokensPerChunk);
    }
    if (outputTokens < 1) {
      throw Errors.usage("--output-tokens must be at least 1, got " + outputTokens);
    }
    if (faultEvery < 0 || faultAfterTokens < 0 || reasoningTokens < 0) {
      throw Errors.usage(
          "--fault-every, --fault-after and --reasoning-tokens must not be negative");
    }
    if (fault != SimConfig.Fault.NONE && faultEvery == 0) {
      throw Errors.usage("--fault " + fault + " needs --fault-every N (1 = every request)");
    }
    if (slots != null && slots < 1) {
      throw Errors.usage("--slots must be at least 1, got " + slots);
    }
    if (maxQueue != null && slots == null) {
      throw Errors.usage("--max-queue needs --slots N: without slots no request waits");
    }
    if (maxQueue != null && maxQueue < 0) {
      throw Errors.usage("--max-queue must not be negative, got " + maxQueue);
    }
    if (kvTokens < 1) {
      throw Errors.usage("--kv-tokens must be at least 1, got " + kvTokens);
    }
    return new SimConfig(
        host,
        port,
        ttft,
        interTokenGap,
        jitter,
        seed,
        tokensPerChunk,
        outputTokens,
        reasoningTokens,
        roleChunk,
        !noUsage,
        fault,
        faultEvery,
        faultAfterTokens,
        stamp,
        slots,
        maxQueue,
        prefillPerToken,
        stepGrowth,
        metricsNames,
        kvTokens);
  }

  /**
   * {@code --metrics-names}, by the engines' names as users write them ({@code llamacpp}, not the
   * constant's {@code llama_cpp}); also the values listed in the help.
   */
  static final class MetricsNamesConverter
      implements CommandLine.ITypeConverter<SimConfig.MetricsNames>, Iterable<String> {
    private static final List<String> NAMES = List.of("llamacpp", "vllm");

    @Override
    public SimConfig.MetricsNames convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "llamacpp" -> SimConfig.MetricsNames.LLAMA_CPP;
        case "vllm" -> SimConfig.MetricsNames.VLLM;
        default ->
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a metrics naming: use llamacpp or vllm");
      };
    }

    @Override
    public Iterator<String> iterator() {
      return NAMES.iterator();
    }
  }
}
