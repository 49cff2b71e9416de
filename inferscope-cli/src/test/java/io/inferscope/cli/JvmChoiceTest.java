package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The collector rule on parsed command lines. */
class JvmChoiceTest {

  private static JvmChoice choice(String... args) {
    return JvmChoice.forCommand(Main.newCommandLine(args[0]).parseArgs(args));
  }

  @Test
  void zgcFromTheThresholdOfStreamsInAnyFormOfTheOption() {
    assertThat(choice("run", "--url", "http://h:8080", "-c", "255")).isEqualTo(JvmChoice.G1);
    assertThat(choice("run", "-c", "256")).isEqualTo(JvmChoice.ZGC);
    assertThat(choice("run", "-c2048")).isEqualTo(JvmChoice.ZGC);
    assertThat(choice("run", "-qc=512")).isEqualTo(JvmChoice.ZGC);
    assertThat(choice("run", "--concurrency=0256")).isEqualTo(JvmChoice.ZGC);
    assertThat(choice("demo", "--concurrency", "300")).isEqualTo(JvmChoice.ZGC);
  }

  @Test
  void defaultsCountAndOtherCommandsGetG1() {
    assertThat(choice("run")).isEqualTo(JvmChoice.G1);
    assertThat(choice("demo")).isEqualTo(JvmChoice.G1);
    assertThat(choice("sim", "--port", "0")).isEqualTo(JvmChoice.G1);
    assertThat(choice("report", "run.json")).isEqualTo(JvmChoice.G1);
    assertThat(choice("help", "run")).isEqualTo(JvmChoice.G1);
    assertThat(JvmChoice.ZGC.options()).isEqualTo("-XX:+UseZGC");
    assertThat(JvmChoice.G1.options()).isEqualTo("-XX:NewSize=128m");
  }

  @Test
  void aStreamCountIsAsciiDigitsOnly() {
    for (String value : new String[] {"+512", "-5", "５１２", "٥١٢", "0x200", "", "2147483648"}) {
      StringWriter err = new StringWriter();
      CommandLine cl = Main.newCommandLine("run");
      cl.setErr(new PrintWriter(err, true));

      int code = cl.execute("run", "--url", "http://127.0.0.1:9", "-c", value);

      assertThat(code).as(value).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString().strip())
          .as(value)
          .startsWith("inferscope: Invalid value for option '--concurrency': '" + value + "'")
          .doesNotContain("\n");
    }
    assertThat(choice("run", "-c", "000000000000000000000512")).isEqualTo(JvmChoice.ZGC);
  }
}
