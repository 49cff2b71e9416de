package io.inferscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.cli.ExitCodes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench fidelity} end to end: a real simulated engine in a child process. */
class BenchCommandTest {

  private static final int LATE_P50 = 2;
  private static final int OBS_P50 = 5;
  private static final int ITL_P50 = 8;
  private static final int TTFT_P50 = 10;
  private static final int ENGINE_TTFT_P50 = 11;
  private static final int CPU_PER_EVENT = 12;
  private static final int ENGINE_JIT_MS = 15;
  private static final int CLIENT_JIT_MS = 16;

  @Test
  void smallBenchPrintsARowPerClientAndLevelAndLeavesNoChild() {
    BenchCli.Result r =
        BenchCli.run(
            "bench",
            "fidelity",
            "--streams",
            "1,8",
            "--tokens",
            "8",
            "--gap",
            "5ms",
            "--level-duration",
            "300ms",
            "--cold-streams",
            "4");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    // Before the cold level inferscope's client in a process of its own warmed the engine: at
    // least one response per stream (closed loop for the level's time), read before the table.
    java.util.regex.Matcher warmed =
        java.util.regex.Pattern.compile(
                "Engine warm-up before the cold level, unmeasured: (\\d+) responses to 4 streams"
                    + " of inferscope's client in a process of its own, in ([1-6]) rounds? of 300ms;"
                    + " the engine's JIT compilers worked (\\d+) ms in the last")
            .matcher(r.out());
    assertThat(warmed.find()).as(r.out()).isTrue();
    int rounds = Integer.parseInt(warmed.group(2));
    // At least one response per stream and round (closed loop for the level's time).
    assertThat(Long.parseLong(warmed.group(1))).isGreaterThanOrEqualTo(4L * rounds);
    // Another round only while the engine still compiled: rounds end settled or at the bound.
    long lastJitMillis = Long.parseLong(warmed.group(3));
    assertThat(lastJitMillis <= 3 || rounds == 6).as(r.out()).isTrue();
    assertThat(warmed.start()).isLessThan(r.out().indexOf("4 (cold, defaults)"));
    List<String[]> rows = rows(r.out());
    // The cold level first, then per level the trivial client's row and inferscope's.
    assertThat(rows)
        .extracting(row -> row[0].strip())
        .containsExactly(
            "4 (cold, defaults)", "1 (trivial client)", "1", "8 (trivial client)", "8");
    for (String[] row : rows) {
      // Every row has the engine's own account of its lateness and the client's cost per event.
      for (int col = LATE_P50; col < LATE_P50 + 3; col++) {
        assertThat(Double.parseDouble(row[col].strip())).isGreaterThanOrEqualTo(0);
      }
      assertThat(Double.parseDouble(row[CPU_PER_EVENT].strip())).isPositive();
      // The engine (a JVM) tells how long its compilers worked in each level.
      assertThat(Long.parseLong(row[ENGINE_JIT_MS].strip())).as(row[0]).isNotNegative();
      // And the client's own, in this process: what its warm-up left to compile.
      assertThat(Long.parseLong(row[CLIENT_JIT_MS].strip())).as(row[0]).isNotNegative();
      assertThat(row[row.length - 1].strip()).isEqualTo("0");
      // Every client observes the engine's stamps and measures TTFT.
      for (int col : new int[] {OBS_P50, ITL_P50, TTFT_P50}) {
        assertThat(Double.parseDouble(row[col].strip()))
            .as("column %d of %s", col, row[0])
            .isNotNegative();
      }
      // The engine books every stream's first token, whoever reads.
      assertThat(Double.parseDouble(row[ENGINE_TTFT_P50].strip())).as(row[0]).isPositive();
    }
    // Closed loop for the level's time: a stream of 8 tokens at 5 ms gaps sends several requests.
    // The engine's clock starts when it has read a request, a client's before it sends it, and the
    // engine stamps its first token before a client reads it: each request's engine TTFT is the
    // smaller, and so is their median, but for the engine's histogram's 0.2 %. Both clients.
    for (String[] one : List.of(rows.get(1), rows.get(2))) {
      double clientTtft = Double.parseDouble(one[TTFT_P50].strip());
      double engineTtft = Double.parseDouble(one[ENGINE_TTFT_P50].strip());
      assertThat(clientTtft).as(one[0]).isGreaterThanOrEqualTo(20.0);
      assertThat(engineTtft)
          .as(one[0])
          .isGreaterThanOrEqualTo(20.0 * 0.998)
          .isLessThanOrEqualTo(clientTtft * 1.002);
    }
    assertThat(r.out()).contains("Targets (inferscope's client;");
    // One line per target, each decided or saying why not (here most levels are not in --streams).
    List<String> verdicts =
        r.out()
            .substring(r.out().indexOf("Targets ("))
            .lines()
            .filter(l -> l.startsWith("- "))
            .toList();
    assertThat(verdicts).hasSize(BenchReport.BOUNDS.size() + 3);
    assertThat(verdicts)
        .allMatch(l -> l.matches("- .*: (holds|missed|not measured|not decided)( .*)?"), "verdict");
    assertThat(r.out())
        .containsPattern(
            "TTFT p50 at 1 stream within 0.300 ms of the engine's own: (holds|missed|not decided) \\(");
    assertThat(r.out()).contains("unconfined");
    assertThat(ProcessHandle.current().children().toList()).isEmpty();
  }

  @Test
  void theHeaderSaysWhereTheEngineRuns() {
    BenchCli.Result r =
        BenchCli.run(
            "bench",
            "fidelity",
            "--streams",
            "2",
            "--tokens",
            "4",
            "--gap",
            "2ms",
            "--level-duration",
            "200ms",
            "--cold-streams",
            "0",
            "--warmup-streams",
            "0",
            "--client",
            "probe",
            "--engine-cores",
            "1");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("-XX:ActiveProcessorCount=1").contains("confined to 1");
    assertThat(r.out())
        .contains(
            BenchSimProcess.canStartOwnSession() ? "in a session of its own" : "setsid is absent");
    assertThat(rows(r.out())).extracting(row -> row[0].strip()).containsExactly("2");
  }

  @Test
  void zeroStreamsIsAUsageError() {
    BenchCli.Result r = BenchCli.run("bench", "fidelity", "--streams", "0");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anUnknownClientIsAUsageError() {
    BenchCli.Result r = BenchCli.run("bench", "fidelity", "--client", "fast");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  private static List<String[]> rows(String out) {
    return out.lines()
        .filter(l -> l.matches("\\| \\d+( \\([^)]*\\))? \\|.*"))
        .map(l -> l.substring(1, l.length() - 1).split("\\|"))
        .toList();
  }
}
