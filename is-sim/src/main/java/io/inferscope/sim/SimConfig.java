package io.inferscope.sim;

import java.time.Duration;

/**
 * How the simulated engine behaves. Each request streams {@code min(max_tokens, outputTokens)}
 * tokens (or {@code outputTokens} when the request sets no {@code max_tokens}, exactly {@code
 * max_tokens} with {@code ignore_eos}), the first after {@code ttft}, the rest {@code
 * interTokenGap} apart (each gap varied uniformly by up to {@code jitter}, from a seeded
 * generator), grouped {@code tokensPerChunk} to a chunk. Every request is independent of the
 * others, unless a capacity option is set.
 *
 * <p>With a capacity option ({@link #capacityModel()}), requests share the engine as under
 * continuous batching: at most {@code slots} hold a slot, the rest wait for one in arrival order
 * (at most {@code maxQueue} of them; one more is refused with HTTP 503). A request's prefill runs
 * from getting its slot to its first token and lasts {@code ttft + prefillPerToken × prompt
 * tokens}; then it decodes one token per step of a step clock shared by all decoding requests, each
 * step lasting {@code interTokenGap + stepGrowth × (decoding requests − 1)}, recomputed at every
 * step. A request frees its slot with its last token. The jitter does not apply there.
 *
 * @param host address to bind; loopback by default
 * @param port port to bind, 0 for an ephemeral one
 * @param ttft delay from request arrival to the first text chunk
 * @param interTokenGap delay between tokens
 * @param jitter largest random deviation of each gap, either way (0 for none)
 * @param seed seed of the jitter and of the token texts
 * @param tokensPerChunk tokens carried by each text chunk (vLLM-style batching when above 1)
 * @param outputTokens tokens per response when the request sets no lower {@code max_tokens}
 * @param reasoningTokens leading tokens sent as {@code reasoning_content} rather than content
 * @param roleChunk which role-only first chunk to send, if any
 * @param usage whether to send a final usage chunk when the request asks for one
 * @param fault which fault to inject
 * @param faultEvery inject the fault into every n-th request (1 = all, 0 = never)
 * @param faultAfterTokens for mid-stream faults, tokens sent before the fault
 * @param stampMonotonic add {@code "x_inferscope_sent_ns"} (the engine's {@code System.nanoTime()}
 *     when the event was written) to each event, for observation-delay measurement
 * @param slots requests that may hold a slot (prefill and decode) at once; null for no limit
 * @param maxQueue requests that may wait for a slot; null for no limit. Only with {@code slots}
 * @param prefillPerToken prefill time per prompt token, on top of {@code ttft} (0 for none)
 * @param stepGrowth how much longer a decode step is for each further request decoding in it (0 for
 *     none)
 * @param metricsNames which engine's series {@code /metrics} serves
 * @param kvTokens the KV cache's capacity in tokens, against which {@link MetricsNames#VLLM}'s
 *     {@code vllm:kv_cache_usage_perc} sets the running requests' prompt and generated tokens
 */
public record SimConfig(
    String host,
    int port,
    Duration ttft,
    Duration interTokenGap,
    Duration jitter,
    long seed,
    int tokensPerChunk,
    int outputTokens,
    int reasoningTokens,
    RoleChunk roleChunk,
    boolean usage,
    Fault fault,
    int faultEvery,
    int faultAfterTokens,
    boolean stampMonotonic,
    Integer slots,
    Integer maxQueue,
    Duration prefillPerToken,
    Duration stepGrowth,
    MetricsNames metricsNames,
    int kvTokens) {

  /** The default {@link #kvTokens}: 64k tokens. */
  public static final int DEFAULT_KV_TOKENS = 65_536;

  /** The role-only first chunk of different engines. */
  public enum RoleChunk {
    /** No role chunk (TGI, Ollama). */
    NONE,
    /** {@code "delta":{"role":"assistant","content":null}} (llama.cpp). */
    NULL_CONTENT,
    /** {@code "delta":{"role":"assistant","content":""}} (vLLM). */
    EMPTY_CONTENT
  }

  /**
   * Whose series names {@code /metrics} serves, so that a reader of one engine's metrics can be
   * tried against the simulated engine. The values follow the engine's own state either way.
   */
  public enum MetricsNames {
    /** llama.cpp's {@code llamacpp:*} series, without labels. */
    LLAMA_CPP,
    /**
     * vLLM V1's {@code vllm:*} series, labelled {@code engine="0"} and {@code model_name}, with a
     * time-to-first-token histogram.
     */
    VLLM
  }

  /** Faults the engine can inject. */
  public enum Fault {
    NONE,
    /** Answer HTTP 503 with a JSON error body (load shedding). */
    HTTP_503,
    /** Answer HTTP 500 with a JSON error body. */
    HTTP_500,
    /** After {@code faultAfterTokens} tokens, send {@code data: {"error":{...}}} and end. */
    ERROR_EVENT,
    /** After {@code faultAfterTokens} tokens, close the connection: no finish, no [DONE]. */
    TRUNCATE,
    /** After {@code faultAfterTokens} tokens, send nothing more but keep the connection open. */
    STALL,
    /** After {@code faultAfterTokens} tokens, send a chunk that is not valid JSON, then go on. */
    MALFORMED_JSON
  }

  public SimConfig {
    if (tokensPerChunk < 1) {
      throw new IllegalArgumentException("tokensPerChunk must be at least 1");
    }
    if (outputTokens < 0 || reasoningTokens < 0 || faultEvery < 0 || faultAfterTokens < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (slots != null && slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1");
    }
    if (maxQueue != null && (maxQueue < 0 || slots == null)) {
      throw new IllegalArgumentException("maxQueue must not be negative, and needs slots");
    }
    prefillPerToken = prefillPerToken == null ? Duration.ZERO : prefillPerToken;
    stepGrowth = stepGrowth == null ? Duration.ZERO : stepGrowth;
    if (prefillPerToken.isNegative() || stepGrowth.isNegative()) {
      throw new IllegalArgumentException("prefillPerToken and stepGrowth must not be negative");
    }
    metricsNames = metricsNames == null ? MetricsNames.LLAMA_CPP : metricsNames;
    if (kvTokens < 1) {
      throw new IllegalArgumentException("kvTokens must be at least 1");
    }
  }

  /** Whether a capacity option is set: requests then share slots and a decode step clock. */
  public boolean capacityModel() {
    return slots != null || !prefillPerToken.isZero() || !stepGrowth.isZero();
  }

  /** A llama.cpp-like default: 50 ms TTFT, 10 ms per token, 64 tokens, role and usage chunks. */
  public static SimConfig defaults() {
    return new SimConfig(
        "127.0.0.1",
        0,
        Duration.ofMillis(50),
        Duration.ofMillis(10),
        Duration.ZERO,
        42L,
        1,
        64,
        0,
        RoleChunk.NULL_CONTENT,
        true,
        Fault.NONE,
        0,
        0,
        false,
        null,
        null,
        Duration.ZERO,
        Duration.ZERO,
        MetricsNames.LLAMA_CPP,
        DEFAULT_KV_TOKENS);
  }

  public SimConfig withPort(int port) {
    Copy c = new Copy(this);
    c.port = port;
    return c.build();
  }

  public SimConfig withTiming(Duration ttft, Duration interTokenGap, Duration jitter) {
    Copy c = new Copy(this);
    c.ttft = ttft;
    c.interTokenGap = interTokenGap;
    c.jitter = jitter;
    return c.build();
  }

  public SimConfig withShape(
      RoleChunk roleChunk, int tokensPerChunk, int reasoningTokens, boolean usage) {
    Copy c = new Copy(this);
    c.roleChunk = roleChunk;
    c.tokensPerChunk = tokensPerChunk;
    c.reasoningTokens = reasoningTokens;
    c.usage = usage;
    return c.build();
  }

  public SimConfig withOutputTokens(int outputTokens) {
    Copy c = new Copy(this);
    c.outputTokens = outputTokens;
    return c.build();
  }

  public SimConfig withFault(Fault fault, int faultEvery, int faultAfterTokens) {
    Copy c = new Copy(this);
    c.fault = fault;
    c.faultEvery = faultEvery;
    c.faultAfterTokens = faultAfterTokens;
    return c.build();
  }

  public SimConfig withStampMonotonic(boolean stampMonotonic) {
    Copy c = new Copy(this);
    c.stampMonotonic = stampMonotonic;
    return c.build();
  }

  /**
   * Sets the capacity model: {@code slots} null (with {@code maxQueue} null) and both durations
   * zero give independent requests again.
   */
  public SimConfig withCapacity(
      Integer slots, Integer maxQueue, Duration prefillPerToken, Duration stepGrowth) {
    Copy c = new Copy(this);
    c.slots = slots;
    c.maxQueue = maxQueue;
    c.prefillPerToken = prefillPerToken;
    c.stepGrowth = stepGrowth;
    return c.build();
  }

  /** Serves {@code /metrics} under {@code metricsNames}' series names. */
  public SimConfig withMetricsNames(MetricsNames metricsNames) {
    Copy c = new Copy(this);
    c.metricsNames = metricsNames;
    return c.build();
  }

  /** Sets the KV cache's capacity in tokens, which only vLLM's series report. */
  public SimConfig withKvTokens(int kvTokens) {
    Copy c = new Copy(this);
    c.kvTokens = kvTokens;
    return c.build();
  }

  /** A config's fields, to change some and build another: one place that names them all. */
  private static final class Copy {
    String host;
    int port;
    Duration ttft;
    Duration interTokenGap;
    Duration jitter;
    long seed;
    int tokensPerChunk;
    int outputTokens;
    int reasoningTokens;
    RoleChunk roleChunk;
    boolean usage;
    Fault fault;
    int faultEvery;
    int faultAfterTokens;
    boolean stampMonotonic;
    Integer slots;
    Integer maxQueue;
    Duration prefillPerToken;
    Duration stepGrowth;
    MetricsNames metricsNames;
    int kvTokens;

    Copy(SimConfig c) {
      host = c.host;
      port = c.port;
      ttft = c.ttft;
      interTokenGap = c.interTokenGap;
      jitter = c.jitter;
      seed = c.seed;
      tokensPerChunk = c.tokensPerChunk;
      outputTokens = c.outputTokens;
      reasoningTokens = c.reasoningTokens;
      roleChunk = c.roleChunk;
      usage = c.usage;
      fault = c.fault;
      faultEvery = c.faultEvery;
      faultAfterTokens = c.faultAfterTokens;
      stampMonotonic = c.stampMonotonic;
      slots = c.slots;
      maxQueue = c.maxQueue;
      prefillPerToken = c.prefillPerToken;
      stepGrowth = c.stepGrowth;
      metricsNames = c.metricsNames;
      kvTokens = c.kvTokens;
    }

    SimConfig build() {
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
          usage,
          fault,
          faultEvery,
          faultAfterTokens,
          stampMonotonic,
          slots,
          maxQueue,
          prefillPerToken,
          stepGrowth,
          metricsNames,
          kvTokens);
    }
  }
}
