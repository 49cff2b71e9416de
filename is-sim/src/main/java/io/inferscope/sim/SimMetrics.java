package io.inferscope.sim;

import io.inferscope.sim.SimConfig.MetricsNames;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's counters, served at {@code /metrics} in Prometheus text format 0.0.4 under
 * llama.cpp's series names or vLLM V1's ({@link MetricsNames}).
 *
 * <p>vLLM's series are written as vLLM's prometheus_client writes them: labels in name order,
 * values as Python floats, a counter's family named with its {@code _total}. The {@code _created}
 * series prometheus_client adds to counters and histograms are left out: they carry a start time,
 * not the engine's state. Of vLLM's many series, these are served:
 *
 * <ul>
 *   <li>{@code vllm:num_requests_running}: requests holding a slot under the capacity model, else
 *       requests being streamed;
 *   <li>{@code vllm:num_requests_waiting}: requests waiting for a slot (0 without the capacity
 *       model);
 *   <li>{@code vllm:kv_cache_usage_perc}: the running requests' prompt and generated tokens over
 *       {@link SimConfig#kvTokens()}, at most 1 (a ratio, despite its name, as in vLLM);
 *   <li>{@code vllm:prompt_tokens_total}: prompt tokens of requests whose prefill ended (their
 *       first token was sent, or they finished with none);
 *   <li>{@code vllm:generation_tokens_total}: tokens written to clients;
 *   <li>{@code vllm:num_preemptions_total}: always 0, as the engine never preempts a request;
 *   <li>{@code vllm:prefix_cache_queries_total}: the prompt tokens again, every prompt being looked
 *       up; {@code vllm:prefix_cache_hits_total} stays 0, as the engine models no prefix cache;
 *   <li>{@code vllm:request_success_total}: requests that finished their output, by {@code
 *       finished_reason} ({@code stop} or {@code length}); vLLM's {@code abort} is served as well
 *       and stays 0, as a request the client or a fault cut short is not counted;
 *   <li>{@code vllm:time_to_first_token_seconds}: a histogram, on vLLM's buckets, of when each
 *       request's first token was due after its arrival, a wait for a slot included.
 * </ul>
 */
final class SimMetrics {

  /** vLLM's {@code vllm:time_to_first_token_seconds} bucket bounds. */
  private static final double[] TTFT_BUCKETS_SECONDS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
    20.0, 40.0, 80.0, 160.0, 640.0, 2560.0
  };

  /** The served model, as {@code /v1/models} names it: vLLM's {@code model_name} label. */
  private static final String MODEL_NAME = CompletionRequest.DEFAULT_MODEL;

  /** The slots' gauges when the engine models its capacity; null when requests are independent. */
  private final CapacityModel capacity;

  private final MetricsNames names;
  private final int kvCapacityTokens;

  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder promptNanos = new LongAdder();
  private final LongAdder tokensPredicted = new LongAdder();
  private final LongAdder predictedNanos = new LongAdder();
  private final AtomicLong maxSequenceTokens = new AtomicLong();
  private final AtomicInteger requestsProcessing = new AtomicInteger();

  /**
   * Prompt and sent tokens of the requests between their start and end: the KV cache's content when
   * no capacity model says which requests hold a slot.
   */
  private final AtomicLong heldTokens = new AtomicLong();

  private final LongAdder prefilledTokens = new LongAdder();
  private final LongAdder finishedStop = new LongAdder();
  private final LongAdder finishedLength = new LongAdder();
  private final TtftHistogram ttft = new TtftHistogram();

  /**
   * @param config the engine's config: which names to serve, and the KV cache's capacity
   * @param capacity the engine's capacity model, which then says how many requests hold a slot and
   *     how many wait; null when every request runs at once (none waits)
   */
  SimMetrics(SimConfig config, CapacityModel capacity) {
    this.capacity = capacity;
    this.names = config.metricsNames();
    this.kvCapacityTokens = config.kvTokens();
  }

  /** Books the start of a request that was admitted (given a slot, or a place in the queue). */
  Tally requestStarted(int promptTokenCount, long prefillNanos) {
    requestsProcessing.incrementAndGet();
    promptTokens.add(promptTokenCount);
    promptNanos.add(prefillNanos);
    heldTokens.addAndGet(promptTokenCount);
    return new Tally(promptTokenCount);
  }

  /**
   * One request's bookings, from its start to its end. Its methods are called by one thread at a
   * time, as the request's stream passes from its connection's thread to a streamer and back.
   */
  final class Tally {
    private final int promptTokenCount;
    private int tokensCounted;
    private boolean prefilled;

    private Tally(int promptTokenCount) {
      this.promptTokenCount = promptTokenCount;
    }

    /** {@code count} more tokens are being written to the client. */
    void tokensSent(int count) {
      tokensPredicted.add(count);
      heldTokens.addAndGet(count);
      tokensCounted += count;
    }

    /**
     * The first token, due {@code ttftNanos} after arrival, is being written: the prefill ended.
     */
    void firstToken(long ttftNanos) {
      prefilled();
      ttft.observe(ttftNanos);
    }

    /** The request finished its output, capped by its {@code max_tokens} or not. */
    void finished(boolean lengthCapped) {
      prefilled(); // a response of no tokens was prefilled too
      (lengthCapped ? finishedLength : finishedStop).increment();
    }

    private void prefilled() {
      if (!prefilled) {
        prefilled = true;
        prefilledTokens.add(promptTokenCount);
      }
    }

    /** Called once, however the request ended. */
    void ended(int tokensSentCount, long decodeNanos) {
      requestsProcessing.decrementAndGet();
      predictedNanos.add(decodeNanos);
      maxSequenceTokens.accumulateAndGet(promptTokenCount + tokensSentCount, Math::max);
      heldTokens.addAndGet(-(promptTokenCount + tokensCounted));
    }
  }

  /** The Prometheus text exposition (format 0.0.4) under the configured names. */
  String render() {
    return switch (names) {
      case LLAMA_CPP -> renderLlamaCpp();
      case VLLM -> renderVllm();
    };
  }

  private int running() {
    return capacity == null ? requestsProcessing.get() : capacity.processing();
  }

  private int waiting() {
    return capacity == null ? 0 : capacity.deferred();
  }

  private String renderLlamaCpp() {
    long prompt = promptTokens.sum();
    double promptSeconds = promptNanos.sum() / 1e9;
    long predicted = tokensPredicted.sum();
    double predictedSeconds = predictedNanos.sum() / 1e9;
    StringBuilder sb = new StringBuilder(2048);
    series(
        sb,
        "prompt_tokens_total",
        "counter",
        "Number of prompt tokens processed, excluding cached tokens",
        prompt);
    series(
        sb,
        "prompt_seconds_total",
        "counter",
        "Total time spent processing prompts",
        promptSeconds);
    series(
        sb,
        "tokens_predicted_total",
        "counter",
        "Number of generation tokens processed",
        predicted);
    series(
        sb,
        "tokens_predicted_seconds_total",
        "counter",
        "Total time spent generating tokens",
        predictedSeconds);
    series(
        sb,
        "n_tokens_max",
        "counter",
        "Largest observed sequence length (prompt + generation)",
        maxSequenceTokens.get());
    series(
        sb,
        "prompt_tokens_seconds",
        "gauge",
        "Average prompt throughput in tokens/s",
        promptSeconds > 0 ? prompt / promptSeconds : 0);
    series(
        sb,
        "predicted_tokens_seconds",
        "gauge",
        "Average generation throughput in tokens/s",
        predictedSeconds > 0 ? predicted / predictedSeconds : 0);
    series(sb, "requests_processing", "gauge", "Number of requests processing", running());
    series(sb, "requests_deferred", "gauge", "Number of requests deferred", waiting());
    return sb.toString();
  }

  private static void series(
      StringBuilder sb, String name, String type, String help, double value) {
    sb.append("# HELP llamacpp:").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE llamacpp:").append(name).append(' ').append(type).append('\n');
    sb.append("llamacpp:").append(name).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      sb.append((long) value);
    } else {
      sb.append(value);
    }
    sb.append('\n');
  }

  /** vLLM's series, in the order vLLM registers them, with vLLM's help texts. */
  private String renderVllm() {
    long kvTokens = capacity == null ? heldTokens.get() : capacity.kvTokens();
    long prefilled = prefilledTokens.sum();
    StringBuilder sb = new StringBuilder(8192);
    vllm(
        sb,
        "vllm:num_requests_running",
        "gauge",
        "Number of requests in model execution batches.",
        running());
    vllm(
        sb,
        "vllm:num_requests_waiting",
        "gauge",
        "Number of requests waiting to be processed.",
        waiting());
    vllm(
        sb,
        "vllm:kv_cache_usage_perc",
        "gauge",
        "KV-cache usage. 1 means 100 percent usage.",
        Math.min(1.0, Math.max(0, kvTokens) / (double) kvCapacityTokens));
    vllm(
        sb,
        "vllm:prefix_cache_queries_total",
        "counter",
        "Prefix cache queries, in terms of number of queried tokens.",
        prefilled);
    vllm(
        sb,
        "vllm:prefix_cache_hits_total",
        "counter",
        "Prefix cache hits, in terms of number of cached tokens.",
        0);
    vllm(
        sb,
        "vllm:num_preemptions_total",
        "counter",
        "Cumulative number of preemption from the engine.",
        0);
    vllm(
        sb,
        "vllm:prompt_tokens_total",
        "counter",
        "Number of prefill tokens processed.",
        prefilled);
    vllm(
        sb,
        "vllm:generation_tokens_total",
        "counter",
        "Number of generation tokens processed.",
        tokensPredicted.sum());
    String success = "vllm:request_success_total";
    family(sb, success, "counter", "Count of successfully processed requests.");
    sample(sb, success, labels("finished_reason", "stop"), finishedStop.sum());
    sample(sb, success, labels("finished_reason", "length"), finishedLength.sum());
    sample(sb, success, labels("finished_reason", "abort"), 0);
    ttft.render(sb);
    return sb.toString();
  }

  private static void vllm(StringBuilder sb, String name, String type, String help, double value) {
    family(sb, name, type, help);
    sample(sb, name, labels(null, null), value);
  }

  private static void family(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder sb, String name, String labels, double value) {
    sb.append(name).append('{').append(labels).append("} ").append(pythonFloat(value)).append('\n');
  }

  /**
   * vLLM's labels with one more, in name order as prometheus_client sorts them: the extra labels
   * ({@code finished_reason}, {@code le}) fall between {@code engine} and {@code model_name}.
   */
  private static String labels(String name, String value) {
    String extra = name == null ? "" : name + "=\"" + value + "\",";
    return "engine=\"0\"," + extra + "model_name=\"" + MODEL_NAME + "\"";
  }

  /**
   * {@code value} as prometheus_client writes it: Python's float repr (3 is {@code 3.0}, 0.00001
   * {@code 1e-05}), but with Go's exponent from a million on ({@code 1.234567e+06}), so that a
   * reader that works on vLLM's text reads the same text here.
   */
  static String pythonFloat(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0.0";
    }
    // Double.toString gives the shortest digits that read back as the value, as Python's repr.
    BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = shortest.precision() - shortest.scale() - 1;
    String sign = value < 0 ? "-" : "";
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    if (exponent < -4 || exponent >= 16) {
      int magnitude = Math.abs(exponent);
      return sign
          + mantissa
          + (exponent < 0 ? "e-" : "e+")
          + (magnitude < 10 ? "0" : "")
          + magnitude;
    }
    if (value > 0 && exponent >= 6) {
      // prometheus_client's own rewrite, its "0" before the exponent included.
      return mantissa + "e+0" + exponent;
    }
    String plain = shortest.toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }

  /** {@code vllm:time_to_first_token_seconds}: observations by bucket, their sum and count. */
  private static final class TtftHistogram {
    private static final long[] BOUNDS_NANOS = new long[TTFT_BUCKETS_SECONDS.length];

    static {
      for (int i = 0; i < BOUNDS_NANOS.length; i++) {
        BOUNDS_NANOS[i] = Math.round(TTFT_BUCKETS_SECONDS[i] * 1e9);
      }
    }

    /** Observations in each bucket alone, not cumulated; the last beyond every bound. */
    private final long[] counts = new long[BOUNDS_NANOS.length + 1];

    private long sumNanos;

    synchronized void observe(long nanos) {
      int bucket = 0;
      while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
        bucket++;
      }
      counts[bucket]++;
      sumNanos += nanos;
    }

    void render(StringBuilder sb) {
      long[] snapshot;
      long sum;
      // One snapshot: the buckets, their count and their sum agree with each other.
      synchronized (this) {
        snapshot = counts.clone();
        sum = sumNanos;
      }
      String name = "vllm:time_to_first_token_seconds";
      family(sb, name, "histogram", "Histogram of time to first token in seconds.");
      long cumulative = 0;
      for (int i = 0; i < snapshot.length; i++) {
        cumulative += snapshot[i];
        double bound =
            i < TTFT_BUCKETS_SECONDS.length ? TTFT_BUCKETS_SECONDS[i] : Double.POSITIVE_INFINITY;
        sample(sb, name + "_bucket", labels("le", pythonFloat(bound)), cumulative);
      }
      sample(sb, name + "_count", labels(null, null), cumulative);
      sample(sb, name + "_sum", labels(null, null), sum / 1e9);
    }
  }
}
