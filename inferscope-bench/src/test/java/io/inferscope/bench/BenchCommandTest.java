package io.inferscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.cli.ExitCodes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench fidelity} end to end: a real simulated engine in a child process. */
class BenchCommandTest {

  @Test
  void smallBenchPrintsOneRowPerLevelAndLeavesNoChild() {
    BenchCli.Result r =
        BenchCli.run("bench", "fidelity", "--streams", "1,8", "--tokens", "8", "--gap", "5ms");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    List<String[]> rows =
        r.out()
            .lines()
            .filter(l -> l.matches("\\| \\d+ \\|.*"))
            .map(l -> l.substring(1, l.length() - 1).split("\\|"))
            .toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)[0].strip()).isEqualTo("1");
    assertThat(rows.get(1)[0].strip()).isEqualTo("8");
    for (String[] row : rows) {
      for (int col = 2; col <= 4; col++) {
        String delayMs = row[col].strip();
        assertThat(delayMs).isNotEqualTo("-");
        assertThat(Double.parseDouble(delayMs)).isGreaterThanOrEqualTo(0);
      }
      assertThat(row[row.length - 1].strip()).isEqualTo("0");
    }
    assertThat(r.out()).contains("Targets:");
    assertThat(ProcessHandle.current().children().toList()).isEmpty();
  }

  @Test
  void roundsMakeEachStreamSendThatManyRequests() {
    BenchCli.Result r =
        BenchCli.run(
            "bench",
            "fidelity",
            "--streams",
            "4",
            "--tokens",
            "4",
            "--gap",
            "2ms",
            "--rounds",
            "3",
            "--warmup-streams",
            "0");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("that many concurrent streams, 3 requests each, one after another");
    String[] row =
        r.out().lines().filter(l -> l.startsWith("| 4 |")).findFirst().orElseThrow().split("\\|");
    // 4 streams × 3 rounds × 4 tokens, every request ok.
    assertThat(row[row.length - 1].strip()).isEqualTo("0");
    assertThat(r.out()).doesNotContain("| - |");
  }

  @Test
  void zeroStreamsIsAUsageError() {
    BenchCli.Result r = BenchCli.run("bench", "fidelity", "--streams", "0");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }
}
