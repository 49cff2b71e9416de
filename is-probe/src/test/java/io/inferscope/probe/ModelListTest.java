package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

class ModelListTest {

  private static List<String> ids(String json) throws ModelList.Malformed {
    return ModelList.ids(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheIdsOfAnOpenAiListAndSkipsEveryOtherMember() throws Exception {
    String vllm =
        """
        {"object":"list","data":[{"id":"meta-llama/Llama-3.1-8B","object":"model",\
        "created":1733000000,"owned_by":"vllm","root":"/models/x","parent":null,\
        "max_model_len":131072,"permission":[{"id":"modelperm-1","allow_sampling":true,\
        "organization":"*","group":null,"scale":-1.5e+3}]},\
        {"object":"model","id":"lora-a"}]}
        """;
    assertThat(ids(vllm)).containsExactly("meta-llama/Llama-3.1-8B", "lora-a");
  }

  @Test
  void fallsBackToOllamaNamesAndPrefersIdsWhenBothAreThere() throws Exception {
    assertThat(ids("{\"models\":[{\"name\":\"llama3:8b\"},{\"name\":\"qwen\"}]}"))
        .containsExactly("llama3:8b", "qwen");
    assertThat(ids("{\"models\":[{\"name\":\"n\"}],\"data\":[{\"id\":\"i\"}]}"))
        .containsExactly("i");
  }

  @Test
  void decodesEscapesAndUtf8() throws Exception {
    assertThat(ids("{\"data\":[{\"id\":\"caf\\u00e9 \\\"q\\\" \\\\ \\/ 東京\"}]}"))
        .containsExactly("café \"q\" \\ / 東京");
  }

  @Test
  void anEmptyOrOtherListGivesNoIds() throws Exception {
    assertThat(ids(" {} ")).isEmpty();
    assertThat(ids("{\"data\":[]}")).isEmpty();
    assertThat(ids("{\"data\":[1,\"x\",[{\"id\":\"nested\"}],{\"id\":7}]}")).isEmpty();
    assertThat(ids("{\"data\":{\"id\":\"not-a-list\"}}")).isEmpty();
  }

  /** What Jackson read (ids in order), read the same here. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\\ud83d\\ude00\"}]}",
        "\uFEFF{\"data\":[{\"id\":\"bom\"}]}",
        " \t\r\n{ \"data\" : [ { \"x\" : [1, -0.5e-3, 2E+2, true, false, null, {}], \"id\" : \"w\" } ] } ",
        "{\"object\":\"list\",\"data\":[{\"id\":\"\\u00E9\\u00e9\"}]}"
      })
  void readsWhatJacksonReads(String body) throws Exception {
    assertThat(ids(body)).isEqualTo(jacksonIds(body));
  }

  @Test
  void refusesWhatIsNotUtf8AndHexDigitsThatAreNotAscii() {
    byte[] latin1 = "{\"data\":[{\"id\":\"caf\u00e9\"}]}".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> ModelList.ids(latin1))
        .isInstanceOf(ModelList.Malformed.class)
        .hasMessage("not UTF-8");
    // U+0663 is a digit to Character.digit, not to JSON.
    assertThatThrownBy(() -> ids("{\"data\":[{\"id\":\"\\u\u0663\u0663\u0663\u0663\"}]}"))
        .isInstanceOf(ModelList.Malformed.class);
    assertThat(jacksonReadsOneObject("{\"a\":\"\\u\u0663\u0663\u0663\u0663\"}")).isFalse();
  }

  /** Every one of these is refused by Jackson too. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "<html>",
        "{\"data\":[{\"id\":\"a\"}]",
        "{\"data\":[{\"id\":\"a\"},]}",
        "{\"data\":[{\"id\":\"a\"}]} trailing",
        "{data:[]}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":-}",
        "{\"a\":tru}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"tab\there\"}",
        "{\"a\":\"open}"
      })
  void refusesWhatIsNotOneJsonObject(String body) {
    assertThatThrownBy(() -> ids(body)).isInstanceOf(ModelList.Malformed.class);
    assertThat(jacksonReadsOneObject(body)).as("Jackson on %s", body).isFalse();
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> ids(deep))
        .isInstanceOf(ModelList.Malformed.class)
        .hasMessageContaining("nested too deeply");
  }

  /** The ids Jackson reads from data[] (the probe's earlier reader, for comparison). */
  private static List<String> jacksonIds(String body) {
    List<String> ids = new java.util.ArrayList<>();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = new JsonFactory().createParser(ObjectReadContext.empty(), bytes)) {
      tools.jackson.core.JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == tools.jackson.core.JsonToken.PROPERTY_NAME
            && p.currentName().equals("id")
            && p.nextToken() == tools.jackson.core.JsonToken.VALUE_STRING
            && p.streamReadContext().getParent() != null
            && p.streamReadContext().getParent().inArray()) {
          ids.add(p.getString());
        }
      }
    }
    return ids;
  }

  private static boolean jacksonReadsOneObject(String body) {
    try (JsonParser p =
        new JsonFactory()
            .createParser(ObjectReadContext.empty(), body.getBytes(StandardCharsets.UTF_8))) {
      if (p.nextToken() != tools.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (JacksonException e) {
      return false;
    }
  }
}
