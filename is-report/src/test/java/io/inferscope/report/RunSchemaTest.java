package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published schema is exactly what the writer writes: generated from the mapper ({@link
 * RunSchema}), every object closed, and every property it names written, with a value, by a fully
 * populated run.
 */
class RunSchemaTest {

  private static final Path FILE = Path.of("..", "docs", "schema", "run.schema.json");

  /** Runs that together give every field a value: every failure kind, every fact, every figure. */
  static List<RunResult> fullyPopulated() {
    List<RequestTrace> traces = new ArrayList<>(Fixtures.standardTraces());
    traces.add(Fixtures.stamped(9, 850));
    traces.add(
        Fixtures.ok(16, false, 960, 0, 20, 3, 5, 3, new ServerTimings(5, 2.0, 3, 10.0, 0, 200.0)));
    traces.add(Fixtures.failed(10, 900, 1, null, new Failure.Connect("connection refused")));
    traces.add(Fixtures.failed(11, 910, 5, 200, new Failure.StreamError("out of memory")));
    traces.add(Fixtures.failed(12, 920, 5, 200, new Failure.Truncated("no [DONE]")));
    // failed after streaming: a partial request
    traces.add(
        Fixtures.failedAfterStreaming(
            Fixtures.ok(13, false, 930, 0, 20, 3, 5, null, null),
            new Failure.Malformed("bad JSON in chunk 4")));
    traces.add(Fixtures.failed(14, 940, 5, null, new Failure.Client("request body too large")));
    traces.add(
        Fixtures.failed(15, 950, 2, 429, new Failure.Shed(429, "slow down", 2_000_000_000L)));
    RunResult sampled =
        new RunResult(
                Fixtures.meta("m")
                    .withSlo(
                        new io.inferscope.core.Slo(
                            40 * Fixtures.MS, 2 * Fixtures.MS, 90 * Fixtures.MS))
                    .withSteps(
                        List.of(
                            new io.inferscope.core.Step("plan", List.of(1, 2, 99), null, null),
                            new io.inferscope.core.Step("act", null, 0L, 3000 * Fixtures.MS)))
                    .withPrice(io.inferscope.core.Price.perHour(2.5)),
                Fixtures.clock(),
                traces,
                3000 * Fixtures.MS,
                true,
                "interrupted by SIGINT",
                Fixtures.hardware(),
                new ClientOverhead(12.5, 2, 3_000_000L, 1_000_000L, 4, 2_000_000L, 500_000L))
            .withFacts(
                new RunFacts(
                    16,
                    RunFacts.ConnectionReuse.PER_REQUEST,
                    new RunFacts.EngineProcess("--pid", null),
                    new RunFacts.Workload(
                        RunFacts.WorkloadSource.MOONCAKE,
                        "trace.jsonl",
                        12,
                        1,
                        RunFacts.TokenCounting.ENGINE_TOKENIZER,
                        700.5,
                        120.0,
                        64,
                        11)));
    sampled = sampled.withEngineMetrics(engineMetrics());
    // Shard 0 of 3 (ADR 0019); merged with a shard 1 of another URL, shard 2 missing.
    sampled =
        sampled.withFacts(
            sampled
                .facts()
                .withHost(new RunFacts.Host("pod-0", "3f1c-boot", 1_250))
                .withShard(
                    new RunFacts.Shard(
                        0, 3, java.time.Instant.parse("2025-06-01T12:00:00Z"), 350_000L)));
    RunResult other = Fixtures.standardRun();
    other =
        other
            .withMeta(
                new io.inferscope.core.RunMeta(
                    "0.1.0",
                    "run",
                    List.of("run", "--shard", "1/3"),
                    "http://10.0.0.2:8000",
                    "chat",
                    "m",
                    Map.of("concurrency", "3")))
            .withFacts(
                other
                    .facts()
                    .withHost(new RunFacts.Host("pod-1", "3f1c-boot", 900))
                    .withShard(new RunFacts.Shard(1, 3, null, null)));
    RunResult merged =
        io.inferscope.core.RunMerge.of(
            List.of(
                new io.inferscope.core.RunMerge.Input("shard-0.json", 5, sampled),
                new io.inferscope.core.RunMerge.Input("shard-1.json", 5, other)),
            true,
            "0.1.0",
            List.of("merge", "shard-0.json", "shard-1.json", "--force"));
    RunResult wrapper =
        Fixtures.run(Fixtures.standardTraces(), HardwareJsonTest.wrapperOnIdleGpu())
            .withFacts(
                new RunFacts(
                    null, null, new RunFacts.EngineProcess(null, "switched off (--no-process)")));
    wrapper =
        wrapper.withMeta(
            wrapper
                .meta()
                .withSteps(List.of(new io.inferscope.core.Step("all", null, 0L, Long.MAX_VALUE))));
    RunResult unavailable =
        Fixtures.run(
            Fixtures.standardTraces(),
            new io.inferscope.core.HardwareSamples(
                4242,
                io.inferscope.core.Timeline.unavailable("proc", 500 * Fixtures.MS, "PID 4242 gone"),
                List.of(),
                io.inferscope.core.Timeline.unavailable(
                    "nvml", 500 * Fixtures.MS, "libnvidia-ml.so.1 not found")));
    unavailable =
        unavailable.withMeta(unavailable.meta().withPrice(io.inferscope.core.Price.perKwh(0.3)));
    // Sample-only: the GPU window is the sampling span, and a device read after the tick began
    // has its first moment held at its nearest power reading.
    return List.of(sampled, wrapper, unavailable, Fixtures.sampleOnly(Fixtures.hardware()), merged);
  }

  /** Three reads of a vLLM engine: gauges, counters that rise and one that resets. */
  static io.inferscope.core.EngineMetrics engineMetrics() {
    List<io.inferscope.core.EngineSeries> series =
        List.of(
            new io.inferscope.core.EngineSeries(
                "vllm:num_requests_running", "engine=\"0\"", "gauge"),
            new io.inferscope.core.EngineSeries(
                "vllm:num_requests_waiting", "engine=\"0\"", "gauge"),
            new io.inferscope.core.EngineSeries(
                "vllm:kv_cache_usage_perc", "engine=\"0\"", "gauge"),
            new io.inferscope.core.EngineSeries("vllm:generation_tokens_total", "", "counter"),
            new io.inferscope.core.EngineSeries("vllm:prompt_tokens_total", "", "counter"),
            new io.inferscope.core.EngineSeries("vllm:prefix_cache_queries_total", "", "counter"),
            new io.inferscope.core.EngineSeries("vllm:prefix_cache_hits_total", "", "counter"),
            new io.inferscope.core.EngineSeries("vllm:num_preemptions_total", "", "counter"),
            new io.inferscope.core.EngineSeries(
                "vllm:spec_decode_num_draft_tokens_total", "", "counter"),
            new io.inferscope.core.EngineSeries(
                "vllm:spec_decode_num_accepted_tokens_total", "", "counter"),
            new io.inferscope.core.EngineSeries(
                "vllm:lora_requests_info",
                "max_lora=\"1\",running_lora_adapters=\"sql\",waiting_lora_adapters=\"chat\"",
                "gauge"));
    List<io.inferscope.core.EngineScrape> reads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      long t = (100 + 120L * i) * Fixtures.MS;
      reads.add(
          new io.inferscope.core.EngineScrape(
              t,
              t + 2 * Fixtures.MS,
              java.util.Arrays.asList(
                  (double) Math.min(i, 4),
                  (double) i,
                  i / 10.0,
                  i == 6 ? 5.0 : 100.0 * i,
                  50.0 * i,
                  40.0 * i,
                  10.0 * i,
                  (double) i,
                  20.0 * i,
                  15.0 * i,
                  1.7e9 + i),
              i == 3 ? 1 : 0));
    }
    return new io.inferscope.core.EngineMetrics(
        "http://127.0.0.1:8000/metrics",
        io.inferscope.core.EngineKind.VLLM,
        series,
        new io.inferscope.core.Timeline<>("engine-metrics", 1_000_000_000L, reads, null),
        1,
        2);
  }

  /** The generated schema as a validator of documents read by Jackson 2, the validator's own. */
  private static JsonSchema validator() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(RunSchema.text(RunSchema.generate(null)));
  }

  static com.fasterxml.jackson.databind.JsonNode jackson2(String json) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
  }

  private static JsonNode document(RunResult run) {
    return ReportJson.MAPPER.readTree(JsonReport.toJson(RunAnalysis.of(run)));
  }

  @Test
  void theFileIsWhatTheMapperWrites() throws Exception {
    JsonNode previous = Files.exists(FILE) ? ReportJson.MAPPER.readTree(FILE.toFile()) : null;
    String generated = RunSchema.text(RunSchema.generate(previous));
    if (Boolean.getBoolean("inferscope.schema.write")) {
      Files.writeString(FILE, generated);
    }
    assertThat(Files.readString(FILE))
        .as(
            "docs/schema/run.schema.json is stale: run RunSchemaTest with -Dinferscope.schema.write")
        .isEqualTo(generated);
  }

  @Test
  void everyObjectIsClosedAndEveryPropertyRequired() {
    JsonNode schema = RunSchema.generate(null);
    List<JsonNode> objects = new ArrayList<>();
    collectObjects(schema, objects);
    assertThat(objects).hasSizeGreaterThan(30);
    for (JsonNode o : objects) {
      JsonNode extra = o.get("additionalProperties");
      assertThat(extra).as("additionalProperties of %s", o).isNotNull();
      if (o.has("properties")) {
        assertThat(extra.isBoolean() && !extra.asBoolean()).as("%s", o).isTrue();
        Set<String> required = new TreeSet<>();
        o.get("required").forEach(r -> required.add(r.asString()));
        assertThat(required).isEqualTo(new TreeSet<>(o.get("properties").propertyNames()));
      }
    }
  }

  @Test
  void aFullyPopulatedRunValidatesAndGivesEveryPropertyAValue() throws Exception {
    JsonSchema validator = validator();
    JsonNode schema = RunSchema.generate(null);
    Set<String> valued = new TreeSet<>();
    for (RunResult run : fullyPopulated()) {
      String json = JsonReport.toJson(RunAnalysis.of(run));
      assertThat(validator.validate(jackson2(json))).as(run.toString()).isEmpty();
      walk(schema, schema, document(run), "", valued);
    }
    Set<String> named = new TreeSet<>();
    named(schema, named);
    named.removeAll(valued);
    assertThat(named).as("named by the schema, never written with a value").isEmpty();
  }

  @Test
  void aPropertyTheSchemaLacksFailsValidation() throws Exception {
    JsonSchema validator = validator();
    ObjectNode doc = (ObjectNode) document(fullyPopulated().getFirst());
    ((ObjectNode) doc.get("metrics").get("hardware").get("gpu")).put("new_figure", 1);
    assertThat(validator.validate(jackson2(doc.toString())))
        .anySatisfy(m -> assertThat(m.getMessage()).contains("new_figure"));
  }

  static void collectObjects(JsonNode n, List<JsonNode> out) {
    if (n.isObject()) {
      JsonNode type = n.get("type");
      boolean object =
          type != null
              && (type.isString()
                  ? type.asString().equals("object")
                  : type.toString().contains("\"object\""));
      if (object) {
        out.add(n);
      }
      n.values().forEach(v -> collectObjects(v, out));
    } else if (n.isArray()) {
      n.forEach(v -> collectObjects(v, out));
    }
  }

  /**
   * Every property the schema names, as {@code Def.property} (the document's own as {@code .p}).
   */
  static void named(JsonNode schema, Set<String> out) {
    schema.get("properties").propertyNames().forEach(p -> out.add("." + p));
    for (Map.Entry<String, JsonNode> def : schema.get("$defs").properties()) {
      List<JsonNode> variants = new ArrayList<>();
      if (def.getValue().has("oneOf")) {
        def.getValue().get("oneOf").forEach(variants::add);
      } else {
        variants.add(def.getValue());
      }
      for (JsonNode v : variants) {
        String kind = v.path("properties").path("kind").path("const").asString("");
        v.path("properties")
            .propertyNames()
            .forEach(p -> out.add(def.getKey() + (kind.isEmpty() ? "" : "/" + kind) + "." + p));
      }
    }
  }

  /** Records, as {@link #named} names them, each property met with a value in {@code doc}. */
  static void walk(JsonNode root, JsonNode s, JsonNode doc, String def, Set<String> out) {
    if (doc == null || doc.isNull()) {
      return;
    }
    if (s.has("$ref")) {
      String name = s.get("$ref").asString().substring("#/$defs/".length());
      walk(root, root.get("$defs").get(name), doc, name, out);
      return;
    }
    if (s.has("anyOf")) {
      walk(root, s.get("anyOf").get(0), doc, def, out);
      return;
    }
    if (s.has("oneOf")) {
      for (JsonNode v : s.get("oneOf")) {
        if (v.get("properties")
            .get("kind")
            .get("const")
            .asString()
            .equals(doc.get("kind").asString())) {
          walk(root, v, doc, def + "/" + doc.get("kind").asString(), out);
        }
      }
      return;
    }
    if (s.has("properties") && doc.isObject()) {
      for (Map.Entry<String, JsonNode> p : s.get("properties").properties()) {
        JsonNode value = doc.get(p.getKey());
        if (value != null && !value.isNull() && !(value.isContainer() && value.isEmpty())) {
          out.add(def + "." + p.getKey());
        }
        walk(root, p.getValue(), value, "", out);
      }
    } else if (s.has("items") && doc.isArray()) {
      doc.forEach(e -> walk(root, s.get("items"), e, "", out));
    } else if (s.get("additionalProperties") instanceof ObjectNode values && doc.isObject()) {
      doc.values().forEach(v -> walk(root, values, v, "", out));
    }
  }
}
