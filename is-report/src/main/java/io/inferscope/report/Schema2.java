package io.inferscope.report;

import io.inferscope.core.RunResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a report of schema 2 (inferscope before workloads and SLOs), 3 (before steps and prices) or
 * 4 (before host, shard and merge facts) by rewriting its tree into the current schema and binding
 * that: {@code run.slo}, {@code run.facts.workload}, {@code engine_metrics}, {@code run.price} and
 * {@code run.facts.host}, {@code .shard} and {@code .merge} were not written and become null,
 * {@code run.steps} empty. Schema 1 comes here after {@link Schema1} has made it schema 2.
 */
final class Schema2 {

  private Schema2() {}

  static RunResult read(JsonNode root, String source, String label) {
    if (!(root instanceof ObjectNode doc)) {
      throw new IllegalArgumentException(source + ": not a JSON object (an inferscope report)");
    }
    upgrade(doc);
    try {
      return ReportJson.MAPPER.treeToValue(doc, RunDocument.class).toRun();
    } catch (JacksonException e) {
      throw new IllegalArgumentException(JsonReport.oneLine(source + " (" + label + ")", e), e);
    }
  }

  /** Rewrites a schema 2 tree in place into the current schema. */
  static void upgrade(ObjectNode doc) {
    doc.put("schema_version", RunDocument.SCHEMA_VERSION);
    doc.remove("metrics");
    if (!doc.has("engine_metrics")) {
      doc.putNull("engine_metrics");
    }
    if (doc.get("run") instanceof ObjectNode run) {
      if (!run.has("slo")) {
        run.putNull("slo");
      }
      if (!run.has("steps")) {
        run.putArray("steps");
      }
      if (!run.has("price")) {
        run.putNull("price");
      }
      if (run.get("facts") instanceof ObjectNode facts) {
        for (String fact : new String[] {"workload", "host", "shard", "merge"}) {
          if (!facts.has(fact)) {
            facts.putNull(fact);
          }
        }
      }
    }
  }
}
