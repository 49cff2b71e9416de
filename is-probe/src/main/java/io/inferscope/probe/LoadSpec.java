package io.inferscope.probe;

import java.net.URI;
import java.time.Duration;

/**
 * What load to drive. Closed loop by default: {@code concurrency} workers each send their next
 * request as soon as the last one ends. With {@code ratePerSecond}, open loop: requests are
 * scheduled at that rate ({@code arrival} spacing) and each waits for one of {@code concurrency}
 * slots; latency from the intended send time then shows the client-side wait.
 *
 * @param baseUrl the engine, e.g. {@code http://127.0.0.1:8080} (a trailing {@code /v1} is
 *     accepted)
 * @param endpoint chat or completions
 * @param model model name to send, or null to send none
 * @param prompt the user message (chat) or prompt (completions)
 * @param maxTokens {@code max_tokens} to send, or null
 * @param extraBodyJson a JSON object whose fields are added to each request body, or null
 * @param concurrency most requests in flight at once
 * @param requests measured requests to send, or null when {@code duration} bounds the run
 * @param duration how long to send measured requests, or null when {@code requests} does
 * @param ratePerSecond open-loop request rate, or null for closed loop
 * @param arrival spacing of open-loop requests
 * @param seed seed for Poisson arrivals
 * @param warmupRequests requests sent first and marked warm-up (excluded from metrics)
 * @param includeUsage whether to ask for {@code stream_options.include_usage}
 * @param timeouts every bounded wait
 * @param apiKey bearer token, or null; never printed (see {@link #toString()})
 * @param streamThreads what kind of thread reads each stream; null means {@link
 *     StreamThreads#PLATFORM}
 */
public record LoadSpec(
    URI baseUrl,
    Endpoint endpoint,
    String model,
    String prompt,
    Integer maxTokens,
    String extraBodyJson,
    int concurrency,
    Integer requests,
    Duration duration,
    Double ratePerSecond,
    Arrival arrival,
    long seed,
    int warmupRequests,
    boolean includeUsage,
    Timeouts timeouts,
    String apiKey,
    StreamThreads streamThreads) {

  /**
   * What kind of thread sends each request and reads its stream with blocking reads. Platform
   * threads are woken by the kernel straight from the socket; a virtual thread needs the JDK's
   * poller and a carrier thread as well, two more wake-ups per event, which cost observation delay
   * (ADR 0004). Virtual threads remain for concurrency beyond what the host's thread limits allow.
   */
  public enum StreamThreads {
    PLATFORM,
    VIRTUAL
  }

  /** How open-loop requests are spaced. */
  public enum Arrival {
    CONSTANT,
    POISSON
  }

  public LoadSpec {
    if (baseUrl == null || endpoint == null || prompt == null || timeouts == null) {
      throw new IllegalArgumentException("baseUrl, endpoint, prompt and timeouts are required");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    if ((requests == null) == (duration == null)) {
      throw new IllegalArgumentException("give exactly one of requests and duration");
    }
    if (requests != null && requests < 1) {
      throw new IllegalArgumentException("requests must be at least 1");
    }
    if (ratePerSecond != null && !(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive");
    }
    if (warmupRequests < 0) {
      throw new IllegalArgumentException("warmup must not be negative");
    }
    if (arrival == null) {
      arrival = Arrival.CONSTANT;
    }
    if (streamThreads == null) {
      streamThreads = StreamThreads.PLATFORM;
    }
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
}
