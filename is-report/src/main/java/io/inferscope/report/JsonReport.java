package io.inferscope.report;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.filter.FilteringParserDelegate;
import tools.jackson.core.filter.TokenFilter;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * The machine-readable report: a whole run (settings, facts, clock, every request with every event,
 * every hardware sample) as one JSON document, plus the run's {@link RunAnalysis} under {@code
 * metrics} for readers. A saved run reads back into an equal {@link RunResult}, so it can be
 * rendered again later; the analysis is derived anew then, never read.
 *
 * <p>The shape is the core records bound by Jackson ({@link RunDocument}, {@link ReportJson}) and
 * published as a strict JSON Schema, {@code docs/schema/run.schema.json}, versioned by {@code
 * schema_version} ({@value RunDocument#SCHEMA_VERSION}). Names are snake_case with the unit in the
 * name; times are nanoseconds from the clock origin; absent values are null, never 0. Files of
 * schemas 1 to 4 are read through {@link Schema1} and {@link Schema2}.
 */
public final class JsonReport {

  /** See {@link ReportPrettyPrinter}: the file is the same on every platform. */
  private static final ObjectWriter PRETTY =
      ReportJson.MAPPER.writer().with(new ReportPrettyPrinter());

  private JsonReport() {}

  /** The run as a pretty-printed JSON document. */
  public static String toJson(RunAnalysis analysis) {
    return PRETTY.writeValueAsString(RunDocument.of(analysis));
  }

  /** Writes the run's JSON document to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(RunAnalysis analysis, Path path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    PRETTY.writeValue(out, RunDocument.of(analysis));
    out.write('\n');
    AtomicFiles.write(path, out.toByteArray());
  }

  /**
   * Reads a run saved by {@link #write} or by an earlier version (schemas 1 to 4).
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the content is not a report this version reads; the
   *     one-line message names the file, the field and the problem
   */
  public static RunResult read(Path path) throws IOException {
    try {
      int version;
      try (InputStream in = Files.newInputStream(path)) {
        version = schemaVersion(in, path.toString());
      }
      try (InputStream in = Files.newInputStream(path)) {
        return bind(in, version, path.toString());
      }
    } catch (JacksonIOException e) {
      IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e);
      throw new IOException("cannot read " + path + ": " + AtomicFiles.describe(cause), cause);
    }
  }

  /**
   * The {@code schema_version} of a run saved by {@link #write} or an earlier version, read without
   * the rest of the file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not a report this version reads
   */
  public static int schemaVersion(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return schemaVersion(in, path.toString());
    } catch (JacksonIOException e) {
      IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e);
      throw new IOException("cannot read " + path + ": " + AtomicFiles.describe(cause), cause);
    }
  }

  /**
   * Reads a run from a JSON document.
   *
   * @throws IllegalArgumentException when the content is not a report this version reads
   */
  public static RunResult fromJson(String json) {
    byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      int version = schemaVersion(new java.io.ByteArrayInputStream(bytes), "run JSON");
      return bind(new java.io.ByteArrayInputStream(bytes), version, "run JSON");
    } catch (IOException e) {
      throw new IllegalStateException(e); // in memory: cannot happen
    }
  }

  private static RunResult bind(InputStream in, int version, String source) throws IOException {
    if (version < RunDocument.SCHEMA_VERSION) {
      tools.jackson.databind.JsonNode tree;
      try {
        tree = ReportJson.MAPPER.readTree(in);
      } catch (JacksonIOException e) {
        throw e;
      } catch (JacksonException e) {
        throw new IllegalArgumentException(oneLine(source, e), e);
      }
      // Their errors name the file and the schema.
      return version == 1
          ? Schema1.read(tree, source)
          : Schema2.read(tree, source, "schema " + version);
    }
    try {
      try (JsonParser p =
          new FilteringParserDelegate(
              ReportJson.MAPPER.createParser(in),
              new WithoutMetrics(),
              TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH,
              true)) {
        return ReportJson.MAPPER.readValue(p, RunDocument.class).toRun();
      }
    } catch (JacksonIOException e) {
      throw e;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(oneLine(source, e), e);
    } catch (IllegalArgumentException e) {
      // A core record's own check (e.g. an end before its send) names the problem.
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Leaves out the document's {@code metrics}: derived, so never read back, and not walked as a
   * tree either (a long run's per-request figures are large).
   */
  private static final class WithoutMetrics extends TokenFilter {
    private boolean root = true;

    @Override
    public TokenFilter filterStartObject() {
      if (root) {
        root = false;
        return this;
      }
      return TokenFilter.INCLUDE_ALL;
    }

    @Override
    public TokenFilter includeProperty(String name) {
      return "metrics".equals(name) ? null : TokenFilter.INCLUDE_ALL;
    }
  }

  /**
   * The document's {@code schema_version}. The writer puts it first, so it is read without reading
   * the rest; a document whose keys were reordered (e.g. by {@code jq -S}) is searched whole.
   */
  private static int schemaVersion(InputStream in, String source) throws IOException {
    try (JsonParser p = ReportJson.MAPPER.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            source + ": expected a JSON object, found " + ReportJson.describe(first));
      }
      String name = p.nextName();
      while (name != null && !"schema_version".equals(name)) {
        p.nextToken();
        p.skipChildren();
        name = p.nextName();
      }
      if (name == null) {
        throw new IllegalArgumentException(
            source + ": no schema_version: not an inferscope report");
      }
      JsonToken t = p.nextToken();
      int v = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
      if (v < 1 || v > RunDocument.SCHEMA_VERSION) {
        throw new IllegalArgumentException(
            source
                + ": schema_version "
                + p.getString()
                + " is not one this inferscope reads (1 to "
                + RunDocument.SCHEMA_VERSION
                + "): report it with the inferscope that wrote it");
      }
      return v;
    } catch (JacksonIOException e) {
      throw e;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(oneLine(source, e), e);
    }
  }

  /**
   * e.g. {@code run.json: requests[3].send_ns: expected an integer, found a string}: the source,
   * the field's path and the problem, in words rather than Jackson's.
   */
  static String oneLine(String source, JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    String original = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    int nl = original.indexOf('\n');
    original = nl < 0 ? original : original.substring(0, nl);
    java.util.regex.Matcher missing =
        java.util.regex.Pattern.compile("^Missing creator property '([^']+)'").matcher(original);
    String problem;
    String field = null; // the path's last name, when the problem names it again
    if (e instanceof UnrecognizedPropertyException u) {
      field = u.getPropertyName();
      problem =
          "unknown field "
              + u.getPropertyName()
              + " (schema "
              + RunDocument.SCHEMA_VERSION
              + " has no such field)";
    } else if (e instanceof InvalidTypeIdException t) {
      int known = original.indexOf("known type ids = ");
      int end = original.indexOf(']', known);
      problem =
          "unknown kind \""
              + t.getTypeId()
              + "\""
              + (known < 0 || end < 0
                  ? ""
                  : " (one of " + original.substring(known + 17, end + 1) + ")");
    } else if (original.startsWith("Trailing token")) {
      problem = "unexpected content after the top-level object";
    } else if (missing.find()) {
      field = missing.group(1);
      problem = "missing field " + field;
    } else if (e instanceof InvalidFormatException f
        && f.getTargetType() != null
        && f.getTargetType().isEnum()) {
      java.util.StringJoiner labels = new java.util.StringJoiner(", ");
      for (Object constant : f.getTargetType().getEnumConstants()) {
        labels.add(ReportJson.MAPPER.valueToTree(constant).asString());
      }
      problem = "unknown value \"" + f.getValue() + "\" (one of " + labels + ")";
    } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
      problem = e.getCause().getMessage(); // a core record's own check
    } else if (e instanceof MismatchedInputException m
        && m.getTargetType() != null
        && !m.getTargetType().isEnum()
        && (original.startsWith("Cannot deserialize") || original.startsWith("Cannot construct"))) {
      String found =
          m instanceof InvalidFormatException f && f.getValue() instanceof String
              ? "a string"
              : ReportJson.describe(m.getCurrentToken());
      problem = "expected " + ReportJson.describe(m.getTargetType()) + ", found " + found;
    } else if (e instanceof StreamReadException && e.getLocation() != null) {
      problem =
          "malformed JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + original;
    } else {
      problem = original;
    }
    String where = path.toString();
    if (field != null && where.endsWith(field)) {
      where = where.substring(0, Math.max(0, where.length() - field.length() - 1));
    }
    return source + ": " + (where.isEmpty() ? "" : where + ": ") + problem;
  }
}
