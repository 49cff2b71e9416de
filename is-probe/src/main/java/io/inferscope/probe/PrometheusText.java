package io.inferscope.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parser of the Prometheus text exposition format (0.0.4) and of OpenMetrics text (1.0), as
 * engines serve them at {@code /metrics}: comments ({@code # HELP}, {@code # TYPE}, {@code # UNIT},
 * {@code # EOF}), samples {@code name{label="value",...} value [timestamp]}, label values with
 * {@code \\}, {@code \"} and {@code \n} escapes, {@code NaN}, {@code +Inf} and {@code -Inf}, and
 * OpenMetrics exemplars ({@code # {...} value}), which are dropped. A line that does not parse is
 * counted and skipped, never fatal: an engine's odd line must not cost the rest of its view.
 *
 * <p>Written here rather than taken from a library: the maintained Java Prometheus client
 * (prometheus/client_java) writes expositions but has no parser of them; see ADR 0014.
 */
public final class PrometheusText {

  private PrometheusText() {}

  /**
   * One sample.
   *
   * @param name the series name, e.g. {@code vllm:num_requests_running} or {@code x_bucket}
   * @param labels its labels as {@code k="v",k="v"} sorted by name (empty for none), so one series
   *     has one key however the engine orders them
   * @param value its value (NaN and infinities as given)
   */
  public record Sample(String name, String labels, double value) {
    /** {@code name{labels}}, or the name alone without labels. */
    public String key() {
      return labels.isEmpty() ? name : name + "{" + labels + "}";
    }
  }

  /**
   * A parsed exposition.
   *
   * @param samples every sample, in order
   * @param types the declared type of each metric family ({@code counter}, {@code gauge}, {@code
   *     histogram}, {@code summary}, {@code untyped}, OpenMetrics' {@code info}, {@code stateset},
   *     ...), by family name
   * @param malformedLines lines skipped because they did not parse
   */
  public record Exposition(List<Sample> samples, Map<String, String> types, int malformedLines) {
    public Exposition {
      samples = List.copyOf(samples);
      types = Map.copyOf(types);
    }

    /**
     * The declared type of {@code sampleName}'s family: its own, or that of the name without a
     * {@code _bucket}, {@code _sum}, {@code _count}, {@code _total}, {@code _created}, {@code
     * _gcount} or {@code _gsum} suffix; {@code untyped} when none was declared.
     */
    public String typeOf(String sampleName) {
      String t = types.get(sampleName);
      if (t != null) {
        return t;
      }
      for (String suffix : SUFFIXES) {
        if (sampleName.endsWith(suffix)) {
          t = types.get(sampleName.substring(0, sampleName.length() - suffix.length()));
          if (t != null) {
            return t;
          }
        }
      }
      return "untyped";
    }
  }

  private static final String[] SUFFIXES = {
    "_bucket", "_sum", "_count", "_total", "_created", "_gcount", "_gsum"
  };

  /** Parses {@code text}; never throws on content. */
  public static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    int malformed = 0;
    int start = 0;
    int n = text.length();
    while (start < n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      String line = text.substring(start, end);
      start = end + 1;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank()) {
        continue;
      }
      if (line.charAt(0) == '#') {
        comment(line, types);
        continue;
      }
      Sample s = sample(line);
      if (s == null) {
        malformed++;
      } else {
        samples.add(s);
      }
    }
    return new Exposition(samples, types, malformed);
  }

  private static void comment(String line, Map<String, String> types) {
    // "# TYPE name type"; HELP, UNIT and EOF carry nothing the view uses.
    String[] parts = line.substring(1).strip().split("\\s+", 3);
    if (parts.length == 3 && parts[0].equals("TYPE")) {
      types.put(parts[1], parts[2].strip().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** One sample line, or null when it does not parse. */
  static Sample sample(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    String name = line.substring(0, i);
    TreeMap<String, String> labels = new TreeMap<>();
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
          i++;
        }
        if (i >= n) {
          return null;
        }
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        int ls = i;
        while (i < n && isNameChar(line.charAt(i), i == ls)) {
          i++;
        }
        if (i == ls) {
          return null;
        }
        String key = line.substring(ls, i);
        while (i < n && line.charAt(i) == ' ') {
          i++;
        }
        if (i + 1 >= n || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
          return null;
        }
        i += 2;
        StringBuilder v = new StringBuilder();
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '\\') {
            if (i >= n) {
              return null;
            }
            char e = line.charAt(i++);
            v.append(e == 'n' ? '\n' : e);
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            v.append(c);
          }
        }
        if (!closed || labels.put(key, v.toString()) != null) {
          return null; // unterminated, or a label given twice
        }
      }
    }
    if (i >= n || (line.charAt(i) != ' ' && line.charAt(i) != '\t')) {
      return null;
    }
    String rest = line.substring(i).strip();
    int exemplar = rest.indexOf(" #");
    if (exemplar >= 0) {
      rest = rest.substring(0, exemplar).strip();
    }
    String[] fields = rest.split("\\s+");
    if (fields.length < 1 || fields.length > 2 || fields[0].isEmpty()) {
      return null;
    }
    Double value = number(fields[0]);
    if (value == null || (fields.length == 2 && number(fields[1]) == null)) {
      return null;
    }
    return new Sample(name, labelText(labels), value);
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  private static Double number(String s) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf", "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return null;
        }
    }
  }

  private static String labelText(TreeMap<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(e.getKey()).append("=\"");
      String v = e.getValue();
      for (int k = 0; k < v.length(); k++) {
        char c = v.charAt(k);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '"' -> sb.append("\\\"");
          case '\n' -> sb.append("\\n");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    }
    return sb.toString();
  }
}
