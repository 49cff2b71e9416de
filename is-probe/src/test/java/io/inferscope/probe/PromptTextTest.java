package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated text: the same again for the same salt, other text for another, sharing kept. */
class PromptTextTest {

  @Test
  void aSaltDrawsOtherOwnWordsAndKeepsTheSharedPrefix() {
    Prompt.Generated g = new Prompt.Generated(7, 3, 20, 50);
    String plain = PromptText.render(g);
    assertThat(PromptText.render(g, 0)).isEqualTo(plain);
    String salted = PromptText.render(g, 11);
    assertThat(salted).isEqualTo(PromptText.render(g, 11)).isNotEqualTo(plain);
    List<String> a = List.of(plain.split(" "));
    List<String> b = List.of(salted.split(" "));
    assertThat(b).hasSameSizeAs(a);
    assertThat(b.subList(0, 20)).isEqualTo(a.subList(0, 20));
    assertThat(b.subList(20, 70)).isNotEqualTo(a.subList(20, 70));
  }

  @Test
  void equalBlocksStayEqualUnderOneSaltAndDifferUnderAnother() {
    Prompt.Blocks x = new Prompt.Blocks(1, new long[] {5, 6}, 30, 10);
    Prompt.Blocks y = new Prompt.Blocks(1, new long[] {5, 9}, 30, 10);
    for (long salt : new long[] {0, 4}) {
      List<String> a = List.of(PromptText.render(x, salt).split(" "));
      List<String> b = List.of(PromptText.render(y, salt).split(" "));
      assertThat(a.subList(0, 30)).isEqualTo(b.subList(0, 30));
    }
    assertThat(PromptText.render(x, 4)).isNotEqualTo(PromptText.render(x, 0));
  }

  @Test
  void givenTextIsNeverChanged() {
    assertThat(PromptText.render(new Prompt.Text("exactly this"), 99)).isEqualTo("exactly this");
    assertThat(PromptText.generated(new Prompt.Text("x"))).isFalse();
    assertThat(PromptText.generated(new Prompt.Generated(1, 0, 0, 1))).isTrue();
  }
}
