package io.inferscope.report;

import io.inferscope.core.SweepAnalysis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.databind.ObjectWriter;

/**
 * The machine-readable report of a load sweep: what was swept, each level's figures and the knee,
 * as one JSON document ({@link SweepDocument}) with the run document's conventions: snake_case
 * names with the unit in the name, nanoseconds for times, null for absent. Published as a strict
 * JSON Schema, {@code docs/schema/sweep.schema.json}, versioned by {@code schema_version} ({@value
 * SweepDocument#SCHEMA_VERSION}). Figures only: each level's requests and samples belong in that
 * level's own run document ({@link JsonReport}).
 */
public final class SweepJson {

  /** The run document's layout: the same on every platform. */
  private static final ObjectWriter PRETTY =
      ReportJson.MAPPER.writer().with(new ReportPrettyPrinter());

  private SweepJson() {}

  /** The sweep as a pretty-printed JSON document. */
  public static String toJson(SweepAnalysis sweep) {
    return PRETTY.writeValueAsString(SweepDocument.of(sweep));
  }

  /** Writes the sweep's JSON document to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(SweepAnalysis sweep, Path path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 14);
    PRETTY.writeValue(out, SweepDocument.of(sweep));
    out.write('\n');
    AtomicFiles.write(path, out.toByteArray());
  }
}
