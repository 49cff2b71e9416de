package io.inferscope.probe;

import java.net.URI;
import java.time.Duration;

/**
 * What load to drive. Closed loop by default: {@code concurrency} workers each send their next
 * request as soon as the last one ends. With {@code ratePerSecond}, open loop: requests are
 * scheduled at that rate ({@code arrival} spacing) and each waits for one of {@code concurrency}
 * slots; latency from the intended send time then shows the client-side wait. A workload whose
 * items carry send times (a trace) is an open loop on that fixed schedule unless a rate is given.
 *
 * <p>Made with {@link #builder(URI, Endpoint)}; every check is made once, in {@link
 * Builder#build()}. Immutable.
 */
public final class LoadSpec {

  /** How open-loop requests are spaced. */
  public enum Arrival {
    /** Evenly spaced at the rate. */
    CONSTANT,
    /** Exponential gaps: a Poisson process at the rate. */
    POISSON,
    /**
     * Gamma-distributed gaps of mean {@code 1 / rate} and shape {@link #burstiness()}: 1 is
     * Poisson, below 1 burstier (coefficient of variation {@code 1 / sqrt(shape)}), above 1 more
     * even.
     */
    GAMMA
  }

  /**
   * Whether the client warms its own hot path on loopback before the load ({@link
   * LoadRunner#warmUp}).
   */
  public enum SelfWarm {
    /**
     * Runs of {@link LoadRunner#SELF_WARM_MIN_STREAMS} streams or more and runs on a fixed
     * schedule: smaller runs start at once, their first requests' timings carrying the client's own
     * warm-up.
     */
    AUTO,
    /** Every run. */
    ON,
    /** No run. */
    OFF
  }

  private final URI baseUrl;
  private final Endpoint endpoint;
  private final String model;
  private final Workload workload;
  private final Integer maxTokens;
  private final String extraBodyJson;
  private final int concurrency;
  private final Integer requests;
  private final Duration duration;
  private final Double ratePerSecond;
  private final Arrival arrival;
  private final double burstiness;
  private final long seed;
  private final int arrivalShareIndex;
  private final int arrivalShareCount;
  private final java.time.Instant startAt;
  private final int firstItem;
  private final long promptSalt;
  private final int warmupRequests;
  private final SelfWarm selfWarm;
  private final boolean includeUsage;
  private final boolean honorRetryAfter;
  private final Timeouts timeouts;
  private final String apiKey;

  private LoadSpec(Builder b) {
    if (b.baseUrl == null || b.endpoint == null || b.workload == null || b.timeouts == null) {
      throw new IllegalArgumentException(
          "baseUrl, endpoint, a prompt or workload, and timeouts are required");
    }
    if (b.concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    if ((b.requests == null) == (b.duration == null)) {
      throw new IllegalArgumentException("give exactly one of requests and duration");
    }
    if (b.requests != null && b.requests < 1) {
      throw new IllegalArgumentException("requests must be at least 1");
    }
    if (b.duration != null && (b.duration.isNegative() || b.duration.isZero())) {
      throw new IllegalArgumentException("duration must be positive");
    }
    if (b.ratePerSecond != null && !(b.ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive");
    }
    if (b.warmupRequests < 0) {
      throw new IllegalArgumentException("warmup must not be negative");
    }
    if (b.maxTokens != null && b.maxTokens < 1) {
      throw new IllegalArgumentException("max tokens must be at least 1");
    }
    if (b.arrivalShareCount < 1
        || b.arrivalShareIndex < 0
        || b.arrivalShareIndex >= b.arrivalShareCount) {
      throw new IllegalArgumentException(
          "an arrival share is INDEX of COUNT with 0 <= INDEX < COUNT: "
              + b.arrivalShareIndex
              + " of "
              + b.arrivalShareCount);
    }
    if (b.firstItem < 0) {
      throw new IllegalArgumentException("the first item must not be negative: " + b.firstItem);
    }
    if (!(b.burstiness > 0) || !Double.isFinite(b.burstiness)) {
      throw new IllegalArgumentException("burstiness must be a positive number: " + b.burstiness);
    }
    if (b.honorRetryAfter && (b.ratePerSecond != null || b.workload.scheduled())) {
      throw new IllegalArgumentException(
          "Retry-After is honoured in closed loop only: an open loop (--rate) keeps its schedule");
    }
    if (b.extraBodyJson != null) {
      RequestBodies.extraFields(b.extraBodyJson); // a body that cannot be sent is a bad spec
    }
    baseUrl = b.baseUrl;
    endpoint = b.endpoint;
    model = b.model;
    workload = b.workload;
    maxTokens = b.maxTokens;
    extraBodyJson = b.extraBodyJson;
    concurrency = b.concurrency;
    requests = b.requests;
    duration = b.duration;
    ratePerSecond = b.ratePerSecond;
    arrival = b.arrival == null ? Arrival.CONSTANT : b.arrival;
    burstiness = b.burstiness;
    firstItem = b.firstItem;
    promptSalt = b.promptSalt;
    seed = b.seed;
    arrivalShareIndex = b.arrivalShareIndex;
    arrivalShareCount = b.arrivalShareCount;
    startAt = b.startAt;
    warmupRequests = b.warmupRequests;
    selfWarm = b.selfWarm == null ? SelfWarm.AUTO : b.selfWarm;
    includeUsage = b.includeUsage;
    honorRetryAfter = b.honorRetryAfter;
    timeouts = b.timeouts;
    apiKey = b.apiKey;
  }

  /**
   * A builder for load against {@code baseUrl}'s {@code endpoint}. Then give a {@link
   * Builder#prompt} and one of {@link Builder#requests} and {@link Builder#duration}; everything
   * else has a default, named on its setter.
   *
   * @param baseUrl the engine, e.g. {@code http://127.0.0.1:8080} (a trailing {@code /v1} is
   *     accepted)
   * @param endpoint chat or completions
   */
  public static Builder builder(URI baseUrl, Endpoint endpoint) {
    return new Builder(baseUrl, endpoint);
  }

  /** The engine's base URL. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** Chat or completions. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Model name to send, or null to send none. */
  public String model() {
    return model;
  }

  /** What the requests send. */
  public Workload workload() {
    return workload;
  }

  /**
   * Whether the run follows the workload's own send times: its items carry them and no rate is
   * given (a rate replaces them).
   */
  public boolean fixedSchedule() {
    return workload.scheduled() && ratePerSecond == null;
  }

  /** {@code max_tokens} to send, or null. */
  public Integer maxTokens() {
    return maxTokens;
  }

  /** A JSON object whose fields are added to each request body, or null. */
  public String extraBodyJson() {
    return extraBodyJson;
  }

  /** Most requests in flight at once. */
  public int concurrency() {
    return concurrency;
  }

  /** Measured requests to send, or null when {@link #duration()} bounds the run. */
  public Integer requests() {
    return requests;
  }

  /** How long to send measured requests, or null when {@link #requests()} does. */
  public Duration duration() {
    return duration;
  }

  /** Open-loop request rate, or null for closed loop (or the workload's fixed schedule). */
  public Double ratePerSecond() {
    return ratePerSecond;
  }

  /** Spacing of open-loop requests. */
  public Arrival arrival() {
    return arrival;
  }

  /** The workload item the run's first request sends (a sweep level goes on from the last's). */
  public int firstItem() {
    return firstItem;
  }

  /** Drawn into generated prompts' words, so that another run (a sweep level) sends other text. */
  public long promptSalt() {
    return promptSalt;
  }

  /** Shape of {@link Arrival#GAMMA} gaps. */
  public double burstiness() {
    return burstiness;
  }

  /** Seed for Poisson and gamma arrivals. */
  public long seed() {
    return seed;
  }

  /**
   * Which of the rate's arrivals this run sends: arrivals {@code index, index + count, ...} of the
   * schedule at {@link #ratePerSecond()} (a shard's share, ADR 0019); 0 of 1 sends every one.
   */
  public int arrivalShareIndex() {
    return arrivalShareIndex;
  }

  /** See {@link #arrivalShareIndex()}. */
  public int arrivalShareCount() {
    return arrivalShareCount;
  }

  /**
   * The wall-clock instant measured load starts at (after any warm-up), agreed with other
   * processes; null to start as soon as warm-up ends.
   */
  public java.time.Instant startAt() {
    return startAt;
  }

  /** Requests sent first and marked warm-up (excluded from metrics). */
  public int warmupRequests() {
    return warmupRequests;
  }

  /** Whether the client warms itself before the load. */
  public SelfWarm selfWarm() {
    return selfWarm;
  }

  /** Whether to ask for {@code stream_options.include_usage}. */
  public boolean includeUsage() {
    return includeUsage;
  }

  /**
   * Whether a closed-loop worker whose request was shed with a {@code Retry-After} waits that long
   * before its next request (never past the run's end or a stop).
   */
  public boolean honorRetryAfter() {
    return honorRetryAfter;
  }

  /** Every bounded wait. */
  public Timeouts timeouts() {
    return timeouts;
  }

  /** Bearer token, or null; never printed (see {@link #toString()}). */
  public String apiKey() {
    return apiKey;
  }

  /** Never shows the API key or credentials inside the URL. */
  @Override
  public String toString() {
    String url =
        baseUrl.getRawUserInfo() == null
            ? baseUrl.toString()
            : baseUrl.toString().replace(baseUrl.getRawUserInfo() + "@", "***@");
    return "LoadSpec[baseUrl="
        + url
        + ", endpoint="
        + endpoint
        + ", model="
        + model
        + ", concurrency="
        + concurrency
        + ", requests="
        + requests
        + ", duration="
        + duration
        + ", rate="
        + ratePerSecond
        + ", apiKey="
        + (apiKey == null ? "none" : "(set)")
        + "]";
  }

  /** Collects a {@link LoadSpec}; {@link #build()} checks it. Not thread-safe. */
  public static final class Builder {
    private final URI baseUrl;
    private final Endpoint endpoint;
    private String model;
    private Workload workload;
    private Integer maxTokens;
    private String extraBodyJson;
    private int concurrency = 1;
    private Integer requests;
    private Duration duration;
    private Double ratePerSecond;
    private Arrival arrival = Arrival.CONSTANT;
    private double burstiness = 1.0;
    private long seed = 1;
    private int arrivalShareIndex;
    private int arrivalShareCount = 1;
    private java.time.Instant startAt;
    private int firstItem;
    private long promptSalt;
    private int warmupRequests;
    private SelfWarm selfWarm = SelfWarm.AUTO;
    private boolean includeUsage = true;
    private boolean honorRetryAfter;
    private Timeouts timeouts = Timeouts.defaults();
    private String apiKey;

    private Builder(URI baseUrl, Endpoint endpoint) {
      this.baseUrl = baseUrl;
      this.endpoint = endpoint;
    }

    /** Model name to send; null (the default) sends none. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * One prompt for every request: the user message (chat) or prompt (completions). This or {@link
     * #workload} is required.
     */
    public Builder prompt(String prompt) {
      this.workload = prompt == null ? null : Workload.prompt(prompt);
      return this;
    }

    /** What the requests send; this or {@link #prompt} is required. */
    public Builder workload(Workload workload) {
      this.workload = workload;
      return this;
    }

    /** {@code max_tokens} to send, at least 1; null (the default) sends none. */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** A JSON object whose fields are added to each request body; null (the default) for none. */
    public Builder extraBodyJson(String json) {
      this.extraBodyJson = json;
      return this;
    }

    /** Most requests in flight at once, at least 1 (default 1). */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** Measured requests to send, or null; give this or {@link #duration}, not both. */
    public Builder requests(Integer requests) {
      this.requests = requests;
      return this;
    }

    /** How long to send measured requests, or null; give this or {@link #requests}, not both. */
    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    /** Open-loop request rate per second; null (the default) for closed loop. */
    public Builder ratePerSecond(Double ratePerSecond) {
      this.ratePerSecond = ratePerSecond;
      return this;
    }

    /** Spacing of open-loop requests (default constant; null means constant). */
    public Builder arrival(Arrival arrival) {
      this.arrival = arrival;
      return this;
    }

    /** The workload item the first request sends, not negative (default 0). */
    public Builder firstItem(int firstItem) {
      this.firstItem = firstItem;
      return this;
    }

    /** Salt of generated prompts' words (default 0: the workload's own). */
    public Builder promptSalt(long promptSalt) {
      this.promptSalt = promptSalt;
      return this;
    }

    /** Shape of gamma arrivals, positive (default 1: Poisson). */
    public Builder burstiness(double burstiness) {
      this.burstiness = burstiness;
      return this;
    }

    /** Seed for Poisson and gamma arrivals (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Send only arrivals {@code index, index + count, ...} of the rate's schedule (default 0 of 1:
     * every arrival). A fixed schedule is not thinned: give the run its own items instead.
     */
    public Builder arrivalShare(int index, int count) {
      this.arrivalShareIndex = index;
      this.arrivalShareCount = count;
      return this;
    }

    /** Start measured load at this wall-clock instant; null (the default) for at once. */
    public Builder startAt(java.time.Instant startAt) {
      this.startAt = startAt;
      return this;
    }

    /** Requests sent first and marked warm-up, not negative (default 0). */
    public Builder warmupRequests(int warmupRequests) {
      this.warmupRequests = warmupRequests;
      return this;
    }

    /** Whether the client warms itself before the load (default {@link SelfWarm#AUTO}). */
    public Builder selfWarm(SelfWarm selfWarm) {
      this.selfWarm = selfWarm;
      return this;
    }

    /** Whether to ask for {@code stream_options.include_usage} (default true). */
    public Builder includeUsage(boolean includeUsage) {
      this.includeUsage = includeUsage;
      return this;
    }

    /**
     * Whether shed requests' {@code Retry-After} is waited on, closed loop only (default false).
     */
    public Builder honorRetryAfter(boolean honorRetryAfter) {
      this.honorRetryAfter = honorRetryAfter;
      return this;
    }

    /** Every bounded wait (default {@link Timeouts#defaults()}). */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    /** Bearer token; null (the default) sends none. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /**
     * The spec.
     *
     * @throws IllegalArgumentException with a one-line message naming what is wrong
     */
    public LoadSpec build() {
      return new LoadSpec(this);
    }
  }
}
