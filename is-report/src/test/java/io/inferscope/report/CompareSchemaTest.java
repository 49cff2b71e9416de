package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.inferscope.core.RunComparison;
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
 * The published comparison schema is exactly what the writer writes, by the same generator and
 * rules as the run schema ({@link RunSchemaTest}).
 */
class CompareSchemaTest {

  private static final Path FILE = Path.of("..", "docs", "schema", "compare.schema.json");
  static final String ID = "urn:inferscope:compare-schema:" + CompareDocument.SCHEMA_VERSION;

  static ObjectNode generate(JsonNode previous) {
    return RunSchema.generate(
        CompareDocument.class,
        ID,
        "inferscope comparison",
        CompareDocument.SCHEMA_VERSION,
        previous);
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
            "docs/schema/compare.schema.json is stale: run CompareSchemaTest with"
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
  void aFullyPopulatedComparisonValidatesAndGivesEveryPropertyAValue() throws Exception {
    JsonSchema validator = validator();
    JsonNode schema = generate(null);
    Set<String> valued = new TreeSet<>();
    for (RunComparison c : List.of(CompareFixtures.standard(), CompareFixtures.itself())) {
      String json = CompareJson.toJson(c, "0.1.0");
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
        (ObjectNode)
            ReportJson.MAPPER.readTree(CompareJson.toJson(CompareFixtures.standard(), "0.1.0"));
    ((ObjectNode) doc.get("pairs").get(0).get("figures").get(0)).put("new_figure", 1);
    assertThat(validator.validate(RunSchemaTest.jackson2(doc.toString())))
        .anySatisfy(m -> assertThat(m.getMessage()).contains("new_figure"));
    ObjectNode badVerdict =
        (ObjectNode)
            ReportJson.MAPPER.readTree(CompareJson.toJson(CompareFixtures.standard(), "0.1.0"));
    ((ObjectNode) badVerdict.get("pairs").get(0).get("figures").get(0)).put("verdict", "better");
    assertThat(validator.validate(RunSchemaTest.jackson2(badVerdict.toString()))).isNotEmpty();
  }
}
