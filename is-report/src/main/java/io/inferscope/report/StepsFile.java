package io.inferscope.report;

import io.inferscope.core.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a steps file: JSON Lines, one labelled step per line, which names its requests by id
 * ({@code {"label":"turn 1","requests":[0,1,2]}}), by an inclusive id range ({@code {"label":"turn
 * 2","first_request":3,"last_request":5}}) or by the span their sends fall in, in seconds on the
 * run's clock as the HTML timeline shows it ({@code {"label":"warm","start_s":0,"end_s":12.5}}).
 * Blank lines and lines starting with {@code #} are skipped. Request ids are the run's ({@code
 * requests[].id} in its JSON), warm-up ones included.
 */
public final class StepsFile {

  private static final Set<String> FIELDS =
      Set.of("label", "requests", "first_request", "last_request", "start_s", "end_s");

  private StepsFile() {}

  /**
   * The steps in file order.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static List<Step> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1) + ": ";
      try {
        steps.add(step(ReportJson.MAPPER.readTree(line), where));
      } catch (JacksonException e) {
        throw new IllegalArgumentException(
            where + "not JSON (" + Fmt.singleLine(e.getOriginalMessage()) + ")", e);
      }
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException(
          file
              + ": no step in it (one JSON object per line, e.g. {\"label\":\"turn 1\","
              + "\"requests\":[0,1]})");
    }
    return steps;
  }

  private static Step step(JsonNode n, String where) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(where + "a step is a JSON object, got " + n);
    }
    for (String name : n.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            where + "unknown field \"" + name + "\" (fields: " + String.join(", ", FIELDS) + ")");
      }
    }
    JsonNode label = n.get("label");
    if (label == null || !label.isString() || label.asString().isBlank()) {
      throw new IllegalArgumentException(where + "needs a \"label\" (a non-empty string)");
    }
    boolean byList = n.has("requests");
    boolean byRange = n.has("first_request") || n.has("last_request");
    boolean byTime = n.has("start_s") || n.has("end_s");
    if ((byList ? 1 : 0) + (byRange ? 1 : 0) + (byTime ? 1 : 0) != 1) {
      throw new IllegalArgumentException(
          where
              + "give exactly one of \"requests\" (ids), \"first_request\"+\"last_request\" or"
              + " \"start_s\"+\"end_s\"");
    }
    try {
      if (byList) {
        JsonNode ids = n.get("requests");
        if (!ids.isArray() || ids.isEmpty()) {
          throw new IllegalArgumentException(where + "\"requests\" must be a non-empty id list");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode id : ids) {
          out.add(id(id, where, "requests"));
        }
        return new Step(label.asString(), out, null, null);
      }
      if (byRange) {
        int first = id(n.get("first_request"), where, "first_request");
        int last = id(n.get("last_request"), where, "last_request");
        if (last < first) {
          throw new IllegalArgumentException(where + "last_request is before first_request");
        }
        List<Integer> out = new ArrayList<>();
        for (int id = first; id <= last; id++) {
          out.add(id);
        }
        return new Step(label.asString(), out, null, null);
      }
      double start = seconds(n.get("start_s"), where, "start_s");
      double end = seconds(n.get("end_s"), where, "end_s");
      return new Step(label.asString(), null, Math.round(start * 1e9), Math.round(end * 1e9));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(where)
          ? e
          : new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static int id(JsonNode v, String where, String field) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
      throw new IllegalArgumentException(
          where + "\"" + field + "\" must hold request ids (integers from 0)");
    }
    return v.asInt();
  }

  private static double seconds(JsonNode v, String where, String field) {
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new IllegalArgumentException(
          where + "\"" + field + "\" must be seconds on the run's clock (a number)");
    }
    return v.asDouble();
  }
}
