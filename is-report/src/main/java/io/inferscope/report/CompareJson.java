package io.inferscope.report;

import io.inferscope.core.RunComparison;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.databind.ObjectWriter;

/**
 * The machine-readable comparison of saved runs ({@link CompareDocument}), with the run document's
 * conventions: snake_case names, values in the unit each figure names ({@code nanos} for times),
 * null for absent. Published as a strict JSON Schema, {@code docs/schema/compare.schema.json},
 * versioned by {@code schema_version} ({@value CompareDocument#SCHEMA_VERSION}).
 */
public final class CompareJson {

  /** The run document's layout: the same on every platform. */
  private static final ObjectWriter PRETTY =
      ReportJson.MAPPER.writer().with(new ReportPrettyPrinter());

  private CompareJson() {}

  /**
   * The comparison as a pretty-printed JSON document.
   *
   * @param toolVersion the version of inferscope that compared the runs (each run keeps its own)
   */
  public static String toJson(RunComparison c, String toolVersion) {
    return PRETTY.writeValueAsString(CompareDocument.of(c, toolVersion));
  }

  /** Writes the comparison's JSON document to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(RunComparison c, String toolVersion, Path path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 14);
    PRETTY.writeValue(out, CompareDocument.of(c, toolVersion));
    out.write('\n');
    AtomicFiles.write(path, out.toByteArray());
  }
}
