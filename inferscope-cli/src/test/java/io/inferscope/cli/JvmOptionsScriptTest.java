package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/jvm-options, run as a real child process, picks on every generated command line of the
 * product's commands the collector {@link JvmChoice} picks from picocli's parse of it (the bench
 * jar's commands: BenchJvmOptionsScriptTest in inferscope-bench).
 */
class JvmOptionsScriptTest {

  @Test
  void theScriptAgreesWithJvmChoiceOnEveryCommandLinePicocliAccepts(@TempDir Path dir)
      throws Exception {
    JvmOptionsAgreement.Outcome o =
        JvmOptionsAgreement.check(
            args -> Main.newCommandLine(args.length == 0 ? null : args[0]), args -> true, dir);
    System.out.println(o.describe());

    assertThat(o.mismatches()).as(o.describe()).isEmpty();
    // The check must keep its reach when the commands change.
    assertThat(o.zgcSources())
        .contains("inferscope run --concurrency", "inferscope demo --concurrency");
    assertThat(o.zgcReached()).as(o.describe()).isEqualTo(o.zgcSources());
    assertThat(o.parsed()).as(o.describe()).isGreaterThan(2000);
    assertThat(o.zgc()).as(o.describe()).isGreaterThan(200);
    assertThat(o.parsed() - o.zgc()).as(o.describe()).isGreaterThan(1000);
  }
}
