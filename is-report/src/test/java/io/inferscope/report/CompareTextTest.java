package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunComparison;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareTextTest {

  private static String row(String text, String name) {
    return text.lines().filter(l -> l.startsWith("  " + name + " ")).findFirst().orElseThrow();
  }

  @Test
  void eachFigureHasItsRunsValuesTheDifferenceTheIntervalAndAVerdict() {
    RunComparison c = CompareFixtures.standard();
    String text = CompareText.render(c);
    assertThat(text)
        .startsWith("inferscope 0.1.0 · comparison of 2 runs\n  A (baseline)        runs/a.json\n")
        .contains("  B                   runs/b.json\n")
        .contains("95 % bootstrap intervals of B − A (percentile method), 2000 resamples")
        .contains("B against A (baseline): runs/b.json\n")
        .contains("  differs             model: llama-3.1-8b-instruct vs other-model\n")
        .contains("  (the figures are compared anyway)\n");
    RunComparison.Figure ttft = c.pairs().getFirst().figure("ttft.p50");
    assertThat(row(text, "TTFT p50"))
        .contains(Fmt.ms(ttft.baseline()), Fmt.ms(ttft.value()), "+" + Fmt.ms(ttft.delta()))
        .contains(CompareText.interval(ttft))
        .endsWith("  regression");
    assertThat(row(text, "TPOT p50")).endsWith("  no significant difference");
    assertThat(row(text, "output rate (tok/s)")).endsWith("  no interval (one value per run)");
    assertThat(row(text, "GPU energy (J)")).endsWith("  no interval (one value per run)");
    assertThat(row(text, "goodput (%)")).contains("regression");
    assertThat(text).contains("  verdict             regression in TTFT p50, TTFT p90, TTFT p99");
    for (String line : text.split("\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(TextReport.WIDTH);
    }
    assertThat(text).endsWith("\n");
  }

  @Test
  void aRunAgainstItselfSaysNoSignificantDifferenceAsPlainly() {
    String text = CompareText.render(CompareFixtures.itself());
    assertThat(text).contains("  settings            the same\n");
    assertThat(text.lines().filter(l -> l.endsWith("regression") || l.endsWith("improvement")))
        .isEmpty();
    assertThat(row(text, "TTFT p99")).endsWith("  no significant difference");
    assertThat(text)
        .contains("no regression; no improvement; no significant difference in 17 figures");
  }

  @Test
  void aDifferenceUnderTheMinimumEffectIsNamedBelowTheTable() {
    assertThat(CompareText.render(CompareFixtures.standard())).doesNotContain("under min. effect");
    // B's TTFT is 27 % slower: under a minimum effect of 50 %, beyond noise but not called.
    RunComparison c =
        RunComparison.of(
            java.util.List.of(
                new RunComparison.Input("a.json", 3, CompareFixtures.run(50, 1, "m")),
                new RunComparison.Input("b.json", 3, CompareFixtures.run(65, 2, "m"))),
            Bootstrap.Settings.DEFAULT,
            50);
    String text = CompareText.render(c);
    assertThat(row(text, "TTFT p50")).endsWith("  no significant difference");
    assertThat(text)
        .contains("  under min. effect   TTFT p50, TTFT p90, TTFT p99, E2E p50, E2E p90, E2E p99:");
    assertThat(text.replaceAll("\\s+", " "))
        .contains("it is at least 50 % of A (the minimum effect)");
    assertThat(CompareMarkdown.render(c))
        .contains(
            "| no significant difference (beyond resampling noise, under the 50 % minimum effect) |");
  }

  @Test
  void cellsKeepTheirSignAndUnit() {
    assertThat(CompareText.signed(RunComparison.Unit.NANOS, 1.5e6)).isEqualTo("+1.500");
    assertThat(CompareText.signed(RunComparison.Unit.NANOS, -1.5e6)).isEqualTo("-1.500");
    assertThat(CompareText.signed(RunComparison.Unit.REQUESTS, 0.0)).isEqualTo("0");
    assertThat(CompareText.signed(RunComparison.Unit.TOKENS_PER_SECOND, null)).isEqualTo("-");
    assertThat(CompareText.percent(60.31)).isEqualTo("+60.3 %");
    assertThat(CompareText.percent(-4.123)).isEqualTo("-4.12 %");
    assertThat(CompareText.percent(1234.0)).isEqualTo("+1234 %");
    assertThat(CompareText.confidence(new Bootstrap.Settings(0.9, 100, 1))).isEqualTo("90 %");
    assertThat(CompareText.confidence(new Bootstrap.Settings(0.995, 100, 1))).isEqualTo("99.5 %");
    assertThat(List.of(CompareText.letter(0), CompareText.letter(2), CompareText.letter(26)))
        .containsExactly("A", "C", "R27");
  }
}
