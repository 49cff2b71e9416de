package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareMarkdownTest {

  @Test
  void aTableRowPerFigureWithTheVerdictAndTheDifferencesAbove(@TempDir Path dir) throws Exception {
    RunComparison c = CompareFixtures.standard();
    String md = CompareMarkdown.render(c);
    assertThat(md)
        .startsWith("# inferscope comparison of 2 runs\n")
        .contains("## B against A (baseline): runs/b.json\n")
        .contains("- model: llama-3.1-8b-instruct vs other-model\n")
        .contains("| figure | A | B | Δ | Δ % | 95 % interval | verdict |\n|---|---:|");
    List<String> rows = md.lines().filter(l -> l.startsWith("| TTFT p50 (ms) |")).toList();
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst()).endsWith("| **regression** |");
    assertThat(md).contains("| TPOT p50 (ms) |").contains("| no significant difference |");
    assertThat(md)
        .contains("| output rate (tok/s) |")
        .contains("| no interval (one value per run) |");
    long tableRows =
        md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| figure")).count();
    // The runs' table (a heading and a row a run), then a row a figure.
    assertThat(tableRows).isEqualTo(3 + RunComparison.FIGURES.size());
    Path file = dir.resolve("c.md");
    CompareMarkdown.write(c, file);
    assertThat(Files.readString(file)).isEqualTo(md);
  }

  @Test
  void outsideTextCannotBreakTheTable() {
    RunComparison c =
        RunComparison.of(
            List.of(
                new RunComparison.Input("a|b*.json", 3, CompareFixtures.run(50, 1, "m")),
                new RunComparison.Input("<c>.json", 3, CompareFixtures.run(50, 2, "m|x"))),
            Bootstrap.Settings.DEFAULT);
    String md = CompareMarkdown.render(c);
    assertThat(md).contains("a\\|b\\*.json").contains("\\<c\\>.json").contains("m\\|x");
    assertThat(md).doesNotContain("a|b*");
  }
}
