package io.inferscope.report;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Correlation;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.Finding;
import io.inferscope.core.Findings;
import io.inferscope.core.RequestMetrics;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.RunPhase;
import io.inferscope.core.RunPhases;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Summary;
import io.inferscope.core.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Streams a run into the report JSON document (schema 1). Streams rather than building a tree
 * because a long run holds millions of events. Derived figures ({@code metrics}) are written for
 * readers of the file and never read back.
 */
final class RunJsonWriter {

  static final int SCHEMA_VERSION = 1;
  static final String TOOL_NAME = "inferscope";

  private final JsonGenerator g;

  private RunJsonWriter(JsonGenerator g) {
    this.g = g;
  }

  /** Writes {@code run} as one JSON object; the caller owns (and closes) the generator. */
  static void write(RunResult run, JsonGenerator g) {
    new RunJsonWriter(g).document(run);
  }

  private void document(RunResult run) {
    g.writeStartObject();
    g.writeNumberProperty("schema_version", SCHEMA_VERSION);
    g.writeObjectPropertyStart("tool");
    g.writeStringProperty("name", TOOL_NAME);
    string("version", run.meta().toolVersion());
    g.writeEndObject();
    run(run);
    g.writeArrayPropertyStart("requests");
    for (RequestTrace t : run.traces()) {
      request(t);
    }
    g.writeEndArray();
    new HardwareJsonWriter(this, g).samples(run.hardware());
    metrics(run);
    g.writeEndObject();
  }

  private void run(RunResult run) {
    RunMeta meta = run.meta();
    RunClock clock = run.clock();
    g.writeObjectPropertyStart("run");
    string("mode", meta.mode());
    g.writeArrayPropertyStart("command_line");
    for (String arg : meta.commandLine()) {
      g.writeString(arg);
    }
    g.writeEndArray();
    string("url", meta.url());
    string("endpoint", meta.endpoint());
    string("model", meta.model());
    g.writeObjectPropertyStart("settings");
    for (Map.Entry<String, String> e : meta.settings().entrySet()) {
      string(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectPropertyStart("clock");
    // Instant.toString keeps every nanosecond, so the origin reads back exactly.
    g.writeStringProperty("origin_wall", clock.originWall().toString());
    g.writeNumberProperty("origin_nano_time", clock.originNanoTime());
    g.writeEndObject();
    g.writeNumberProperty("end_ns", run.endNanos());
    g.writeBooleanProperty("partial", run.partial());
    string("stop_reason", run.stopReason());
    client(run.client());
    g.writeEndObject();
  }

  /** Raw measured figures (read back), so under {@code run}, not {@code metrics}. */
  private void client(ClientOverhead c) {
    if (c == null) {
      g.writeNullProperty("client");
      return;
    }
    g.writeObjectPropertyStart("client");
    number("cpu_percent", c.cpuPercent());
    number("available_processors", c.availableProcessors());
    number("gc_pause_total_ns", c.gcPauseTotalNanos());
    number("gc_pause_max_ns", c.gcPauseMaxNanos());
    number("gc_pauses", c.gcPauses());
    number("scheduling_lag_max_ns", c.schedulingLagMaxNanos());
    number("scheduling_lag_p99_ns", c.schedulingLagP99Nanos());
    g.writeEndObject();
  }

  private void request(RequestTrace t) {
    g.writeStartObject();
    g.writeNumberProperty("id", t.id());
    g.writeBooleanProperty("warmup", t.warmup());
    g.writeNumberProperty("intended_ns", t.intendedNanos());
    g.writeNumberProperty("send_ns", t.sendNanos());
    number("headers_ns", t.headersNanos());
    g.writeNumberProperty("end_ns", t.endNanos());
    number("http_status", t.httpStatus());
    string("finish_reason", t.finishReason());
    usage(t.usage());
    serverTimings(t.serverTimings());
    failure(t.failure());
    events(t.events());
    g.writeEndObject();
  }

  private void usage(Usage u) {
    if (u == null) {
      g.writeNullProperty("usage");
      return;
    }
    g.writeObjectPropertyStart("usage");
    number("prompt_tokens", u.promptTokens());
    number("completion_tokens", u.completionTokens());
    number("total_tokens", u.totalTokens());
    number("reasoning_tokens", u.reasoningTokens());
    number("cached_prompt_tokens", u.cachedPromptTokens());
    g.writeEndObject();
  }

  private void serverTimings(ServerTimings s) {
    if (s == null) {
      g.writeNullProperty("server_timings");
      return;
    }
    g.writeObjectPropertyStart("server_timings");
    number("prompt_tokens", s.promptTokens());
    number("prompt_ms", s.promptMillis());
    number("predicted_tokens", s.predictedTokens());
    number("predicted_ms", s.predictedMillis());
    number("cached_tokens", s.cachedTokens());
    g.writeEndObject();
  }

  private void failure(Failure f) {
    if (f == null) {
      g.writeNullProperty("failure");
      return;
    }
    g.writeObjectPropertyStart("failure");
    g.writeStringProperty("code", f.code());
    g.writeStringProperty("kind", failureKind(f));
    string("detail", f.detail());
    switch (f) {
      case Failure.Http h -> {
        g.writeNumberProperty("status", h.status());
        string("body_excerpt", h.bodyExcerpt());
      }
      case Failure.Shed s -> {
        g.writeNumberProperty("status", s.status());
        string("body_excerpt", s.bodyExcerpt());
      }
      case Failure.StreamError s -> string("message", s.message());
      case Failure.Timeout t -> {
        g.writeStringProperty("phase", t.phase().code());
        g.writeNumberProperty("limit_ns", t.limitNanos());
      }
      // The detail line is these records' only field, written above.
      case Failure.Connect _,
          Failure.Truncated _,
          Failure.Malformed _,
          Failure.Cancelled _,
          Failure.Client _ -> {}
    }
    g.writeEndObject();
  }

  /** The record type as a stable JSON name; a switch so a new kind fails to compile here. */
  static String failureKind(Failure f) {
    return switch (f) {
      case Failure.Connect _ -> "connect";
      case Failure.Http _ -> "http";
      case Failure.Shed _ -> "shed";
      case Failure.StreamError _ -> "stream_error";
      case Failure.Truncated _ -> "truncated";
      case Failure.Malformed _ -> "malformed";
      case Failure.Timeout _ -> "timeout";
      case Failure.Cancelled _ -> "cancelled";
      case Failure.Client _ -> "client";
    };
  }

  /**
   * Events as parallel arrays: one short line each instead of an object per event. {@code sent_ns}
   * (the engine's send stamps, null where an event had none) is written only when the log has
   * stamps, so a run without them reads as before.
   */
  private void events(EventLog ev) {
    int n = ev.size();
    g.writeObjectPropertyStart("events");
    g.writeArrayPropertyStart("at_ns");
    for (int i = 0; i < n; i++) {
      g.writeNumber(ev.atNanos(i));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("kind");
    for (int i = 0; i < n; i++) {
      g.writeString(ev.kind(i).name().toLowerCase(Locale.ROOT));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("text_chars");
    for (int i = 0; i < n; i++) {
      g.writeNumber(ev.textChars(i));
    }
    g.writeEndArray();
    if (ev.hasSentStamps()) {
      g.writeArrayPropertyStart("sent_ns");
      for (int i = 0; i < n; i++) {
        if (ev.hasSentNanos(i)) {
          g.writeNumber(ev.sentNanos(i));
        } else {
          g.writeNull();
        }
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private void metrics(RunResult run) {
    RunMetrics m = run.metrics();
    g.writeObjectPropertyStart("metrics");
    g.writeNumberProperty("requests", m.requests());
    g.writeNumberProperty("ok", m.ok());
    g.writeNumberProperty("failed", m.failed());
    g.writeNumberProperty("cancelled", m.cancelled());
    g.writeObjectPropertyStart("failures_by_code");
    for (Map.Entry<String, Integer> e : m.failuresByCode().entrySet()) {
      number(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectPropertyStart("failure_examples");
    for (Map.Entry<String, String> e : m.failureExamples().entrySet()) {
      string(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    number("completeness_percent", m.completenessPercent());
    number("window_ns", m.windowNanos());
    summary("ttft_ns", m.ttftNanos());
    summary("ttft_from_intended_ns", m.ttftFromIntendedNanos());
    summary("first_content_ns", m.firstContentNanos());
    summary("e2e_ns", m.e2eNanos());
    summary("e2e_from_intended_ns", m.e2eFromIntendedNanos());
    summary("send_lag_ns", m.sendLagNanos());
    summary("tpot_ns", m.tpotNanos());
    summary("decode_tokens_per_second", m.decodeTokensPerSecond());
    summary("chunk_itl_ns", m.chunkItlNanos());
    summary("output_tokens_per_request", m.outputTokensPerRequest());
    summary("server_decode_tokens_per_second", m.serverDecodeTokensPerSecond());
    summary("server_prompt_ms", m.serverPromptMillis());
    g.writeNumberProperty("output_tokens_total", m.outputTokensTotal());
    g.writeNumberProperty("text_chunks_total", m.textChunksTotal());
    g.writeNumberProperty("requests_with_usage", m.requestsWithUsage());
    number("usage_tokens_total", m.usageTokensTotal());
    g.writeNumberProperty("chunks_of_usage_requests", m.chunksOfUsageRequests());
    g.writeNumberProperty("usage_chunk_mismatches", m.usageChunkMismatches());
    number("output_tokens_per_second", m.outputTokensPerSecond());
    number("requests_per_second", m.requestsPerSecond());
    summary("observation_delay_ns", m.observationDelayNanos());
    HardwareJsonWriter hardware = new HardwareJsonWriter(this, g);
    hardware.metrics(HardwareFigures.of(run, m));
    Correlation correlation = Correlation.of(run);
    hardware.correlation(correlation);
    phases(RunPhases.of(run.traces()));
    findings(Findings.of(run, m, correlation, TextReport.hostCpus(run.meta())));
    g.writeArrayPropertyStart("per_request");
    for (RequestTrace t : run.traces()) {
      if (!t.warmup()) {
        perRequest(t);
      }
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** {@code metrics.phases}: the run's phases from its in-flight count. */
  private void phases(RunPhases p) {
    number("steady_in_flight", p.steadyLevel());
    g.writeArrayPropertyStart("phases");
    for (RunPhase phase : p.phases()) {
      g.writeStartObject();
      g.writeStringProperty("kind", phase.kind().label());
      g.writeNumberProperty("start_ns", phase.startNanos());
      g.writeNumberProperty("end_ns", phase.endNanos());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** {@code metrics.findings}: plain-words findings, warnings first. */
  private void findings(List<Finding> findings) {
    g.writeArrayPropertyStart("findings");
    for (Finding f : findings) {
      g.writeStartObject();
      g.writeStringProperty("code", f.code());
      g.writeStringProperty("severity", f.severity().label());
      g.writeStringProperty("message", f.message());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private void perRequest(RequestTrace t) {
    RequestMetrics r = RequestMetrics.of(t);
    g.writeStartObject();
    g.writeNumberProperty("id", t.id());
    // Failed requests are listed too (their time to failure is useful); pooled figures skip them.
    g.writeBooleanProperty("ok", t.ok());
    number("ttft_ns", r.ttftNanos());
    g.writeNumberProperty("e2e_ns", r.e2eNanos());
    number("tpot_ns", r.tpotNanos());
    number("decode_tokens_per_second", r.decodeTokensPerSecond());
    g.writeNumberProperty("output_tokens", r.outputTokens());
    g.writeStringProperty("token_source", r.tokenSource().code());
    g.writeNumberProperty("text_chunks", r.textChunks());
    g.writeEndObject();
  }

  void summary(String name, Summary s) {
    if (s == null) {
      g.writeNullProperty(name);
      return;
    }
    g.writeObjectPropertyStart(name);
    g.writeNumberProperty("count", s.count());
    number("mean", s.mean());
    number("stddev", s.stddev());
    number("min", s.min());
    number("p50", s.p50());
    number("p90", s.p90());
    number("p95", s.p95());
    number("p99", s.p99());
    number("max", s.max());
    g.writeEndObject();
  }

  void string(String name, String value) {
    if (value == null) {
      g.writeNullProperty(name);
    } else {
      g.writeStringProperty(name, value);
    }
  }

  /**
   * A double's shortest exact decimal form ({@link Double#toString}) without the exponent that form
   * uses from 10^7 up, so a nanosecond figure reads {@code 45000000.0}, not {@code 4.5E7}. Same
   * digits, so it parses back to the same double.
   */
  static String plain(double d) {
    String s = Double.toString(d);
    double a = Math.abs(d);
    if (s.indexOf('E') < 0 || a < 1 || a >= 1e18) {
      return s;
    }
    String digits = new BigDecimal(s).toPlainString();
    return digits.indexOf('.') < 0 ? digits + ".0" : digits;
  }

  /** Integers and longs as they are; doubles only when finite (JSON has no NaN), else null. */
  void number(String name, Number value) {
    switch (value) {
      case null -> g.writeNullProperty(name);
      case Double d when !Double.isFinite(d) -> g.writeNullProperty(name);
      case Double d -> {
        g.writeName(name);
        g.writeNumber(plain(d));
      }
      case Long l -> g.writeNumberProperty(name, l.longValue());
      default -> g.writeNumberProperty(name, value.intValue());
    }
  }
}
