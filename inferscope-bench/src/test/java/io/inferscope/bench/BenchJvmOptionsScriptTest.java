package io.inferscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.cli.JvmChoice;
import io.inferscope.cli.JvmOptionsAgreement;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/jvm-options, run as a real child process, picks on every generated command line of the
 * bench jar's commands the collector {@link JvmChoice} picks from picocli's parse of it. Only lines
 * that start with {@code bench} come here: the launcher sends every other one to the product jar
 * (JvmOptionsScriptTest in inferscope-cli).
 */
class BenchJvmOptionsScriptTest {

  @Test
  void theScriptAgreesWithJvmChoiceOnEveryBenchCommandLinePicocliAccepts(@TempDir Path dir)
      throws Exception {
    JvmOptionsAgreement.Outcome o =
        JvmOptionsAgreement.check(
            args -> BenchMain.newCommandLine(),
            (List<String> args) -> !args.isEmpty() && args.get(0).equals("bench"),
            dir);
    System.out.println(o.describe());

    assertThat(o.mismatches()).as(o.describe()).isEmpty();
    assertThat(o.zgcSources()).contains("inferscope bench fidelity");
    assertThat(o.zgcReached()).as(o.describe()).isEqualTo(o.zgcSources());
    assertThat(o.zgc()).as(o.describe()).isGreaterThan(50);
    assertThat(o.parsed() - o.zgc()).as(o.describe()).isGreaterThan(50);
  }

  @Test
  void fidelityRunsUnderZgcWhateverItsLevelsAndStartupUnderG1() {
    assertThat(choice("bench", "fidelity", "--streams", "1")).isEqualTo(JvmChoice.ZGC);
    assertThat(choice("bench", "startup")).isEqualTo(JvmChoice.G1);
    assertThat(choice("bench", "--help")).isEqualTo(JvmChoice.G1);
  }

  private static JvmChoice choice(String... args) {
    return JvmChoice.forCommand(BenchMain.newCommandLine().parseArgs(args));
  }
}
