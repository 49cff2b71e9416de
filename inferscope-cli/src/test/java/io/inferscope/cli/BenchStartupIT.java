package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench startup} as users run it: from the shaded jar, timing child JVMs of that jar. */
class BenchStartupIT {

  @Test
  void onePlainAndOneAotRunGiveTablesAndAVerdict(@TempDir Path dir) throws Exception {
    JarIT.Proc p = JarIT.java(dir, "bench", "startup", "--runs", "1", "--warmup", "0");

    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("AOT cache: made by one training run");
    List<String> runs =
        p.out().lines().filter(l -> l.matches("\\| 1 \\| (plain|aot) \\|.*")).toList();
    assertThat(runs).hasSize(2);
    for (String row : runs) {
      String[] cells = row.substring(1, row.length() - 1).split("\\|");
      double first = Double.parseDouble(cells[2].strip());
      double exit = Double.parseDouble(cells[3].strip());
      assertThat(first).isPositive().isLessThan(exit);
    }
    assertThat(p.out()).containsPattern("Verdict \\(p50 start → first request ≤ 250ms\\): plain ");
    assertThat(p.err()).isEmpty();
  }
}
