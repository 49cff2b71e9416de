package io.inferscope.report;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import java.util.Arrays;
import java.util.Locale;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;

/**
 * A request's events as parallel columns, {@code at_ns}, {@code kind}, {@code text_chars} and
 * {@code sent_ns} (the engine's send stamps; null when the log has none, null items where an event
 * had none): one short line each instead of an object per event.
 *
 * <p>The baseline of {@link EventJsonBench}: the hand-streamed path the report used before its
 * events were bound like every other record, measured no faster (docs/benchmarks.md, "Report
 * JSON").
 */
final class EventLogJson {

  private EventLogJson() {}

  static final class Writer extends ValueSerializer<EventLog> {
    @Override
    public void serialize(EventLog ev, JsonGenerator g, SerializationContext ctxt) {
      int n = ev.size();
      g.writeStartObject();
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
      if (!ev.hasSentStamps()) {
        g.writeNullProperty("sent_ns");
      } else {
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
  }

  static final class Reader extends ValueDeserializer<EventLog> {
    @Override
    public EventLog deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        return (EventLog) ctxt.handleUnexpectedToken(EventLog.class, p);
      }
      long[] at = null;
      ChunkKind[] kinds = null;
      int[] chars = null;
      Long[] sent = null;
      boolean sentSeen = false;
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "at_ns" -> at = longs(p, ctxt, name);
          case "kind" -> kinds = kinds(p, ctxt);
          case "text_chars" -> chars = ints(p, ctxt, name);
          case "sent_ns" -> {
            sentSeen = true;
            sent = t == JsonToken.VALUE_NULL ? null : nullableLongs(p, ctxt, name);
          }
          default -> ctxt.handleUnknownProperty(p, this, EventLog.class, name);
        }
      }
      if (at == null || kinds == null || chars == null || !sentSeen) {
        return (EventLog)
            ctxt.reportInputMismatch(
                this, "events need at_ns, kind, text_chars and sent_ns (null when none)");
      }
      try {
        return EventLog.of(at, kinds, chars, sent);
      } catch (IllegalArgumentException e) {
        return (EventLog)
            ctxt.reportInputMismatch(
                this,
                "%s (at_ns %d, kind %d, text_chars %d%s)",
                e.getMessage(),
                at.length,
                kinds.length,
                chars.length,
                sent == null ? "" : ", sent_ns " + sent.length);
      }
    }

    private static void expectArray(JsonParser p, DeserializationContext ctxt, String name) {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        ctxt.reportInputMismatch(long[].class, "%s must be an array", name);
      }
    }

    private static long[] longs(JsonParser p, DeserializationContext ctxt, String name) {
      expectArray(p, ctxt, name);
      long[] out = new long[16];
      int n = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
          ctxt.reportInputMismatch(long[].class, "%s[%d] must be a whole number", name, n);
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = p.getLongValue();
      }
      return Arrays.copyOf(out, n);
    }

    private static int[] ints(JsonParser p, DeserializationContext ctxt, String name) {
      long[] l = longs(p, ctxt, name);
      int[] out = new int[l.length];
      for (int i = 0; i < l.length; i++) {
        if (l[i] < 0 || l[i] > EventLog.MAX_TEXT_CHARS) {
          ctxt.reportInputMismatch(int[].class, "%s[%d] out of range: %d", name, i, l[i]);
        }
        out[i] = (int) l[i];
      }
      return out;
    }

    private static Long[] nullableLongs(JsonParser p, DeserializationContext ctxt, String name) {
      expectArray(p, ctxt, name);
      Long[] out = new Long[16];
      int n = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NULL) {
          ctxt.reportInputMismatch(Long[].class, "%s[%d] must be a whole number or null", name, n);
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = t == JsonToken.VALUE_NULL ? null : p.getLongValue();
      }
      return Arrays.copyOf(out, n);
    }

    private static ChunkKind[] kinds(JsonParser p, DeserializationContext ctxt) {
      expectArray(p, ctxt, "kind");
      ChunkKind[] out = new ChunkKind[16];
      int n = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        ChunkKind k = null;
        String text = p.currentToken() == JsonToken.VALUE_STRING ? p.getString() : null;
        if (text != null) {
          try {
            k = ChunkKind.valueOf(text.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            // reported below
          }
        }
        if (k == null) {
          ctxt.reportInputMismatch(
              ChunkKind.class,
              "kind[%d]: unknown event kind %s (one of %s)",
              n,
              text == null ? p.currentToken() : "\"" + text + "\"",
              Arrays.toString(ChunkKind.values()).toLowerCase(Locale.ROOT));
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = k;
      }
      return Arrays.copyOf(out, n);
    }
  }
}
