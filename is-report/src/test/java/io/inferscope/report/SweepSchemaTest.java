package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published sweep schema is exactly what the writer writes, by the same generator and rules as
 * the run schema ({@link RunSchemaTest}).
 */
class SweepSchemaTest {

  private static final Path FILE = Path.of("..", "docs", "schema", "sweep.schema.json");
  static final String ID = "urn:inferscope:sweep-schema:" + SweepDocument.SCHEMA_VERSION;

  static ObjectNode generate(JsonNode previous) {
    return RunSchema.generate(
        SweepDocument.class, ID, "inferscope sweep", SweepDocument.SCHEMA_VERSION, previous);
  }

  /** Sweeps that together give every field a value: an SLO, send lag, a knee, an early stop. */
  static List<SweepAnalysis> fullyPopulated() {
    return List.of(
        SweepFixtures.standard(
            new Slo(200 * SweepFixtures.MS, 20 * SweepFixtures.MS, 5000 * SweepFixtures.MS), 2),
        SweepFixtures.risingRates());
  }

  private static JsonSchema validator() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(RunSchema.text(generate(null)));
  }

  @Test
  void theFileIsWhatTheMapperWrites() throws Exception {
    JsonNode previous = Files.exists(FILE) ? ReportJson.MAPPER.readTree(FILE.toFile()) : null;
    String generated = RunSchema.text(generate(previous));
    if (Boolean.getBoolean("inferscope.schema.write")) {
      Files.writeString(FILE, generated);
    }
    assertThat(Files.exists(FILE) ? Files.readString(FILE) : "")
        .as(
            "docs/schema/sweep.schema.json is stale: run SweepSchemaTest with"
                + " -Dinferscope.schema.write")
        .isEqualTo(generated);
  }

  @Test
  void everyObjectIsClosedAndEveryPropertyRequired() {
    JsonNode schema = generate(null);
    List<JsonNode> objects = new ArrayList<>();
    RunSchemaTest.collectObjects(schema, objects);
    assertThat(objects).hasSizeGreaterThan(4);
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
  void aFullyPopulatedSweepValidatesAndGivesEveryPropertyAValue() throws Exception {
    JsonSchema validator = validator();
    JsonNode schema = generate(null);
    Set<String> valued = new TreeSet<>();
    for (SweepAnalysis s : fullyPopulated()) {
      String json = SweepJson.toJson(s);
      assertThat(validator.validate(RunSchemaTest.jackson2(json))).as(json).isEmpty();
      RunSchemaTest.walk(schema, schema, ReportJson.MAPPER.readTree(json), "", valued);
    }
    Set<String> named = new TreeSet<>();
    RunSchemaTest.named(schema, named);
    named.removeAll(valued);
    assertThat(named).as("named by the schema, never written with a value").isEmpty();
  }

  @Test
  void aPropertyTheSchemaLacksFailsValidation() throws Exception {
    JsonSchema validator = validator();
    ObjectNode doc =
        (ObjectNode) ReportJson.MAPPER.readTree(SweepJson.toJson(SweepFixtures.standard()));
    ((ObjectNode) doc.get("levels").get(0)).put("new_figure", 1);
    assertThat(validator.validate(RunSchemaTest.jackson2(doc.toString())))
        .anySatisfy(m -> assertThat(m.getMessage()).contains("new_figure"));
    ObjectNode wrongVersion =
        (ObjectNode) ReportJson.MAPPER.readTree(SweepJson.toJson(SweepFixtures.standard()));
    wrongVersion.put("schema_version", 99);
    assertThat(validator.validate(RunSchemaTest.jackson2(wrongVersion.toString()))).isNotEmpty();
  }
}
