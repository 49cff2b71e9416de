package io.inferscope.report;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.ClientOverhead;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.TimeoutPhase;
import io.inferscope.core.Usage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;

/**
 * Reads a report JSON document (schema 1) back into a {@link RunResult}. Pulls tokens rather than
 * building a tree, for the same reason the writer streams: event columns can be millions long.
 *
 * <p>Rules: unknown fields are skipped; a field that cannot be null must be present; a nullable
 * field may be omitted (read as null); {@code metrics} is derived and never read. Every problem is
 * an {@link IllegalArgumentException} with one line: the source, the field's path, what is wrong.
 */
final class RunJsonReader {

  private final JsonCursor c;

  private RunJsonReader(JsonCursor c) {
    this.c = c;
  }

  /**
   * Reads one document.
   *
   * @param source names the input in error messages (a file path, or a description)
   * @throws IllegalArgumentException when the document is malformed or not schema 1
   * @throws JacksonIOException when the underlying input fails (the caller unwraps it)
   */
  static RunResult read(JsonParser p, String source) {
    try {
      return new RunJsonReader(new JsonCursor(p, source)).document();
    } catch (JacksonIOException e) {
      throw e;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(source + ": malformed JSON" + at(e) + ": " + reason(e), e);
    }
  }

  private RunResult document() {
    if (!c.next() || c.token() != JsonToken.START_OBJECT) {
      throw c.fail("", "expected a JSON object, found " + c.found());
    }
    boolean versionSeen = false;
    String toolVersion = null;
    RunPart run = null;
    List<RequestTrace> requests = null;
    // Documents written before hardware sampling existed have no section: nothing was sampled.
    HardwareSamples hardware = HardwareSamples.none();
    while (c.nextProperty()) {
      switch (c.name()) {
        case "schema_version" -> {
          checkSchemaVersion();
          versionSeen = true;
        }
        case "tool" -> toolVersion = tool();
        case "run" -> run = run();
        case "requests" -> requests = requests();
        case "hardware" -> hardware = new HardwareJsonReader(c).read();
        default -> c.skip();
      }
    }
    if (c.next()) {
      throw c.fail("", "unexpected content after the top-level object");
    }
    if (!versionSeen) {
      throw c.fail("", "missing field schema_version");
    }
    if (run == null) {
      throw c.fail("", "missing field run");
    }
    if (requests == null) {
      throw c.fail("", "missing field requests");
    }
    RunMeta meta =
        new RunMeta(
            toolVersion, run.mode, run.commandLine, run.url, run.endpoint, run.model, run.settings);
    return new RunResult(
        meta, run.clock, requests, run.endNanos, run.partial, run.stopReason, hardware, run.client);
  }

  private void checkSchemaVersion() {
    String v = c.integerText();
    if (!v.equals(Integer.toString(RunJsonWriter.SCHEMA_VERSION))) {
      throw c.fail(
          c.where(),
          "version "
              + v
              + " is not supported (this inferscope reads version "
              + RunJsonWriter.SCHEMA_VERSION
              + ")");
    }
  }

  private String tool() {
    if (c.isNull()) {
      return null;
    }
    c.startObject();
    String version = null;
    while (c.nextProperty()) {
      if (c.name().equals("version")) {
        version = c.nullableString();
      } else {
        c.skip();
      }
    }
    return version;
  }

  /** The {@code run} object's fields, gathered in any order. */
  private static final class RunPart {
    String mode;
    List<String> commandLine;
    String url;
    String endpoint;
    String model;
    Map<String, String> settings;
    RunClock clock;
    long endNanos;
    boolean partial;
    String stopReason;
    // Documents written before the client was measured have none: not measured.
    ClientOverhead client;
  }

  private RunPart run() {
    String at = c.startObject();
    RunPart r = new RunPart();
    Long end = null;
    Boolean partial = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "mode" -> r.mode = c.nullableString();
        case "command_line" -> r.commandLine = stringList();
        case "url" -> r.url = c.nullableString();
        case "endpoint" -> r.endpoint = c.nullableString();
        case "model" -> r.model = c.nullableString();
        case "settings" -> r.settings = stringMap();
        case "clock" -> r.clock = clock();
        case "end_ns" -> end = c.longValue();
        case "partial" -> partial = c.booleanValue();
        case "stop_reason" -> r.stopReason = c.nullableString();
        case "client" -> r.client = client();
        default -> c.skip();
      }
    }
    r.commandLine = c.require(r.commandLine, at, "command_line");
    r.settings = c.require(r.settings, at, "settings");
    r.clock = c.require(r.clock, at, "clock");
    r.endNanos = c.require(end, at, "end_ns");
    r.partial = c.require(partial, at, "partial");
    return r;
  }

  private ClientOverhead client() {
    if (c.isNull()) {
      return null;
    }
    c.startObject();
    Double cpu = null;
    Integer cpus = null;
    Long gcTotal = null;
    Long gcMax = null;
    Integer gcPauses = null;
    Long lagMax = null;
    Long lagP99 = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "cpu_percent" -> cpu = c.nullableDouble();
        case "available_processors" -> cpus = c.nullableInt();
        case "gc_pause_total_ns" -> gcTotal = c.nullableLong();
        case "gc_pause_max_ns" -> gcMax = c.nullableLong();
        case "gc_pauses" -> gcPauses = c.nullableInt();
        case "scheduling_lag_max_ns" -> lagMax = c.nullableLong();
        case "scheduling_lag_p99_ns" -> lagP99 = c.nullableLong();
        default -> c.skip();
      }
    }
    return new ClientOverhead(cpu, cpus, gcTotal, gcMax, gcPauses, lagMax, lagP99);
  }

  private RunClock clock() {
    String at = c.startObject();
    Instant wall = null;
    Long nanoTime = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "origin_wall" -> wall = instant();
        case "origin_nano_time" -> nanoTime = c.longValue();
        default -> c.skip();
      }
    }
    return new RunClock(
        c.require(nanoTime, at, "origin_nano_time"), c.require(wall, at, "origin_wall"));
  }

  private Instant instant() {
    String text = c.stringValue();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw c.fail(c.where(), "not an ISO-8601 instant: \"" + Fmt.singleLine(text) + "\"");
    }
  }

  private List<RequestTrace> requests() {
    c.startArray();
    List<RequestTrace> traces = new ArrayList<>();
    while (c.nextElement()) {
      traces.add(request());
    }
    return traces;
  }

  private RequestTrace request() {
    String at = c.startObject();
    Integer id = null;
    Boolean warmup = null;
    Long intended = null;
    Long send = null;
    Long headers = null;
    Long end = null;
    Integer status = null;
    String finish = null;
    Usage usage = null;
    ServerTimings timings = null;
    Failure failure = null;
    EventLog events = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "id" -> id = c.intValue();
        case "warmup" -> warmup = c.booleanValue();
        case "intended_ns" -> intended = c.longValue();
        case "send_ns" -> send = c.longValue();
        case "headers_ns" -> headers = c.nullableLong();
        case "end_ns" -> end = c.longValue();
        case "http_status" -> status = c.nullableInt();
        case "finish_reason" -> finish = c.nullableString();
        case "usage" -> usage = usage();
        case "server_timings" -> timings = serverTimings();
        case "failure" -> failure = failure();
        case "events" -> events = events();
        default -> c.skip();
      }
    }
    int idValue = c.require(id, at, "id");
    boolean warmupValue = c.require(warmup, at, "warmup");
    long intendedValue = c.require(intended, at, "intended_ns");
    long sendValue = c.require(send, at, "send_ns");
    long endValue = c.require(end, at, "end_ns");
    EventLog eventLog = c.require(events, at, "events");
    try {
      return new RequestTrace(
          idValue,
          warmupValue,
          intendedValue,
          sendValue,
          headers,
          endValue,
          status,
          eventLog,
          usage,
          timings,
          finish,
          failure);
    } catch (IllegalArgumentException e) {
      // The trace's own consistency checks (send before intended, ...).
      throw c.fail(at, e.getMessage());
    }
  }

  private Usage usage() {
    if (c.isNull()) {
      return null;
    }
    c.startObject();
    Integer prompt = null;
    Integer completion = null;
    Integer total = null;
    Integer reasoning = null;
    Integer cached = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "prompt_tokens" -> prompt = c.nullableInt();
        case "completion_tokens" -> completion = c.nullableInt();
        case "total_tokens" -> total = c.nullableInt();
        case "reasoning_tokens" -> reasoning = c.nullableInt();
        case "cached_prompt_tokens" -> cached = c.nullableInt();
        default -> c.skip();
      }
    }
    return new Usage(prompt, completion, total, reasoning, cached);
  }

  private ServerTimings serverTimings() {
    if (c.isNull()) {
      return null;
    }
    c.startObject();
    Integer promptTokens = null;
    Double promptMs = null;
    Integer predictedTokens = null;
    Double predictedMs = null;
    Integer cached = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "prompt_tokens" -> promptTokens = c.nullableInt();
        case "prompt_ms" -> promptMs = c.nullableDouble();
        case "predicted_tokens" -> predictedTokens = c.nullableInt();
        case "predicted_ms" -> predictedMs = c.nullableDouble();
        case "cached_tokens" -> cached = c.nullableInt();
        default -> c.skip();
      }
    }
    return new ServerTimings(promptTokens, promptMs, predictedTokens, predictedMs, cached);
  }

  private Failure failure() {
    if (c.isNull()) {
      return null;
    }
    String at = c.startObject();
    String kind = null;
    String detail = null;
    Integer status = null;
    String bodyExcerpt = null;
    String message = null;
    String phase = null;
    Long limit = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "kind" -> kind = c.stringValue();
        case "detail" -> detail = c.nullableString();
        case "status" -> status = c.intValue();
        case "body_excerpt" -> bodyExcerpt = c.nullableString();
        case "message" -> message = c.nullableString();
        case "phase" -> phase = c.stringValue();
        case "limit_ns" -> limit = c.longValue();
        // "code" and, for kinds with structured fields, "detail" are derived: ignored.
        default -> c.skip();
      }
    }
    return switch (c.require(kind, at, "kind")) {
      case "connect" -> new Failure.Connect(detail);
      case "http" -> new Failure.Http(c.require(status, at, "status"), bodyExcerpt);
      case "shed" -> new Failure.Shed(c.require(status, at, "status"), bodyExcerpt);
      case "stream_error" -> new Failure.StreamError(message);
      case "truncated" -> new Failure.Truncated(detail);
      case "malformed" -> new Failure.Malformed(detail);
      case "timeout" ->
          new Failure.Timeout(
              timeoutPhase(c.require(phase, at, "phase"), at), c.require(limit, at, "limit_ns"));
      case "cancelled" -> new Failure.Cancelled(detail);
      case "client" -> new Failure.Client(detail);
      default ->
          throw c.fail(at + ".kind", "unknown failure kind \"" + Fmt.singleLine(kind) + "\"");
    };
  }

  private TimeoutPhase timeoutPhase(String code, String at) {
    for (TimeoutPhase phase : TimeoutPhase.values()) {
      if (phase.code().equals(code)) {
        return phase;
      }
    }
    throw c.fail(at + ".phase", "unknown timeout phase \"" + Fmt.singleLine(code) + "\"");
  }

  private EventLog events() {
    String at = c.startObject();
    long[] atNanos = null;
    ChunkKind[] kinds = null;
    int[] textChars = null;
    Long[] sentNanos = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "at_ns" -> atNanos = longArray();
        case "sent_ns" -> sentNanos = nullableLongArray();
        case "kind" -> kinds = kindArray();
        case "text_chars" -> textChars = textCharsArray();
        default -> c.skip();
      }
    }
    c.require(atNanos, at, "at_ns");
    c.require(kinds, at, "kind");
    c.require(textChars, at, "text_chars");
    if (atNanos.length != kinds.length || kinds.length != textChars.length) {
      throw c.fail(
          at,
          "event columns differ in length (at_ns "
              + atNanos.length
              + ", kind "
              + kinds.length
              + ", text_chars "
              + textChars.length
              + ")");
    }
    if (sentNanos != null && sentNanos.length != atNanos.length) {
      throw c.fail(
          at,
          "event columns differ in length (at_ns "
              + atNanos.length
              + ", sent_ns "
              + sentNanos.length
              + ")");
    }
    return EventLog.of(atNanos, kinds, textChars, sentNanos);
  }

  private Long[] nullableLongArray() {
    c.startArray();
    Long[] values = new Long[64];
    int n = 0;
    while (c.nextElement()) {
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = c.nullableLong();
    }
    return Arrays.copyOf(values, n);
  }

  private long[] longArray() {
    c.startArray();
    long[] values = new long[64];
    int n = 0;
    while (c.nextElement()) {
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = c.longValue();
    }
    return Arrays.copyOf(values, n);
  }

  private int[] textCharsArray() {
    c.startArray();
    int[] values = new int[64];
    int n = 0;
    while (c.nextElement()) {
      int v = c.intValue();
      if (v < 0) {
        throw c.fail(c.where(), "negative text length " + v);
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = v;
    }
    return Arrays.copyOf(values, n);
  }

  private ChunkKind[] kindArray() {
    c.startArray();
    ChunkKind[] values = new ChunkKind[64];
    int n = 0;
    while (c.nextElement()) {
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = chunkKind(c.stringValue());
    }
    return Arrays.copyOf(values, n);
  }

  private ChunkKind chunkKind(String name) {
    for (ChunkKind k : ChunkKind.values()) {
      if (k.name().toLowerCase(Locale.ROOT).equals(name)) {
        return k;
      }
    }
    throw c.fail(c.where(), "unknown event kind \"" + Fmt.singleLine(name) + "\"");
  }

  private List<String> stringList() {
    c.startArray();
    List<String> values = new ArrayList<>();
    while (c.nextElement()) {
      values.add(c.stringValue());
    }
    return values;
  }

  private Map<String, String> stringMap() {
    c.startObject();
    Map<String, String> values = new LinkedHashMap<>();
    while (c.nextProperty()) {
      values.put(c.name(), c.nullableString());
    }
    return values;
  }

  private static String at(JacksonException e) {
    TokenStreamLocation loc = e.getLocation();
    if (loc == null || loc.getLineNr() < 1) {
      return "";
    }
    return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String reason(JacksonException e) {
    String m = e.getOriginalMessage();
    return Fmt.singleLine(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
  }
}
