package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import org.junit.jupiter.api.Test;

/** The attribution sections as a person reads them, in text and on the page, within the width. */
class AttributionTextTest {

  /** Within the width, and nothing of it cut (the rest of the report may cut outside text). */
  private static void assertFits(String report) {
    for (String line : report.split("\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(TextReport.WIDTH);
      assertThat(line).as("cut: %s", line).doesNotEndWith("...");
    }
  }

  @Test
  void everyAttributionFigureIsShownWithinTheWidth() {
    // The schema's runs give every figure a value: steps, a price, speculative and LoRA series.
    RunResult sampled = RunSchemaTest.fullyPopulated().getFirst();
    RunAnalysis a = RunAnalysis.of(sampled);
    String text = TextReport.render(a);
    assertFits(TextReport.attribution(a));
    assertThat(text)
        .contains("Energy by phase (GPUs")
        .contains("by time share")
        .contains("Steps (2")
        .contains("not in the run's measured requests: [99]")
        .contains("Cost ($2.50 per hour of the measured window)")
        .contains("per 1M output tok")
        .contains("  LoRA adapters       2 reported; at most 1 per batch\n")
        .contains("    chat              running at 0 reads · waiting at 8 · seen 0.101–0.941 s\n")
        .contains("    sql               running at 8 reads · waiting at 0 · seen 0.101–0.941 s\n");
    assertThat(TextReport.attribution(a)).doesNotContain("Latency").contains("Cost");
    String page = HtmlReport.render(a);
    assertThat(page)
        .contains("<section id=\"attribution\">")
        .contains("id=\"energy-by-phase\"")
        .contains("id=\"lora\"")
        .contains("<td>sql</td>")
        .contains("id=\"steps\"")
        .contains("id=\"cost\"");
    RunResult wrapper = RunSchemaTest.fullyPopulated().get(1);
    String tokens = TextReport.render(RunAnalysis.of(wrapper));
    assertFits(TextReport.attribution(RunAnalysis.of(wrapper)));
    assertThat(tokens).contains("/prompt tok").contains("/output tok");
  }
}
