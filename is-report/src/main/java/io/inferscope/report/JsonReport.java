package io.inferscope.report;

import io.inferscope.core.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The machine-readable report: a whole run (settings, clock, every request with every event) as one
 * JSON document, schema version 1, plus the derived figures for convenience. A saved run reads back
 * into an equal {@link RunResult}, so it can be rendered again later; the derived figures are
 * recomputed then, never read.
 *
 * <p>Shape: {@code schema_version}, {@code tool {name, version}}, {@code run {mode, command_line,
 * url, endpoint, model, settings, clock {origin_wall, origin_nano_time}, end_ns, partial,
 * stop_reason, client}} ({@code client}: what inferscope itself cost during the run, null when not
 * measured), {@code requests [...]} with events as parallel arrays {@code at_ns}, {@code kind},
 * {@code text_chars} and, only when the engine stamped its events, {@code sent_ns} (null where an
 * event had no stamp), {@code hardware {engine_pid, process_tree, gpu_devices, gpu}} with every
 * process-tree and GPU sample (a timeline is null when not sampled, and carries {@code
 * unavailable_reason} when it could not be), and {@code metrics {...}}, whose {@code process_tree}
 * and {@code gpu} hold the hardware figures (GPU figures over the measured window). Names are
 * snake_case with the unit in the name; times are nanoseconds from the clock origin; absent values
 * are null, never 0. A document without {@code hardware} reads as a run that sampled nothing.
 */
public final class JsonReport {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** See {@link ReportPrettyPrinter}: the file is the same on every platform. */
  private static final ObjectWriter PRETTY = MAPPER.writer().with(new ReportPrettyPrinter());

  private JsonReport() {}

  /** The run as a pretty-printed JSON document. */
  public static String toJson(RunResult run) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = PRETTY.createGenerator(out)) {
      RunJsonWriter.write(run, g);
    }
    return out.toString();
  }

  /** Writes the run's JSON document to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(RunResult run, Path path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    try (JsonGenerator g = PRETTY.createGenerator(out)) {
      RunJsonWriter.write(run, g);
    }
    out.write('\n');
    AtomicFiles.write(path, out.toByteArray());
  }

  /**
   * Reads a run saved by {@link #write}.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the content is not a schema 1 report; the one-line
   *     message names the file, the field and the problem
   */
  public static RunResult read(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path);
        JsonParser p = MAPPER.createParser(in)) {
      return RunJsonReader.read(p, path.toString());
    } catch (JacksonIOException e) {
      IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e);
      throw new IOException("cannot read " + path + ": " + AtomicFiles.describe(cause), cause);
    }
  }

  /**
   * Reads a run from a JSON document.
   *
   * @throws IllegalArgumentException when the content is not a schema 1 report; the one-line
   *     message names the field and the problem
   */
  public static RunResult fromJson(String json) {
    try (JsonParser p = MAPPER.createParser(json)) {
      return RunJsonReader.read(p, "run JSON");
    }
  }
}
