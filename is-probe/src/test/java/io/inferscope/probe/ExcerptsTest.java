package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptsTest {

  @Test
  void collapsesWhitespaceToOneLine() {
    assertThat(Excerpts.oneLine("  {\"error\":\n\t{ \"message\" :\r\n  \"x\" } }  ", 200))
        .isEqualTo("{\"error\": { \"message\" : \"x\" } }");
  }

  @Test
  void keepsShortTextWhole() {
    assertThat(Excerpts.oneLine("a".repeat(200), 200)).isEqualTo("a".repeat(200));
  }

  @Test
  void cutsLongTextWithAnEllipsis() {
    assertThat(Excerpts.oneLine("a".repeat(201), 200)).isEqualTo("a".repeat(200) + "…");
  }

  @Test
  void neverSplitsASurrogatePair() {
    // The emoji takes chars 199 and 200: cutting at 200 would split it, so it goes entirely.
    String text = "a".repeat(199) + "😀" + "b".repeat(10);
    String cut = Excerpts.oneLine(text, 200);
    assertThat(cut).isEqualTo("a".repeat(199) + "…");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
  }

  @Test
  void keepsAPairThatFitsExactly() {
    String text = "a".repeat(198) + "😀" + "b".repeat(10);
    assertThat(Excerpts.oneLine(text, 200)).isEqualTo("a".repeat(198) + "😀…");
  }

  @Test
  void decodesBytesAsUtf8() {
    byte[] b = "ошибка  сервера".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(Excerpts.oneLine(b, 0, b.length, 200)).isEqualTo("ошибка сервера");
  }
}
