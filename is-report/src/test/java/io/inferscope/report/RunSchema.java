package io.inferscope.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.inferscope.core.Failure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The report's JSON Schema, {@code docs/schema/run.schema.json}, generated from what {@link
 * ReportJson}'s mapper writes: its property names, after the mix-ins and the naming rule, for the
 * document type {@link RunDocument.Written}. One {@code $defs} entry per record type; every object
 * is closed ({@code additionalProperties: false}), every property required (the writer writes each
 * one, null when absent); a reference type may be null, a primitive may not (a double may: the
 * writer writes a value that is not finite as null).
 *
 * <p>Descriptions are the one hand-written part: the generator keeps every {@code description} of
 * the file it replaces, at the same place. {@code RunSchemaTest} fails when the file differs from
 * what this generates; {@code -Dinferscope.schema=write} rewrites it.
 */
final class RunSchema {

  static final String ID = "urn:inferscope:run-schema:" + RunDocument.SCHEMA_VERSION;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, ObjectNode> defs = new TreeMap<>();
  private final JsonNode previous;

  private RunSchema(JsonNode previous) {
    this.previous = previous;
  }

  /**
   * The schema.
   *
   * @param previous the file it replaces, whose descriptions are kept, or null
   */
  static ObjectNode generate(JsonNode previous) {
    RunSchema g = new RunSchema(previous);
    ObjectNode root = NODES.objectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$id", ID);
    root.put("title", "inferscope run");
    ObjectNode body = g.object(type(RunDocument.Written.class), "");
    root.setAll(body);
    ((ObjectNode) root.get("properties"))
        .set("schema_version", NODES.objectNode().put("const", RunDocument.SCHEMA_VERSION));
    ObjectNode defsNode = root.putObject("$defs");
    g.defs.forEach(defsNode::set);
    g.keepDescriptions(root, g.previous, "");
    ObjectNode ordered = NODES.objectNode();
    for (String first : List.of("$schema", "$id", "title", "description")) {
      if (root.has(first)) {
        ordered.set(first, root.remove(first));
      }
    }
    ordered.setAll(root);
    return ordered;
  }

  /** As the file is written: two-space indent, one array item a line, a final newline. */
  static String text(ObjectNode schema) {
    DefaultPrettyPrinter pp =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    return ReportJson.MAPPER.writer().with(pp).writeValueAsString(schema) + "\n";
  }

  private static JavaType type(Class<?> c) {
    return ReportJson.MAPPER.getTypeFactory().constructType(c);
  }

  /** The schema of a value of {@code t}; {@code nullable} adds null to it. */
  private ObjectNode value(JavaType t, boolean nullable) {
    Class<?> c = t.getRawClass();
    if (c == long.class || c == int.class) {
      return types("integer", false);
    }
    if (c == Long.class || c == Integer.class) {
      return types("integer", nullable);
    }
    if (c == double.class || c == Double.class) {
      return types("number", true); // not finite is written as null
    }
    if (c == boolean.class) {
      return types("boolean", false);
    }
    if (c == Boolean.class) {
      return types("boolean", nullable);
    }
    if (c == String.class) {
      return types("string", nullable);
    }
    if (c == Instant.class) {
      return types("string", nullable).put("format", "date-time");
    }
    if (t.isEnumType()) {
      ObjectNode n = NODES.objectNode();
      ArrayNode values = n.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(ReportJson.MAPPER.valueToTree(constant).asString());
      }
      if (nullable) {
        values.addNull();
      }
      return n;
    }
    if (t.isMapLikeType()) {
      ObjectNode n = types("object", nullable);
      n.set("additionalProperties", value(t.getContentType(), true));
      return n;
    }
    if (t.isCollectionLikeType() || t.isArrayType()) {
      ObjectNode n = types("array", nullable);
      n.set("items", value(t.getContentType(), true));
      return n;
    }
    if (c == Failure.class) {
      return ref(failure(), nullable);
    }
    return ref(record(t), nullable);
  }

  private static ObjectNode types(String type, boolean nullable) {
    ObjectNode n = NODES.objectNode();
    if (nullable) {
      n.putArray("type").add(type).add("null");
    } else {
      n.put("type", type);
    }
    return n;
  }

  private static ObjectNode ref(String def, boolean nullable) {
    ObjectNode r = NODES.objectNode().put("$ref", "#/$defs/" + def);
    if (!nullable) {
      return r;
    }
    ObjectNode n = NODES.objectNode();
    n.putArray("anyOf").add(r).add(NODES.objectNode().put("type", "null"));
    return n;
  }

  private String record(JavaType t) {
    String name = name(t.getRawClass());
    for (JavaType parameter : t.getBindings().getTypeParameters()) {
      name += "." + name(parameter.getRawClass()); // Timeline.GpuTick
    }
    if (!defs.containsKey(name)) {
      defs.put(name, NODES.objectNode()); // placeholder: a type is visited once
      defs.put(name, object(t, ""));
    }
    return name;
  }

  private static String name(Class<?> c) {
    String n = c.getName();
    return n.substring(n.lastIndexOf('.') + 1).replace('$', '.');
  }

  /** A closed object of the properties the mapper writes for {@code t}, each required. */
  private ObjectNode object(JavaType t, String kind) {
    List<BeanProperty> props = new ArrayList<>();
    ReportJson.MAPPER.acceptJsonFormatVisitor(
        t,
        new JsonFormatVisitorWrapper.Base() {
          @Override
          public JsonObjectFormatVisitor expectObjectFormat(JavaType type) {
            return new JsonObjectFormatVisitor.Base(getContext()) {
              @Override
              public void property(BeanProperty p) {
                props.add(p);
              }

              @Override
              public void optionalProperty(BeanProperty p) {
                props.add(p);
              }

              @Override
              public void property(String name, JsonFormatVisitable h, JavaType pt) {
                throw new IllegalStateException("unexpected property " + name + " of " + type);
              }
            };
          }
        });
    if (props.isEmpty()) {
      throw new IllegalStateException(t + " has no properties: map it in ReportJson");
    }
    ObjectNode n = NODES.objectNode();
    n.put("type", "object");
    ArrayNode required = n.putArray("required");
    ObjectNode properties = n.putObject("properties");
    if (!kind.isEmpty()) {
      required.add("kind");
      properties.set("kind", NODES.objectNode().put("const", kind));
    }
    for (BeanProperty p : props) {
      required.add(p.getName());
      properties.set(p.getName(), value(p.getType(), true));
    }
    n.put("additionalProperties", false);
    return n;
  }

  /** Failures: one closed object per kind, told apart by {@code kind}. */
  private String failure() {
    String name = "Failure";
    if (!defs.containsKey(name)) {
      defs.put(name, NODES.objectNode());
      ObjectNode n = NODES.objectNode();
      ArrayNode oneOf = n.putArray("oneOf");
      JsonSubTypes subtypes = ReportJson.FailureMixin.class.getAnnotation(JsonSubTypes.class);
      for (JsonSubTypes.Type s : subtypes.value()) {
        oneOf.add(object(type(s.value()), s.name()));
      }
      defs.put(name, n);
    }
    return name;
  }

  /** Copies every description of {@code from} to the same place in {@code to}, where it exists. */
  private void keepDescriptions(JsonNode to, JsonNode from, String at) {
    if (from == null || !(to instanceof ObjectNode target) || !from.isObject()) {
      return;
    }
    JsonNode d = from.get("description");
    if (d != null && d.isString()) {
      ObjectNode copy = NODES.objectNode();
      copy.set("description", d);
      copy.setAll(target);
      target.removeAll();
      target.setAll(copy);
    }
    for (Map.Entry<String, JsonNode> e : target.properties()) {
      JsonNode child = from.get(e.getKey());
      if (child != null && e.getValue().isObject()) {
        keepDescriptions(e.getValue(), child, at + "/" + e.getKey());
      } else if (child != null && e.getValue().isArray() && child.isArray()) {
        for (int i = 0; i < Math.min(e.getValue().size(), child.size()); i++) {
          keepDescriptions(e.getValue().get(i), child.get(i), at + "/" + e.getKey() + "/" + i);
        }
      }
    }
  }
}
