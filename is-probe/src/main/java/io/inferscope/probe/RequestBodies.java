package io.inferscope.probe;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** The URL and the JSON body of the requests a {@link LoadSpec} describes. */
final class RequestBodies {
  private static final JsonFactory JSON = new JsonFactory();

  private RequestBodies() {}

  /**
   * The engine root: the base URL without a trailing {@code /} and without a trailing {@code /v1},
   * so both {@code http://h:8080} and {@code http://h:8080/v1/} work.
   */
  static String root(URI baseUrl) {
    String s = baseUrl.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith("/v1")) {
      s = s.substring(0, s.length() - 3);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  static String url(URI baseUrl, Endpoint endpoint) {
    return root(baseUrl) + endpoint.path();
  }

  /**
   * The fields of {@code extraBodyJson} in order, each as its JSON text; a later duplicate wins.
   * Empty for null or blank.
   *
   * @throws IllegalArgumentException with a one-line message when it is not one JSON object
   */
  static Map<String, String> extraFields(String extraBodyJson) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (extraBodyJson == null || extraBodyJson.isBlank()) {
      return fields;
    }
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), extraBodyJson)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            "extra body JSON must be a JSON object {...}, got: "
                + Excerpts.oneLine(extraBodyJson, 80));
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
          g.copyCurrentStructure(p);
        }
        fields.remove(name);
        fields.put(name, w.toString());
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(
            "extra body JSON has data after its object: " + Excerpts.oneLine(extraBodyJson, 80));
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "extra body JSON is not valid JSON: " + Excerpts.oneLine(e.getOriginalMessage(), 120));
    }
    return fields;
  }

  /**
   * The body of a request sending {@code item}. Our fields come first; an extra field of the same
   * name replaces ours and the rest follow in their order. The item's {@code max_tokens} replaces
   * the run's; the workload's {@code ignore_eos} is sent unless the extra body sets one.
   */
  static byte[] body(LoadSpec spec, Map<String, String> extra, WorkItem item) {
    return body(spec, extra, item, 0);
  }

  /** {@link #body(LoadSpec, Map, WorkItem)} with generated text drawn under {@code salt}. */
  static byte[] body(LoadSpec spec, Map<String, String> extra, WorkItem item, long salt) {
    String text =
        item.prompt() instanceof Prompt.Messages ? null : PromptText.render(item.prompt(), salt);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(256 + (text == null ? 256 : text.length()));
    Integer maxTokens = item.maxTokens() != null ? item.maxTokens() : spec.maxTokens();
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartObject();
      if (spec.model() != null && !extra.containsKey("model")) {
        g.writeName("model");
        g.writeString(spec.model());
      }
      if (spec.endpoint() == Endpoint.CHAT) {
        if (!extra.containsKey("messages")) {
          g.writeName("messages");
          if (item.prompt() instanceof Prompt.Messages m) {
            g.writeRawValue(m.messagesJson());
          } else {
            g.writeStartArray();
            g.writeStartObject();
            g.writeName("role");
            g.writeString("user");
            g.writeName("content");
            g.writeString(text);
            g.writeEndObject();
            g.writeEndArray();
          }
        }
      } else if (!extra.containsKey("prompt")) {
        if (text == null) {
          // Checked when the workload is read: messages need the chat endpoint.
          throw new IllegalArgumentException("chat messages need the chat endpoint");
        }
        g.writeName("prompt");
        g.writeString(text);
      }
      if (!extra.containsKey("stream")) {
        g.writeName("stream");
        g.writeBoolean(true);
      }
      if (maxTokens != null && !extra.containsKey("max_tokens")) {
        g.writeName("max_tokens");
        g.writeNumber(maxTokens);
      }
      if (spec.workload().ignoreEos() && !extra.containsKey("ignore_eos")) {
        g.writeName("ignore_eos");
        g.writeBoolean(true);
      }
      if (spec.includeUsage() && !extra.containsKey("stream_options")) {
        g.writeName("stream_options");
        g.writeStartObject();
        g.writeName("include_usage");
        g.writeBoolean(true);
        g.writeEndObject();
      }
      for (Map.Entry<String, String> e : extra.entrySet()) {
        g.writeName(e.getKey());
        g.writeRawValue(e.getValue());
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}
