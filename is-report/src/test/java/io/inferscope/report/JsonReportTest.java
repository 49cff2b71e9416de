package io.inferscope.report;

import static io.inferscope.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.ClientOverhead;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.TimeoutPhase;
import io.inferscope.core.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class JsonReportTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @TempDir Path dir;

  private static JsonNode tree(RunResult run) {
    return MAPPER.readTree(JsonReport.toJson(RunAnalysis.of(run)));
  }

  @Test
  void roundTripIsExact() {
    RunResult run = Fixtures.standardRun();
    RunResult back = JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)));
    assertThat(back).isEqualTo(run);
    assertThat(back.clock().originWall())
        .isEqualTo(Instant.parse("2025-06-01T12:00:00.123456789Z"));
    assertThat(back.traces().get(4).events()).isEqualTo(run.traces().get(4).events());
    assertThat(RunAnalysis.of(back).metrics().ttftNanos())
        .isEqualTo(RunAnalysis.of(run).metrics().ttftNanos());
  }

  @Test
  void sentStampsAreNullWhenAbsentAndReadBackExactly() {
    JsonNode plain = tree(Fixtures.standardRun());
    for (JsonNode r : plain.get("requests")) {
      assertThat(r.get("events").get("sent_ns").isNull()).isTrue();
    }
    assertThat(plain.get("metrics").get("observation_delay_ns").isNull()).isTrue();

    List<RequestTrace> traces = new ArrayList<>(Fixtures.standardTraces());
    traces.add(Fixtures.stamped(9, 800));
    RunResult run = Fixtures.run(traces);
    RunResult back = JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)));
    assertThat(back).isEqualTo(run);
    assertThat(back.traces().get(9).events().hasSentStamps()).isTrue();
    assertThat(back.traces().get(1).events().hasSentStamps()).isFalse();
    JsonNode doc = tree(run);
    JsonNode sent = doc.get("requests").get(9).get("events").get("sent_ns");
    assertThat(sent.size()).isEqualTo(5);
    assertThat(sent.get(0).isNull()).isTrue();
    assertThat(sent.get(1).asLong()).isEqualTo(800 * MS + 39 * MS);
    assertThat(sent.get(4).isNull()).isTrue();
    assertThat(doc.get("requests").get(1).get("events").get("sent_ns").isNull()).isTrue();
    JsonNode delay = doc.get("metrics").get("observation_delay_ns");
    assertThat(delay.get("count").asInt()).isEqualTo(3);
    assertThat(delay.get("min").asDouble()).isEqualTo(1.0 * MS);
    assertThat(delay.get("max").asDouble()).isEqualTo(3.0 * MS);
  }

  @Test
  void roundTripKeepsEveryFailureKindAndEveryNullableField() {
    long s = 10 * MS;
    List<RequestTrace> traces = new ArrayList<>();
    Failure[] failures = {
      new Failure.Connect("connection refused"),
      new Failure.Connect(null),
      new Failure.Http(500, null),
      new Failure.Http(400, "bad \"request\"\nline two"),
      new Failure.Shed(429, "slow down"),
      new Failure.StreamError("model crashed"),
      new Failure.Truncated("stream ended without [DONE]"),
      new Failure.Malformed("bad JSON in chunk 3"),
      new Failure.Timeout(TimeoutPhase.IDLE, 1_500_000_001L),
      new Failure.Cancelled("run time up"),
      new Failure.Client("NullPointerException in parser"),
    };
    for (int i = 0; i < failures.length; i++) {
      traces.add(Fixtures.failed(i, 10 + i, 5, i % 2 == 0 ? null : 502, failures[i]));
    }
    EventLog big =
        new EventLog.Builder()
            .add(s + 1, ChunkKind.KEEP_ALIVE, 0)
            .add(s + 2, ChunkKind.ERROR, 0)
            .add(s + 3, ChunkKind.EMPTY, 0)
            .add(s + 4, ChunkKind.CONTENT, EventLog.MAX_TEXT_CHARS)
            .build();
    traces.add(
        new RequestTrace(
            99,
            true,
            s - 7,
            s,
            null,
            s + 9,
            null,
            big,
            new Usage(null, 3, null, null, 1),
            new ServerTimings(null, 0.1 + 0.2, 7, null, null),
            null,
            null));
    RunResult run =
        new RunResult(
            Fixtures.meta(null),
            new RunClock(-5, Instant.parse("1999-12-31T23:59:59.000000001Z")),
            traces,
            Long.MAX_VALUE,
            true,
            "engine lost: connection reset");
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)))).isEqualTo(run);
  }

  @Test
  void roundTripsThroughAFile() throws IOException {
    RunResult run = Fixtures.standardRun();
    Path file = dir.resolve("out/run.json");
    JsonReport.write(RunAnalysis.of(run), file);
    assertThat(Files.readString(file)).endsWith("}\n");
    assertThat(JsonReport.read(file)).isEqualTo(run);
  }

  @Test
  void documentHasTheDocumentedShape() {
    JsonNode root = tree(Fixtures.standardRun());
    assertThat(root.get("schema_version").asInt()).isEqualTo(5);
    assertThat(root.properties().iterator().next().getKey()).isEqualTo("schema_version");
    assertThat(root.get("tool").get("name").asString()).isEqualTo("inferscope");
    assertThat(root.get("tool").get("version").asString()).isEqualTo("0.1.0");

    JsonNode run = root.get("run");
    assertThat(run.get("mode").asString()).isEqualTo("run");
    assertThat(run.get("command_line").get(2).asString()).isEqualTo("--url");
    assertThat(run.get("endpoint").asString()).isEqualTo("chat");
    assertThat(run.get("settings").get("concurrency").asString()).isEqualTo("4");
    assertThat(run.get("clock").get("origin_wall").asString())
        .isEqualTo("2025-06-01T12:00:00.123456789Z");
    assertThat(run.get("clock").get("origin_nano_time").asLong()).isEqualTo(987_654_321_000L);
    assertThat(run.get("end_ns").asLong()).isEqualTo(3000 * MS);
    assertThat(run.get("partial").asBoolean()).isFalse();
    assertThat(run.get("stop_reason").isNull()).isTrue();

    JsonNode warmup = root.get("requests").get(0);
    assertThat(warmup.get("warmup").asBoolean()).isTrue();
    JsonNode events = warmup.get("events");
    assertThat(events.get("kind").get(0).asString()).isEqualTo("role");
    assertThat(events.get("kind").get(1).asString()).isEqualTo("content");
    assertThat(events.get("kind").get(events.get("kind").size() - 1).asString()).isEqualTo("done");
    assertThat(events.get("at_ns").get(0).asLong()).isEqualTo(5 * MS);
    assertThat(events.get("text_chars").get(1).asInt()).isEqualTo(3);
    assertThat(events.get("at_ns").size())
        .isEqualTo(events.get("kind").size())
        .isEqualTo(events.get("text_chars").size());

    JsonNode first = root.get("requests").get(1);
    assertThat(first.get("usage").get("completion_tokens").asInt()).isEqualTo(4);
    assertThat(first.get("server_timings").get("prompt_ms").asDouble()).isEqualTo(8.5);
    assertThat(first.get("finish_reason").asString()).isEqualTo("stop");
    assertThat(first.get("failure").isNull()).isTrue();
    assertThat(root.get("requests").get(4).get("events").get("kind").get(1).asString())
        .isEqualTo("reasoning");
  }

  @Test
  void failuresCarryCodeKindDetailAndTheirOwnFields() {
    JsonNode requests = tree(Fixtures.standardRun()).get("requests");
    JsonNode http = requests.get(5).get("failure");
    assertThat(http.get("code").asString()).isEqualTo("http_500");
    assertThat(http.get("kind").asString()).isEqualTo("http");
    assertThat(http.get("detail").asString()).isEqualTo("HTTP 500: internal error");
    assertThat(http.get("status").asInt()).isEqualTo(500);
    assertThat(http.get("body_excerpt").asString()).isEqualTo("internal error");
    assertThat(requests.get(6).get("failure").get("kind").asString()).isEqualTo("shed");

    JsonNode timeout = requests.get(7);
    assertThat(timeout.get("failure").get("code").asString()).isEqualTo("timeout_first_byte");
    assertThat(timeout.get("failure").get("phase").asString()).isEqualTo("first_byte");
    assertThat(timeout.get("failure").get("limit_ns").asLong()).isEqualTo(2000 * MS);
    // Never arrived: null, not 0.
    assertThat(timeout.get("headers_ns").isNull()).isTrue();
    assertThat(timeout.get("http_status").isNull()).isTrue();
    assertThat(timeout.get("usage").isNull()).isTrue();
    assertThat(timeout.get("server_timings").isNull()).isTrue();
    assertThat(timeout.get("events").get("at_ns").size()).isZero();
    assertThat(requests.get(8).get("failure").get("kind").asString()).isEqualTo("cancelled");
  }

  @Test
  void metricsCarryHandComputedFigures() {
    JsonNode m = tree(Fixtures.standardRun()).get("metrics");
    assertThat(m.get("requests").asInt()).isEqualTo(8);
    assertThat(m.get("ok").asInt()).isEqualTo(4);
    assertThat(m.get("failed").asInt()).isEqualTo(3);
    assertThat(m.get("cancelled").asInt()).isEqualTo(1);
    assertThat(m.get("failures_by_code").get("http_500").asInt()).isEqualTo(1);
    assertThat(m.get("failures_by_code").get("cancelled").asInt()).isEqualTo(1);
    assertThat(m.get("failure_examples").get("shed_503").asString())
        .isEqualTo("shed by server, HTTP 503: overloaded");
    assertThat(m.get("completeness_percent").asDouble()).isEqualTo(50.0);
    assertThat(m.get("window_ns").asLong()).isEqualTo(2600 * MS);
    // TTFT of the completed requests: 30, 40, 50, 60 ms.
    JsonNode ttft = m.get("ttft_ns");
    assertThat(ttft.get("count").asInt()).isEqualTo(4);
    assertThat(ttft.get("p50").asDouble()).isEqualTo(45.0 * MS);
    assertThat(ttft.get("min").asDouble()).isEqualTo(30.0 * MS);
    assertThat(ttft.get("max").asDouble()).isEqualTo(60.0 * MS);
    assertThat(ttft.get("p99").asDouble()).isCloseTo(59.7 * MS, within(1e-3));
    assertThat(m.get("first_content_ns").get("p50").asDouble()).isEqualTo(55.0 * MS);
    assertThat(m.get("tpot_ns").get("mean").asDouble()).isEqualTo(10.5 * MS);
    assertThat(m.get("output_tokens_total").asLong()).isEqualTo(18);
    assertThat(m.get("text_chunks_total").asLong()).isEqualTo(16);
    assertThat(m.get("usage_tokens_total").asLong()).isEqualTo(18);
    assertThat(m.get("usage_chunk_mismatches").asInt()).isEqualTo(1);
    assertThat(m.get("server_prompt_ms").get("p50").asDouble()).isEqualTo(9.0);
    assertThat(m.get("output_tokens_per_second").asDouble()).isCloseTo(18 / 2.6, within(1e-9));
    for (String key :
        List.of(
            "ttft_from_intended_ns",
            "e2e_ns",
            "e2e_from_intended_ns",
            "send_lag_ns",
            "decode_tokens_per_second",
            "chunk_itl_ns",
            "output_tokens_per_request",
            "server_decode_tokens_per_second")) {
      assertThat(m.get(key).isObject()).as(key).isTrue();
    }

    ArrayNode perRequest = (ArrayNode) m.get("per_request");
    assertThat(perRequest.size()).isEqualTo(8); // measured only: the warm-up is left out
    JsonNode r4 = perRequest.get(3);
    assertThat(r4.get("id").asInt()).isEqualTo(4);
    assertThat(r4.get("ttft_ns").asLong()).isEqualTo(30 * MS);
    assertThat(r4.get("e2e_ns").asLong()).isEqualTo(94 * MS);
    assertThat(r4.get("tpot_ns").asDouble()).isEqualTo(12.0 * MS);
    assertThat(r4.get("output_tokens").asInt()).isEqualTo(6);
    assertThat(r4.get("token_source").asString()).isEqualTo("usage");
    assertThat(r4.get("text_chunks").asInt()).isEqualTo(4);
    JsonNode timedOut = perRequest.get(6);
    assertThat(timedOut.get("ok").asBoolean()).isFalse();
    assertThat(timedOut.get("ttft_ns").isNull()).isTrue();
    assertThat(timedOut.get("tpot_ns").isNull()).isTrue();
  }

  @Test
  void doublesAreWrittenWithoutExponentAndReadBackExactly() {
    assertThat(ReportJson.plain(4.5e7)).isEqualTo("45000000.0");
    assertThat(ReportJson.plain(1.1180339887498949e7)).isEqualTo("11180339.887498949");
    assertThat(ReportJson.plain(123.5)).isEqualTo("123.5");
    assertThat(ReportJson.plain(-2.5e9)).isEqualTo("-2500000000.0");
    assertThat(ReportJson.plain(1e-5)).isEqualTo("1.0E-5");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 10_000; i++) {
      double d = Math.scalb(random.nextDouble(), random.nextInt(80) - 10);
      assertThat(Double.parseDouble(ReportJson.plain(d))).isEqualTo(d);
    }
    assertThat(JsonReport.toJson(RunAnalysis.of(Fixtures.standardRun())))
        .contains("\"p50\": 45000000.0");
    RequestTrace t =
        Fixtures.ok(
            1, false, 0, 0, 40, 2, 10, 2, new ServerTimings(1, 1.2345678912345e8, 2, 3e-4, 0));
    RunResult run = Fixtures.run(List.of(t));
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)))).isEqualTo(run);
  }

  @Test
  void absentFiguresAreNullAndNonFiniteNumbersAreNeverWritten() {
    RequestTrace single =
        Fixtures.ok(
            0, false, 0, 0, 40, 1, 10, null, new ServerTimings(3, Double.NaN, 1, 0.0, null));
    RunResult run = Fixtures.run(List.of(single));
    String json = JsonReport.toJson(RunAnalysis.of(run));
    assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    JsonNode root = MAPPER.readTree(json);
    JsonNode m = root.get("metrics");
    assertThat(m.get("tpot_ns").isNull()).isTrue();
    assertThat(m.get("decode_tokens_per_second").isNull()).isTrue();
    assertThat(m.get("chunk_itl_ns").isNull()).isTrue();
    assertThat(m.get("usage_tokens_total").isNull()).isTrue();
    assertThat(m.get("server_decode_tokens_per_second").isNull()).isTrue();
    // A NaN server time is not a sample: the summary is absent.
    assertThat(m.get("server_prompt_ms").isNull()).isTrue();
    assertThat(root.get("requests").get(0).get("server_timings").get("prompt_ms").isNull())
        .isTrue();
    assertThat(root.get("requests").get(0).get("usage").isNull()).isTrue();

    RunResult empty = Fixtures.run(List.of());
    JsonNode e = tree(empty).get("metrics");
    assertThat(e.get("completeness_percent").isNull()).isTrue();
    assertThat(e.get("window_ns").isNull()).isTrue();
    assertThat(e.get("ttft_ns").isNull()).isTrue();
    assertThat(e.get("requests_per_second").isNull()).isTrue();
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(empty)))).isEqualTo(empty);
  }

  @Test
  void unknownFieldsAreRefusedByPathAndDerivedFiguresAreNotRead() {
    RunResult run = Fixtures.standardRun();
    ObjectNode root = (ObjectNode) tree(run);
    ((ObjectNode) root.get("metrics")).put("ok", 12345).put("future_figure", 1);
    RunResult back = JsonReport.fromJson(MAPPER.writeValueAsString(root));
    assertThat(back).isEqualTo(run);
    assertThat(RunAnalysis.of(back).metrics().ok()).isEqualTo(4);

    ((ObjectNode) root.get("run")).put("new_setting", true);
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root)))
        .hasMessage("run JSON: run: unknown field new_setting (schema 5 has no such field)");
    ObjectNode deep = (ObjectNode) tree(run);
    ((ObjectNode) deep.get("requests").get(1).get("events")).putArray("bytes").add(1);
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(deep)))
        .hasMessageStartingWith("run JSON: requests[1].events: unknown field bytes");
  }

  @Test
  void otherSchemaVersionIsRefusedInOneLine() {
    ObjectNode root = (ObjectNode) tree(Fixtures.standardRun());
    root.put("schema_version", 6);
    String json = MAPPER.writeValueAsString(root);
    assertThatThrownBy(() -> JsonReport.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "run JSON: schema_version 6 is not one this inferscope reads (1 to 5):"
                + " report it with the inferscope that wrote it");

    root.remove("schema_version");
    String missing = MAPPER.writeValueAsString(root);
    assertThatThrownBy(() -> JsonReport.fromJson(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run JSON: no schema_version: not an inferscope report");
  }

  @Test
  void aSchema2RunReadsWithoutWorkloadAndSlo() {
    RunResult run = Fixtures.standardRun();
    ObjectNode root = (ObjectNode) tree(run);
    root.put("schema_version", 2);
    ObjectNode section = (ObjectNode) root.get("run");
    section.remove("slo");
    ((ObjectNode) section.get("facts")).remove("workload");
    assertThat(JsonReport.fromJson(MAPPER.writeValueAsString(root))).isEqualTo(run);
    // Schema 2 had no slo: one there is a field it never had.
    section.putNull("slo");
    section.put("slo_extra", 1);
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root)))
        .hasMessageStartingWith("run JSON (schema 2): run: unknown field slo_extra");
  }

  @Test
  void aSchema4RunReadsWithoutHostShardAndMergeFacts() {
    RunResult run = Fixtures.standardRun();
    ObjectNode root = (ObjectNode) tree(run);
    root.put("schema_version", 4);
    ObjectNode facts = (ObjectNode) root.get("run").get("facts");
    facts.remove("host");
    facts.remove("shard");
    facts.remove("merge");
    assertThat(JsonReport.fromJson(MAPPER.writeValueAsString(root))).isEqualTo(run);
    facts.putNull("shard");
    facts.put("shard_extra", 1);
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root)))
        .hasMessageStartingWith("run JSON (schema 4): run.facts: unknown field shard_extra");
  }

  @Test
  void theVersionIsFoundWhereverTheKeysWereMoved() {
    RunResult run = Fixtures.standardRun();
    ObjectNode root = (ObjectNode) tree(run);
    ObjectNode moved = MAPPER.createObjectNode();
    moved.set("tool", root.get("tool"));
    moved.set("schema_version", root.get("schema_version"));
    root.properties().forEach(e -> moved.set(e.getKey(), e.getValue()));
    assertThat(JsonReport.fromJson(MAPPER.writeValueAsString(moved))).isEqualTo(run);
  }

  @Test
  void malformedJsonIsRefusedInOneLineNamingTheFile() throws IOException {
    String json = JsonReport.toJson(RunAnalysis.of(Fixtures.standardRun()));
    String cut = json.substring(0, json.length() / 2);
    assertThatThrownBy(() -> JsonReport.fromJson(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("run JSON: malformed JSON")
        .message()
        .doesNotContain("\n");

    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"schema_version\": 1, \"run\": {\"mode\": ,}}");
    assertThatThrownBy(() -> JsonReport.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + ": malformed JSON at line 1")
        .message()
        .doesNotContain("\n");

    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'});
    assertThatThrownBy(() -> JsonReport.read(binary))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(binary + ": malformed JSON")
        .message()
        .doesNotContain("\n");

    assertThatThrownBy(() -> JsonReport.fromJson("[]"))
        .hasMessage("run JSON: expected a JSON object, found an array");
    assertThatThrownBy(() -> JsonReport.fromJson(""))
        .hasMessage("run JSON: expected a JSON object, found end of input");
    assertThatThrownBy(() -> JsonReport.fromJson(json + "{}"))
        .hasMessageContaining("unexpected content after the top-level object");
  }

  @Test
  void wrongFieldsAreNamedWithTheirPath() {
    ObjectNode root = (ObjectNode) tree(Fixtures.standardRun());
    ((ObjectNode) root.get("requests").get(2)).put("send_ns", "soon");
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root)))
        .hasMessage("run JSON: requests[2].send_ns: expected an integer, found a string");

    ObjectNode root2 = (ObjectNode) tree(Fixtures.standardRun());
    ((ObjectNode) root2.get("requests").get(3)).remove("end_ns");
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root2)))
        .hasMessage("run JSON: requests[3]: missing field end_ns");

    ObjectNode root3 = (ObjectNode) tree(Fixtures.standardRun());
    ((ArrayNode) root3.get("requests").get(1).get("events").get("kind")).set(2, "sparkle");
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root3)))
        .hasMessage(
            "run JSON: requests[1].events.kind[2]: unknown value \"sparkle\" (one of role,"
                + " content, reasoning, finish, usage, error, keep_alive, done, empty)");

    ObjectNode root4 = (ObjectNode) tree(Fixtures.standardRun());
    ((ArrayNode) root4.get("requests").get(1).get("events").get("at_ns")).remove(0);
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root4)))
        .hasMessageStartingWith("run JSON: requests[1].events: event columns differ in length");

    ObjectNode root5 = (ObjectNode) tree(Fixtures.standardRun());
    ((ObjectNode) root5.get("requests").get(5).get("failure")).put("kind", "meteor");
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root5)))
        .hasMessage(
            "run JSON: requests[5].failure: unknown kind \"meteor\" (one of [cancelled, client,"
                + " connect, http, malformed, shed, stream_error, timeout, truncated])");

    ObjectNode root6 = (ObjectNode) tree(Fixtures.standardRun());
    ((ObjectNode) root6.get("requests").get(1)).put("send_ns", 0);
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root6)))
        .hasMessage("run JSON: requests[1]: sendNanos before intendedNanos");

    ObjectNode root7 = (ObjectNode) tree(Fixtures.standardRun());
    ((ObjectNode) root7.get("run").get("clock")).put("origin_wall", "yesterday");
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root7)))
        .hasMessage("run JSON: run.clock.origin_wall: not an ISO-8601 instant: \"yesterday\"");

    ObjectNode root8 = (ObjectNode) tree(Fixtures.standardRun());
    ((ObjectNode) root8.get("requests").get(4)).putArray("usage").add(1);
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root8)))
        .hasMessage("run JSON: requests[4].usage: expected an object, found an array");
  }

  @Test
  void readingAMissingFileIsAnIoError() {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> JsonReport.read(missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nope.json");
  }

  @Test
  void writesUtf8Text() throws IOException {
    RunResult run =
        new RunResult(Fixtures.meta("modèle-日本"), Fixtures.clock(), List.of(), 0, false, null);
    Path file = dir.resolve("utf8.json");
    JsonReport.write(RunAnalysis.of(run), file);
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
        .contains("\"model\": \"modèle-日本\"");
    assertThat(JsonReport.read(file)).isEqualTo(run);
  }

  private static RunResult withClient(RunResult r, ClientOverhead client) {
    return new RunResult(
        r.meta(),
        r.clock(),
        r.traces(),
        r.endNanos(),
        r.partial(),
        r.stopReason(),
        r.hardware(),
        client);
  }

  @Test
  void clientOverheadIsWrittenUnderRunAndReadBackExactly() {
    ClientOverhead c = new ClientOverhead(12.345, 8, 3_000_000L, 2_000_000L, 3, 1_234_567L, null);
    RunResult run = withClient(Fixtures.standardRun(), c);
    JsonNode client = tree(run).get("run").get("client");
    assertThat(client.get("cpu_percent").doubleValue()).isEqualTo(12.345);
    assertThat(client.get("available_processors").intValue()).isEqualTo(8);
    assertThat(client.get("gc_pause_total_ns").longValue()).isEqualTo(3_000_000L);
    assertThat(client.get("gc_pause_max_ns").longValue()).isEqualTo(2_000_000L);
    assertThat(client.get("gc_pauses").intValue()).isEqualTo(3);
    assertThat(client.get("scheduling_lag_max_ns").longValue()).isEqualTo(1_234_567L);
    assertThat(client.get("scheduling_lag_p99_ns").isNull()).isTrue();
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)))).isEqualTo(run);
    // not measured: written as null, read back as null
    RunResult unmeasured = Fixtures.standardRun();
    assertThat(tree(unmeasured).get("run").get("client").isNull()).isTrue();
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(unmeasured))).client())
        .isNull();
  }

  @Test
  void aSchema2DocumentWithoutAFieldIsRefusedNamingIt() {
    ObjectNode root = (ObjectNode) tree(Fixtures.standardRun());
    ((ObjectNode) root.get("run")).remove("client");
    assertThatThrownBy(() -> JsonReport.fromJson(MAPPER.writeValueAsString(root)))
        .hasMessage("run JSON: run: missing field client");
  }
}
