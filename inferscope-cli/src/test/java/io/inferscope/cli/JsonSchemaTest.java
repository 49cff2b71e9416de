package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real output of every mode validates against the published schema, docs/schema. */
class JsonSchemaTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws Exception {
    Path file = Path.of("..", "docs", "schema", "run.schema.json");
    assertThat(file).as("published schema").exists();
    schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(MAPPER.readTree(file.toFile()));
  }

  private static Set<ValidationMessage> validate(Path json) throws Exception {
    return schema.validate(MAPPER.readTree(json.toFile()));
  }

  @Test
  void aRunWithFailuresOfEveryStreamKindValidates(@TempDir Path dir) throws Exception {
    for (SimConfig.Fault fault :
        new SimConfig.Fault[] {
          SimConfig.Fault.HTTP_503,
          SimConfig.Fault.ERROR_EVENT,
          SimConfig.Fault.TRUNCATE,
          SimConfig.Fault.MALFORMED_JSON
        }) {
      try (SimEngine engine = SimEngine.start(CliTest.fastSim().withFault(fault, 2, 2))) {
        Path json = dir.resolve(fault + ".json");
        CliTest.Result r =
            CliTest.run(
                "run",
                "--url",
                engine.baseUrl(),
                "-c",
                "2",
                "-n",
                "4",
                "--warmup",
                "1",
                "--max-tokens",
                "6",
                "--json",
                json.toString(),
                "--progress",
                "off");
        assertThat(r.code()).as(r.err()).isIn(0, 1);
        assertThat(validate(json)).as(fault.toString()).isEmpty();
      }
    }
  }

  @Test
  void aRunAgainstAStampingEngineReportsObservationDelayAndValidates(@TempDir Path dir)
      throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim().withStampMonotonic(true))) {
      Path json = dir.resolve("stamped.json");
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "2",
              "-n",
              "4",
              "--warmup",
              "1",
              "--max-tokens",
              "6",
              "--no-gpu",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("observation delay (ms)");
      JsonNode doc = MAPPER.readTree(json.toFile());
      assertThat(schema.validate(doc)).isEmpty();
      long stamped = 0;
      for (JsonNode req : doc.get("requests")) {
        JsonNode sent = req.get("events").get("sent_ns");
        assertThat(sent).as("request %s", req.get("id")).isNotNull();
        assertThat(sent.size()).isEqualTo(req.get("events").get("at_ns").size());
        if (!req.get("warmup").asBoolean()) {
          for (JsonNode s : sent) {
            if (!s.isNull()) {
              stamped++;
            }
          }
        }
      }
      JsonNode delay = doc.get("metrics").get("observation_delay_ns");
      assertThat(stamped).isGreaterThanOrEqualTo(4 * 6);
      assertThat(delay.get("count").asLong()).isEqualTo(stamped);
      assertThat(delay.get("min").asDouble()).isNotNegative();
      // Both stamps on one clock: another clock's would be off by far more than a loaded host's 10
      // s.
      assertThat(delay.get("max").asDouble()).isLessThan(10e9);
    }
  }

  @Test
  void aSampleOnlyRunValidates(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("sample.json");
    CliTest.Result r =
        CliTest.run(
            "run",
            "--sample-only",
            "--pid",
            Long.toString(ProcessHandle.current().pid()),
            "--duration",
            "300ms",
            "--json",
            json.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(validate(json)).isEmpty();
  }

  @Test
  void theSchemaRejectsWhatIsNotARun(@TempDir Path dir) throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      Path json = dir.resolve("run.json");
      CliTest.run(
          "run",
          "--url",
          engine.baseUrl(),
          "-n",
          "2",
          "--max-tokens",
          "4",
          "--no-gpu",
          "--json",
          json.toString(),
          "--progress",
          "off");
      JsonNode doc = MAPPER.readTree(json.toFile());
      assertThat(schema.validate(doc)).isEmpty();
      ObjectNode broken = doc.deepCopy();
      ((ObjectNode) broken.get("requests").get(0)).put("send_ns", "soon");
      assertThat(schema.validate(broken)).isNotEmpty();
      ObjectNode missing = doc.deepCopy();
      missing.remove("hardware");
      assertThat(schema.validate(missing)).isNotEmpty();
    }
  }
}
