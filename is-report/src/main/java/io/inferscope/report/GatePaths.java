package io.inferscope.report;

import io.inferscope.core.Failure;
import io.inferscope.core.RunAnalysis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;

/**
 * The paths a gate rule may name: the report document's {@code metrics} (the run's {@link
 * RunAnalysis}) and {@code run} sections, as {@link ReportJson}'s mapper writes them. The shape is
 * taken from the mapper itself, the same view the published schema is generated from, so a path is
 * checked before any run and a renamed field cannot leave a rule silently unchecked.
 *
 * <p>A path is read in {@code metrics} unless it starts with {@code run.} (or {@code metrics.}). A
 * name may leave out its unit ({@code ttft} for {@code ttft_ns}, {@code completeness} for {@code
 * completeness_percent}) when one field matches, and three short names stand for one path each:
 * {@link #ALIASES}.
 */
final class GatePaths {

  /** Short names, each for exactly one path, taken only as a path's first name. */
  static final Map<String, String> ALIASES =
      Map.of(
          "gpu", "hardware.gpu.devices[*]",
          "goodput_ratio", "goodput.met_ratio",
          "itl", "chunk_itl_ns");

  /** Unit suffixes a name may leave out. */
  private static final List<String> SUFFIXES =
      List.of("ns", "ms", "percent", "ratio", "watts", "bytes", "joules", "celsius", "mhz");

  /** What is at a path. */
  sealed interface Shape {}

  /**
   * A record.
   *
   * @param type its simple class name ({@code Summary})
   * @param properties its fields as written, in order
   */
  record Obj(String type, Map<String, Shape> properties) implements Shape {}

  /** A list. */
  record Arr(Shape item) implements Shape {}

  /** A map with keys of the run's own (failure codes, device indexes). */
  record Dict(Shape value) implements Shape {}

  /** A number. */
  record Num() implements Shape {}

  /** Text, a flag or a label: not a figure a rule can compare. */
  record Other(String what) implements Shape {}

  /** One step of a path. */
  sealed interface Step {}

  /** A field or map key. */
  record Key(String name) implements Step {}

  /** One element of a list. */
  record Index(int index) implements Step {}

  /** Every element of a list: the rule must hold for each. */
  record Each() implements Step {}

  /**
   * A path resolved against the shape.
   *
   * @param canonical the path in full, e.g. {@code metrics.ttft_ns.p99}
   * @param steps from the document's top
   * @param unit the figure's unit
   */
  record Resolved(String canonical, List<Step> steps, Gate.FigureUnit unit) {
    boolean each() {
      return steps.stream().anyMatch(s -> s instanceof Each);
    }
  }

  /** The document's top as far as rules go: {@code metrics} and {@code run}. */
  static final Obj ROOT = buildRoot();

  private static final Pattern SEGMENT =
      Pattern.compile("([A-Za-z0-9_-]+)(?:\\[(\\d{1,9}|\\*)\\])?");

  private GatePaths() {}

  /**
   * Resolves {@code path} as written in a rule.
   *
   * @throws GateInputException naming the nearest valid paths, or what the path names instead of a
   *     figure
   */
  static Resolved resolve(String path) {
    String written = path;
    List<String> segments = new ArrayList<>(List.of(written.split("\\.", -1)));
    Shape node = ROOT;
    StringBuilder where = new StringBuilder();
    List<Step> steps = new ArrayList<>();
    boolean inMetrics = segments.size() > 1 && segments.getFirst().equals("metrics");
    if (inMetrics) {
      segments.removeFirst();
    }
    if (ALIASES.containsKey(segments.getFirst())) {
      String alias = ALIASES.get(segments.removeFirst());
      segments.addAll(0, List.of(alias.split("\\.")));
    }
    if (inMetrics || !segments.getFirst().equals("run")) {
      segments.addFirst("metrics");
    }
    String parentKey = null;
    String key = null;
    Shape parent = null;
    for (String segment : segments) {
      Matcher m = SEGMENT.matcher(segment);
      if (!m.matches()) {
        throw new GateInputException(
            0,
            "'"
                + written
                + "' is not a path: names of letters, digits and _, joined by dots, each with an"
                + " optional [N] or [*], e.g. ttft.p99 or gpu.power.mean");
      }
      String name = m.group(1);
      String index = m.group(2);
      String at = where.isEmpty() ? "the report" : where.toString();
      Shape child;
      switch (node) {
        case Obj o -> {
          String k = key(o, name);
          if (k == null) {
            throw unknown(written, at, o);
          }
          child = o.properties().get(k);
          name = k;
        }
        case Dict d -> child = d.value();
        case Arr a ->
            throw new GateInputException(
                0,
                at
                    + " is a list: give an index, e.g. "
                    + lastName(at)
                    + "[0] or "
                    + lastName(at)
                    + "[*] (every element)");
        default ->
            throw new GateInputException(0, at + " is a single value: it has no field " + name);
      }
      parentKey = key;
      key = name;
      parent = node;
      steps.add(new Key(name));
      where.append(where.isEmpty() ? "" : ".").append(name);
      if (index != null) {
        if (!(child instanceof Arr a)) {
          throw new GateInputException(0, where + " is not a list: leave out [" + index + "]");
        }
        steps.add(index.equals("*") ? new Each() : new Index(Integer.parseInt(index)));
        where.append('[').append(index).append(']');
        child = a.item();
      }
      node = child;
    }
    String canonical = where.toString();
    switch (node) {
      case Num n -> {
        // A figure's unit is in its name (ttft_ns); a summary's statistics but count share the
        // summary's, a map's values the map's.
        Gate.FigureUnit unit = unitOf(key);
        if (unit == Gate.FigureUnit.NONE
            && parent instanceof Obj o
            && o.type().equals("Summary")
            && !key.equals("count")) {
          unit = unitOf(parentKey);
        } else if (unit == Gate.FigureUnit.NONE && parent instanceof Dict) {
          unit = unitOf(parentKey);
        }
        return new Resolved(canonical, List.copyOf(steps), unit);
      }
      case Obj o ->
          throw new GateInputException(
              0,
              canonical
                  + " is a group of figures: name one of "
                  + String.join(", ", figures(o))
                  + ", e.g. "
                  + written
                  + "."
                  + figures(o).getLast());
      case Arr a ->
          throw new GateInputException(
              0, canonical + " is a list: give an index, e.g. " + written + "[0] or [*]");
      case Dict d ->
          throw new GateInputException(
              0, canonical + " is a map: give a key, e.g. " + written + ".KEY");
      case Other o ->
          throw new GateInputException(0, canonical + " is " + o.what() + ", not a figure");
    }
  }

  /** The field {@code name} names in {@code o}: itself, or the one field of it plus a unit. */
  private static String key(Obj o, String name) {
    if (o.properties().containsKey(name)) {
      return name;
    }
    String found = null;
    for (String suffix : SUFFIXES) {
      String k = name + "_" + suffix;
      if (o.properties().containsKey(k)) {
        if (found != null) {
          return null; // two would match: the name must say which
        }
        found = k;
      }
    }
    return found;
  }

  private static String lastName(String at) {
    int dot = at.lastIndexOf('.');
    return at.substring(dot + 1);
  }

  /** The unit a field's name gives: its last unit word, e.g. cpu_percent_mean is in percent. */
  static Gate.FigureUnit unitOf(String key) {
    if (key == null) {
      return Gate.FigureUnit.NONE;
    }
    String[] words = key.split("_");
    for (int i = words.length - 1; i >= 0; i--) {
      switch (words[i]) {
        case "ns" -> {
          return Gate.FigureUnit.NANOS;
        }
        case "ms" -> {
          return Gate.FigureUnit.MILLIS;
        }
        case "percent" -> {
          return Gate.FigureUnit.PERCENT;
        }
        case "ratio" -> {
          return Gate.FigureUnit.RATIO;
        }
        default -> {
          // not a unit word
        }
      }
    }
    return Gate.FigureUnit.NONE;
  }

  /** The numeric fields of a record, for a message. */
  private static List<String> figures(Obj o) {
    List<String> names = new ArrayList<>();
    o.properties()
        .forEach(
            (k, v) -> {
              if (v instanceof Num || v instanceof Obj) {
                names.add(k);
              }
            });
    return names.isEmpty() ? List.copyOf(o.properties().keySet()) : names;
  }

  private static GateInputException unknown(String written, String at, Obj o) {
    List<String> near = nearest(written, 3);
    return new GateInputException(
        0,
        "no figure "
            + written
            + " in the report"
            + (near.isEmpty()
                ? " (" + at + " has " + String.join(", ", figures(o)) + ")"
                : ": nearest " + String.join(", ", near))
            + "; every figure: docs/schema/run.schema.json");
  }

  /** Every path of a figure, {@code run.}-prefixed or read in metrics, lists as {@code [*]}. */
  static List<String> all() {
    List<String> out = new ArrayList<>();
    Obj root = ROOT;
    walk(
        root.properties().get("metrics"),
        "",
        out,
        java.util.Collections.newSetFromMap(new IdentityHashMap<>()),
        0);
    walk(
        root.properties().get("run"),
        "run",
        out,
        java.util.Collections.newSetFromMap(new IdentityHashMap<>()),
        0);
    return out;
  }

  private static void walk(Shape s, String at, List<String> out, Set<Obj> stack, int depth) {
    if (depth > 12) {
      return;
    }
    switch (s) {
      case Num n -> out.add(at);
      case Obj o -> {
        if (!stack.add(o)) {
          return;
        }
        o.properties()
            .forEach((k, v) -> walk(v, at.isEmpty() ? k : at + "." + k, out, stack, depth + 1));
        stack.remove(o);
      }
      case Arr a -> walk(a.item(), at + "[*]", out, stack, depth + 1);
      case Dict d -> walk(d.value(), at + ".KEY", out, stack, depth + 1);
      case Other o -> {
        // not a figure
      }
    }
  }

  /** Up to {@code n} paths nearest to {@code written} by edit distance, in full or unit-less. */
  static List<String> nearest(String written, int n) {
    String w = written.replaceFirst("^metrics\\.", "").replaceAll("\\[\\d+]", "[*]");
    record Scored(String path, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String p : all()) {
      int d = Math.min(distance(w, p), distance(w, unitless(p)));
      scored.add(new Scored(p, d));
    }
    int limit = Math.max(2, w.length() / 3);
    return scored.stream()
        .filter(s -> s.distance() <= limit)
        .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::path))
        .limit(n)
        .map(Scored::path)
        .toList();
  }

  private static String unitless(String path) {
    StringBuilder b = new StringBuilder();
    for (String segment : path.split("\\.")) {
      String s = segment;
      for (String suffix : SUFFIXES) {
        s = s.replaceFirst("_" + suffix + "(?=$|\\[)", "");
      }
      b.append(b.isEmpty() ? "" : ".").append(s);
    }
    return b.toString();
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Obj buildRoot() {
    Map<String, Obj> records = new LinkedHashMap<>();
    Map<String, Shape> top = new LinkedHashMap<>();
    top.put("metrics", shape(type(RunAnalysis.class), records));
    top.put("run", shape(type(RunDocument.RunSection.class), records));
    return new Obj("RunDocument", top);
  }

  private static JavaType type(Class<?> c) {
    return ReportJson.MAPPER.getTypeFactory().constructType(c);
  }

  /** The shape of a value of {@code t}, as the mapper writes it. */
  private static Shape shape(JavaType t, Map<String, Obj> records) {
    Class<?> c = t.getRawClass();
    if (c == long.class
        || c == int.class
        || c == double.class
        || Number.class.isAssignableFrom(c)) {
      return new Num();
    }
    if (c == boolean.class || c == Boolean.class) {
      return new Other("true or false");
    }
    if (c == String.class || c == Instant.class || t.isEnumType()) {
      return new Other("text");
    }
    if (t.isMapLikeType()) {
      return new Dict(shape(t.getContentType(), records));
    }
    if (t.isCollectionLikeType() || t.isArrayType()) {
      return new Arr(shape(t.getContentType(), records));
    }
    if (Failure.class.isAssignableFrom(c)) {
      return new Other("a failure");
    }
    String name = t.toCanonical();
    Obj known = records.get(name);
    if (known != null) {
      return known;
    }
    Map<String, Shape> properties = new LinkedHashMap<>();
    Obj o = new Obj(c.getSimpleName(), properties);
    records.put(name, o); // before its fields: a type that holds itself ends here
    for (BeanProperty p : properties(t)) {
      properties.put(p.getName(), shape(p.getType(), records));
    }
    return o;
  }

  private static List<BeanProperty> properties(JavaType t) {
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
                // Not produced by the records' serializers.
              }
            };
          }
        });
    return props;
  }
}
