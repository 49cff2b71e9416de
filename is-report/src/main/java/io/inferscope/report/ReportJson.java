package io.inferscope.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.Finding;
import io.inferscope.core.GpuMetrics;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.MeasuredRequest;
import io.inferscope.core.ProcessTreeMetrics;
import io.inferscope.core.ProcessTreeSeries;
import io.inferscope.core.RequestMetrics;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.RunPhaseKind;
import io.inferscope.core.RunPhases;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.TimeoutPhase;
import io.inferscope.core.TokenSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.util.StdConverter;

/**
 * How core's records become the report JSON and back: Jackson binds the records as they are, and
 * this class holds the few rules that make the file read well, so adding a record component adds
 * its field with no other edit here.
 *
 * <ul>
 *   <li>Names: snake_case with the unit shortened, {@code sendNanos} → {@code send_ns}, {@code
 *       promptMillis} → {@code prompt_ms}, {@code energyMillijoules} → {@code energy_mj}.
 *   <li>Numbers: a double in its shortest exact decimal form without an exponent ({@code
 *       45000000.0}, not {@code 4.5E7}); not finite (JSON has no NaN) → null.
 *   <li>Enums by their stable lower-case label.
 *   <li>A failure carries {@code kind} (its record type) and {@code code}.
 *   <li>Events are columns ({@link EventColumns}): a long run holds millions of them.
 *   <li>Derived series too long for a file (per-sample arrays, every chunk gap) are left out; the
 *       raw samples they come from are in the file.
 * </ul>
 *
 * Reading is strict: an unknown or missing property, or a null where a number must be, fails with
 * the path of the field.
 */
final class ReportJson {

  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(new UnitSnakeCase())
          .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .addModule(module())
          .addHandler(new DerivedCodeSkipped())
          .addMixIn(EventLog.class, EventLogMixin.class)
          .addMixIn(Failure.class, FailureMixin.class)
          .addMixIn(HardwareSamples.class, HardwareSamplesMixin.class)
          .addMixIn(ServerTimings.class, ServerTimingsMixin.class)
          .addMixIn(RunAnalysis.class, RunAnalysisMixin.class)
          .addMixIn(MeasuredRequest.class, MeasuredRequestMixin.class)
          .addMixIn(RequestMetrics.class, RequestMetricsMixin.class)
          .addMixIn(RunPhases.class, RunPhasesMixin.class)
          .addMixIn(ProcessTreeMetrics.class, ProcessTreeMetricsMixin.class)
          .addMixIn(io.inferscope.core.Correlation.class, CorrelationMixin.class)
          .addMixIn(RunPhaseKind.class, LabelMixin.class)
          .addMixIn(Finding.Severity.class, LabelMixin.class)
          .addMixIn(GpuMetrics.EnergySource.class, LabelMixin.class)
          .addMixIn(TimeoutPhase.class, CodeMixin.class)
          .addMixIn(TokenSource.class, CodeMixin.class)
          .build();

  private ReportJson() {}

  private static SimpleModule module() {
    SimpleModule m = new SimpleModule("inferscope-report");
    m.addSerializer(Double.class, new PlainDouble());
    m.addSerializer(double.class, new PlainDouble());
    m.addSerializer(Instant.class, new InstantText());
    m.addDeserializer(Instant.class, new InstantParse());
    return m;
  }

  /** camelCase to snake_case, the unit suffix shortened: one rule for every field. */
  static final class UnitSnakeCase extends PropertyNamingStrategies.NamingBase {
    @Override
    public String translate(String name) {
      StringBuilder b = new StringBuilder(name.length() + 8);
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (Character.isUpperCase(c)) {
          b.append(i == 0 ? "" : "_").append(Character.toLowerCase(c));
        } else {
          b.append(c);
        }
      }
      String s = b.toString();
      return s.replaceAll("_nanos$", "_ns")
          .replaceAll("_millis$", "_ms")
          .replaceAll("_millijoules$", "_mj");
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

  private static final class PlainDouble extends ValueSerializer<Double> {
    @Override
    public void serialize(Double d, JsonGenerator g, SerializationContext ctxt) {
      if (d == null || !Double.isFinite(d)) {
        g.writeNull();
      } else {
        g.writeNumber(plain(d));
      }
    }
  }

  /** Every nanosecond kept, so the clock's origin reads back exactly. */
  private static final class InstantText extends ValueSerializer<Instant> {
    @Override
    public void serialize(Instant i, JsonGenerator g, SerializationContext ctxt) {
      g.writeString(i.toString());
    }
  }

  private static final class InstantParse extends ValueDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      try {
        return Instant.parse(p.getString());
      } catch (java.time.format.DateTimeParseException e) {
        return (Instant)
            ctxt.reportInputMismatch(
                Instant.class, "not an ISO-8601 instant: \"%s\"", p.getString());
      }
    }
  }

  /**
   * A failure's {@code code} (and, for most kinds, its {@code detail}) is derived from its record,
   * written for readers and skipped on reading; every other unknown property still fails.
   */
  private static final class DerivedCodeSkipped extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        ValueDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName) {
      boolean failure =
          beanOrClass instanceof Failure
              || beanOrClass instanceof Class<?> c && Failure.class.isAssignableFrom(c);
      if (failure && ("code".equals(propertyName) || "detail".equals(propertyName))) {
        p.skipChildren();
        return true;
      }
      return false;
    }
  }

  // ---- mix-ins: the file's names and shape, kept out of core ----

  /**
   * A request's events as parallel columns, {@code at_ns}, {@code kind}, {@code text_chars} and
   * {@code sent_ns} (the engine's send stamps: null when the log has none, a null item where an
   * event had none): one short line each instead of an object per event. Bound like every other
   * record: a hand-streamed path was measured no faster on a million events (docs/benchmarks.md,
   * "Report JSON").
   */
  record EventColumns(long[] atNanos, ChunkKind[] kind, int[] textChars, Long[] sentNanos) {

    static EventColumns of(EventLog ev) {
      int n = ev.size();
      long[] at = new long[n];
      ChunkKind[] kinds = new ChunkKind[n];
      int[] chars = new int[n];
      Long[] sent = ev.hasSentStamps() ? new Long[n] : null;
      for (int i = 0; i < n; i++) {
        at[i] = ev.atNanos(i);
        kinds[i] = ev.kind(i);
        chars[i] = ev.textChars(i);
        if (sent != null && ev.hasSentNanos(i)) {
          sent[i] = ev.sentNanos(i);
        }
      }
      return new EventColumns(at, kinds, chars, sent);
    }

    EventLog toLog() {
      return EventLog.of(atNanos, kind, textChars, sentNanos);
    }
  }

  private static final class EventsToColumns extends StdConverter<EventLog, EventColumns> {
    @Override
    public EventColumns convert(EventLog ev) {
      return EventColumns.of(ev);
    }
  }

  private static final class ColumnsToEvents extends StdConverter<EventColumns, EventLog> {
    @Override
    public EventLog convert(EventColumns c) {
      return c.toLog();
    }
  }

  @JsonSerialize(converter = EventsToColumns.class)
  @JsonDeserialize(converter = ColumnsToEvents.class)
  private interface EventLogMixin {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Failure.Connect.class, name = "connect"),
    @JsonSubTypes.Type(value = Failure.Http.class, name = "http"),
    @JsonSubTypes.Type(value = Failure.Shed.class, name = "shed"),
    @JsonSubTypes.Type(value = Failure.StreamError.class, name = "stream_error"),
    @JsonSubTypes.Type(value = Failure.Truncated.class, name = "truncated"),
    @JsonSubTypes.Type(value = Failure.Malformed.class, name = "malformed"),
    @JsonSubTypes.Type(value = Failure.Timeout.class, name = "timeout"),
    @JsonSubTypes.Type(value = Failure.Cancelled.class, name = "cancelled"),
    @JsonSubTypes.Type(value = Failure.Client.class, name = "client")
  })
  interface FailureMixin {
    /** Written for readers (the grouping key); derived from the record, so not read back. */
    @JsonProperty("code")
    String code();

    /** Written for readers; read back only where it is the record's own field. */
    @JsonProperty("detail")
    String detail();
  }

  private interface HardwareSamplesMixin {
    @JsonIgnore
    boolean isEmpty();
  }

  private interface ServerTimingsMixin {
    @JsonIgnore
    Double predictedTokensPerSecond();
  }

  @JsonPropertyOrder({
    "window",
    "metrics",
    "phases",
    "correlation",
    "hardware",
    "findings",
    "token_rate",
    "per_request"
  })
  private interface RunAnalysisMixin {
    @JsonIgnore
    RunResult run();

    @JsonUnwrapped
    RunMetrics metrics();

    /** {@code steady_in_flight} and {@code phases} beside the figures they qualify. */
    @JsonUnwrapped
    RunPhases phases();

    @JsonProperty("per_request")
    java.util.List<MeasuredRequest> requests();
  }

  @JsonPropertyOrder({"id", "ok"})
  private interface MeasuredRequestMixin {
    @JsonIgnore
    RequestTrace trace();

    @JsonUnwrapped
    RequestMetrics metrics();

    @JsonProperty("id")
    int id();

    @JsonProperty("ok")
    boolean ok();
  }

  /** Every chunk gap of every request is in the events already. */
  @JsonIgnoreProperties("chunk_gaps_ns")
  private interface RequestMetricsMixin {}

  /** The in-flight series has two points per request; the phases are its summary. */
  @JsonIgnoreProperties("in_flight")
  private interface RunPhasesMixin {}

  /** Per-sample series are in the raw samples. */
  @JsonIgnoreProperties("series")
  private interface ProcessTreeMetricsMixin {
    @JsonIgnore
    ProcessTreeSeries series();
  }

  /** Per-request windows would repeat the request list; the pooled figures are kept. */
  @JsonIgnoreProperties("requests")
  private interface CorrelationMixin {}

  private interface LabelMixin {
    @JsonValue
    String label();
  }

  private interface CodeMixin {
    @JsonValue
    String code();
  }

  /** A Java type as a reader of the file says it, for one-line errors. */
  static String describe(Class<?> type) {
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type == Instant.class) {
      return "a string";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  /** A JSON token as a reader of the file says it, for one-line errors. */
  static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT, END_OBJECT -> "an object";
      case START_ARRAY, END_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a number with a fraction";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name().toLowerCase(Locale.ROOT);
    };
  }
}
