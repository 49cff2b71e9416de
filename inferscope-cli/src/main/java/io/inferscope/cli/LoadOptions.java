package io.inferscope.cli;

import io.inferscope.probe.LoadSpec;
import io.inferscope.probe.Timeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How each request is made and bounded, shared by {@code run} and {@code sweep}; how many run at
 * once and for how long is {@link ShapeOptions} ({@code run}) or the sweep's levels.
 */
final class LoadOptions {
  static final String DEFAULT_PROMPT =
      "Write a detailed story about a lighthouse keeper who finds a message in a bottle.";

  /** {@code --stop-grace}'s help, shared by run and demo. */
  static final String STOP_GRACE_HELP =
      "After Ctrl-C or SIGTERM, how long in-flight requests may finish before they are cancelled"
          + " and the partial report is written; 0 cancels them at once (default:"
          + " ${DEFAULT-VALUE}).";

  /** {@code --stop-grace}'s default: {@code Timeouts.defaults().stopGrace()}. */
  static final String STOP_GRACE_DEFAULT = "3s";

  @Option(
      completionCandidates = EnumNames.Arrivals.class,
      names = "--arrival",
      defaultValue = "constant",
      description =
          "Spacing of --rate requests: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LoadSpec.Arrival arrival;

  @Option(
      names = "--burstiness",
      defaultValue = "1",
      description =
          "Shape of --arrival gamma gaps: 1 is Poisson, below 1 burstier (coefficient of variation"
              + " 1/sqrt(shape)), above 1 more even (default: ${DEFAULT-VALUE}).")
  double burstiness;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description =
          "Seed of Poisson and gamma arrivals, dataset samples and synthetic prompts (default:"
              + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--warmup",
      defaultValue = "0",
      description =
          "Requests sent first and left out of the metrics (default: ${DEFAULT-VALUE}). Apart"
              + " from them, inferscope may warm itself first: --self-warm.")
  int warmup;

  @Option(
      completionCandidates = EnumNames.SelfWarms.class,
      names = "--self-warm",
      defaultValue = "auto",
      description =
          "Before the load, warm inferscope's own stream reader and request path on loopback,"
              + " sending nothing to the engine, until its JIT compilers are nearly idle (up to"
              + " about 8 s): ${COMPLETION-CANDIDATES}; auto warms runs of 128 streams or more (-c)"
              + " and runs on a trace's or dataset's timestamps. A smaller run starts at once, and"
              + " its TTFT then carries the client's own warm-up: 0.5-1 ms a request at one"
              + " stream on a 2-vCPU VM (default: ${DEFAULT-VALUE}).")
  LoadSpec.SelfWarm selfWarm;

  @Option(
      names = "--max-tokens",
      defaultValue = "128",
      description = "max_tokens of each request (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--prompt", description = "Prompt text (default: a short built-in story prompt).")
  String prompt;

  @Option(names = "--prompt-file", description = "Read the prompt from this file.")
  Path promptFile;

  @Option(
      names = "--extra-body",
      description =
          "JSON object merged into every request body, e.g."
              + " '{\"ignore_eos\":true,\"temperature\":0}'.")
  String extraBody;

  @Option(
      names = "--honor-retry-after",
      description =
          "When the engine sheds a request (HTTP 429/503) with Retry-After, that worker waits as"
              + " long before its next request (closed loop only; never past the run's end).")
  boolean honorRetryAfter;

  @Option(
      names = "--no-usage",
      description = "Do not ask for stream_options.include_usage (for servers that reject it).")
  boolean noUsage;

  @Option(
      names = "--connect-timeout",
      defaultValue = "5s",
      converter = Durations.class,
      description = "TCP connect bound (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--first-byte-timeout",
      defaultValue = "300s",
      converter = Durations.class,
      description =
          "Send to first response byte, covers queueing and prefill (default: ${DEFAULT-VALUE}).")
  Duration firstByteTimeout;

  @Option(
      names = "--idle-timeout",
      defaultValue = "60s",
      converter = Durations.class,
      description = "Longest silence inside a stream (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(
      names = "--total-timeout",
      defaultValue = "900s",
      converter = Durations.class,
      description = "Longest whole request (default: ${DEFAULT-VALUE}).")
  Duration totalTimeout;

  @Option(
      names = "--drain-timeout",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "At the end of --duration, how long in-flight requests may finish (default:"
              + " ${DEFAULT-VALUE}); after Ctrl-C, --stop-grace applies.")
  Duration drainTimeout;

  @Option(
      names = "--stop-grace",
      defaultValue = STOP_GRACE_DEFAULT,
      converter = Durations.NonNegative.class,
      description = STOP_GRACE_HELP)
  Duration stopGrace;

  String resolvePrompt() {
    if (prompt != null && promptFile != null) {
      throw Errors.usage("give --prompt or --prompt-file, not both");
    }
    if (promptFile != null) {
      try {
        String text = Files.readString(promptFile, StandardCharsets.UTF_8);
        if (text.isBlank()) {
          throw Errors.usage(
              "--prompt-file " + promptFile + " is empty: put the prompt text in it");
        }
        return text;
      } catch (IOException e) {
        throw Errors.usage(
            "cannot read --prompt-file "
                + promptFile
                + " ("
                + e.getClass().getSimpleName()
                + "): check the path");
      }
    }
    return prompt != null ? prompt : DEFAULT_PROMPT;
  }

  void validate() {
    if (!(burstiness > 0) || !Double.isFinite(burstiness)) {
      throw Errors.usage("--burstiness must be a positive number, got " + burstiness);
    }
    if (burstiness != 1.0 && arrival != LoadSpec.Arrival.GAMMA) {
      throw Errors.usage("--burstiness shapes --arrival gamma: add --arrival gamma");
    }
    if (warmup < 0) {
      throw Errors.usage("--warmup must not be negative, got " + warmup);
    }
    if (maxTokens < 1) {
      throw Errors.usage("--max-tokens must be at least 1, got " + maxTokens);
    }
  }

  Timeouts timeouts() {
    return new Timeouts(
        connectTimeout, firstByteTimeout, idleTimeout, totalTimeout, drainTimeout, stopGrace);
  }

  /** The settings as recorded in the report, in a stable order. */
  Map<String, String> settings(
      int concurrencyUsed,
      Integer requestsUsed,
      Duration duration,
      Double rate,
      boolean fixedSchedule) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(
        "concurrency",
        concurrencyUsed == Integer.MAX_VALUE ? "unbounded" : Integer.toString(concurrencyUsed));
    s.put("requests", requestsUsed == null ? "" : requestsUsed.toString());
    s.put("duration", duration == null ? "" : Durations.format(duration));
    s.put("rate_per_second", rate == null ? "" : rate.toString());
    s.put(
        "arrival",
        fixedSchedule
            ? "fixed schedule"
            : rate == null ? "" : arrival.name().toLowerCase(java.util.Locale.ROOT));
    if (rate != null && arrival == LoadSpec.Arrival.GAMMA) {
      s.put("burstiness", Double.toString(burstiness));
    }
    s.put("seed", Long.toString(seed));
    s.put("warmup", Integer.toString(warmup));
    s.put("self_warm", selfWarm.name().toLowerCase(java.util.Locale.ROOT));
    s.put("max_tokens", Integer.toString(maxTokens));
    s.put("include_usage", Boolean.toString(!noUsage));
    s.put("honor_retry_after", Boolean.toString(honorRetryAfter));
    s.put("extra_body", extraBody == null ? "" : extraBody);
    s.put("connect_timeout", Durations.format(connectTimeout));
    s.put("first_byte_timeout", Durations.format(firstByteTimeout));
    s.put("idle_timeout", Durations.format(idleTimeout));
    s.put("total_timeout", Durations.format(totalTimeout));
    s.put("drain_timeout", Durations.format(drainTimeout));
    s.put("stop_grace", Durations.format(stopGrace));
    return s;
  }
}
