package io.inferscope.report;

import io.inferscope.core.RunResult;
import java.util.Iterator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a report of schema 1 (inferscope before typed run facts and GPU ticks) by rewriting its
 * tree into schema 2 and reading that as {@link Schema2} does, so every run saved before still
 * renders.
 *
 * <ul>
 *   <li>The settings {@code host_cpus}, {@code connection_reuse} and {@code engine_process} become
 *       {@code run.facts}.
 *   <li>GPU samples were written flattened; a tick read the devices in rising index order, so a
 *       tick ends where the index stops rising. That guess exists only here: schema 2 keeps ticks.
 *   <li>Absent {@code client}, {@code hardware}, {@code sent_ns} and a shed failure's {@code
 *       retry_after_ns} and the server's {@code predicted_per_second} become null or empty; {@code
 *       metrics} is not read.
 * </ul>
 */
final class Schema1 {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Schema1() {}

  static RunResult read(JsonNode root, String source) {
    if (!(root instanceof ObjectNode doc)) {
      throw new IllegalArgumentException(source + ": not a JSON object (an inferscope report)");
    }
    doc.remove("metrics");
    if (doc.get("run") instanceof ObjectNode run) {
      facts(run);
      if (!run.has("client")) {
        run.putNull("client");
      }
    }
    if (doc.get("requests") instanceof ArrayNode requests) {
      for (JsonNode r : requests) {
        request(r);
      }
    }
    JsonNode hw = doc.get("hardware");
    if (hw == null || hw.isNull()) {
      ObjectNode none = doc.putObject("hardware");
      none.putNull("engine_pid");
      none.putNull("process_tree");
      none.putArray("gpu_devices");
      none.putNull("gpu");
    } else if (hw.get("gpu") instanceof ObjectNode gpu
        && gpu.get("samples") instanceof ArrayNode s) {
      gpu.set("samples", ticks(s));
    }
    return Schema2.read(doc, source, "schema 1");
  }

  private static void facts(ObjectNode run) {
    ObjectNode facts = run.putObject("facts");
    JsonNode settings = run.get("settings");
    ObjectNode s = settings instanceof ObjectNode o ? o : NODES.objectNode();
    JsonNode cpus = s.remove("host_cpus");
    Integer hostCpus = null;
    if (cpus != null && cpus.isString()) {
      try {
        int n = Integer.parseInt(cpus.asString().trim());
        hostCpus = n > 0 ? n : null;
      } catch (NumberFormatException e) {
        hostCpus = null;
      }
    }
    if (hostCpus == null) {
      facts.putNull("host_cpus");
    } else {
      facts.put("host_cpus", hostCpus);
    }
    JsonNode reuse = s.remove("connection_reuse");
    if (reuse == null || !reuse.isString()) {
      facts.putNull("connection_reuse");
    } else {
      facts.put("connection_reuse", reuse.asString().equals("pooled") ? "pooled" : "per_request");
    }
    JsonNode engine = s.remove("engine_process");
    if (engine == null || !engine.isString()) {
      facts.putNull("engine_process");
    } else {
      ObjectNode e = facts.putObject("engine_process");
      boolean none = engine.asString().equals("not sampled");
      e.put("found_by", none ? null : engine.asString());
      e.put("not_sampled_reason", none ? "not sampled" : null);
    }
  }

  private static void request(JsonNode r) {
    if (r.get("events") instanceof ObjectNode ev && !ev.has("sent_ns")) {
      ev.putNull("sent_ns");
    }
    if (r.get("server_timings") instanceof ObjectNode st && !st.has("predicted_per_second")) {
      st.putNull("predicted_per_second");
    }
    // A failure's code and derived detail are skipped on reading, as in schema 2 (ReportJson).
    if (r.get("failure") instanceof ObjectNode f
        && "shed".equals(f.path("kind").asString(""))
        && !f.has("retry_after_ns")) {
      f.putNull("retry_after_ns");
    }
  }

  /**
   * Regroups flattened GPU samples into ticks: each device was stamped at its own read, in rising
   * index order, so a tick ends where the device index stops rising.
   */
  static ArrayNode ticks(ArrayNode flat) {
    ArrayNode ticks = NODES.arrayNode();
    ArrayNode devices = null;
    long lastIndex = Long.MAX_VALUE;
    for (Iterator<JsonNode> it = flat.iterator(); it.hasNext(); ) {
      JsonNode n = it.next();
      if (!(n instanceof ObjectNode s)) {
        continue;
      }
      JsonNode device = s.remove("device");
      long index = device == null ? -1 : device.asLong();
      s.set("device_index", device);
      if (devices == null || index <= lastIndex) {
        ObjectNode tick = ticks.addObject();
        tick.set("at_ns", s.get("at_ns"));
        devices = tick.putArray("devices");
      }
      devices.add(s);
      lastIndex = index;
    }
    return ticks;
  }
}
