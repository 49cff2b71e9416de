package io.inferscope.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

  @Test
  void readsEveryKindOfValue() throws JsonException {
    Object value =
        JsonReader.parse(
            " {\"s\":\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude42\",\"i\":-12,\"big\":123456789012345678901,"
                + "\"d\":1.5e2,\"z\":-0,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}]} ");

    Map<String, Object> object = Json.object(value);
    assertThat(object.get("s")).isEqualTo("a\"b\\c/\b\f\n\r\té🙂");
    assertThat(object.get("i")).isEqualTo(-12L);
    assertThat(object.get("big")).isEqualTo(1.2345678901234568e20);
    assertThat(object.get("d")).isEqualTo(150.0);
    assertThat(object.get("z")).isEqualTo(0L);
    assertThat(object.get("t")).isEqualTo(true);
    assertThat(object.get("f")).isEqualTo(false);
    assertThat(object.containsKey("n")).isTrue();
    assertThat(object.get("n")).isNull();
    assertThat(object.get("a")).isEqualTo(List.of(1L, List.of(), Map.of()));
  }

  @Test
  void keepsNonAsciiTextAsIs() throws JsonException {
    assertThat(JsonReader.parse("\"東京 café\"")).isEqualTo("東京 café");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "01",
        "1.",
        "-",
        "1e",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"short \\u12\"",
        "\"raw \n newline\"",
        "tru",
        "nul",
        "{} {}",
        "[1 2]",
        "'single'"
      })
  void rejectsMalformedDocuments(String text) {
    assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOf(JsonException.class);
  }

  @Test
  void rejectsNestingDeepEnoughToOverflowTheStack() {
    char[] open = new char[100_000];
    Arrays.fill(open, '[');
    assertThatThrownBy(() -> JsonReader.parse(new String(open)))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("nesting");
  }

  @Test
  void writerOutputReadsBack() throws JsonException {
    String text = "q\" b\\ nl\n tab\t ctl\u0001 é 🙂 lone\ud800";
    String quoted = JsonText.appendQuoted(new StringBuilder(), text).toString();

    assertThat(quoted).doesNotContain("\n").contains("\\u0001").contains("\\ud800");
    assertThat(JsonReader.parse(quoted)).isEqualTo(text);
  }

  @Test
  void duplicateKeysKeepTheLastValue() throws JsonException {
    Map<Object, Object> expected = new HashMap<>();
    expected.put("a", 2L);
    assertThat(JsonReader.parse("{\"a\":1,\"a\":2}")).isEqualTo(expected);
  }
}
