package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which commands {@link Main} builds for a command line. */
class MainTest {

  @Test
  void aNamedCommandIsBuiltAlone() {
    for (String name : Main.SUBCOMMANDS) {
      if (name.equals("help")) {
        continue;
      }
      CommandLine cl = Main.newCommandLine(name);

      assertThat(cl.getSubcommands().keySet()).as(name).containsExactly(name);
      assertThat(cl.getSubcommands().get(name).getCommandSpec().qualifiedName())
          .isEqualTo("inferscope " + name);
    }
  }

  @Test
  void helpOptionsTyposAndNothingGetEveryCommandInHelpOrder() {
    for (String first : new String[] {null, "help", "--help", "-V", "rn", "RUN"}) {
      assertThat(Main.newCommandLine(first).getSubcommands().keySet())
          .as(String.valueOf(first))
          .containsExactly("run", "demo", "sim", "report", "help");
    }
    assertThat(Main.newCommandLine().getSubcommands().keySet())
        .containsExactlyElementsOf(Main.SUBCOMMANDS);
  }

  @Test
  void aLoneCommandKeepsTheErrorHandlersAndEnumCaseRule() {
    CommandLine run = Main.newCommandLine("run").getSubcommands().get("run");

    assertThat(run.getParameterExceptionHandler()).isNotNull();
    assertThat(run.isCaseInsensitiveEnumValuesAllowed()).isTrue();
  }

  @Test
  void aMisspelledCommandIsTheSameOneLineUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine("rn");
    cl.setErr(new PrintWriter(err, true));

    int code = cl.execute("rn", "--url", "http://127.0.0.1:9");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().strip())
        .isEqualTo(
            "inferscope: Unmatched arguments from index 0: 'rn', '--url', 'http://127.0.0.1:9'"
                + " (see 'inferscope --help')");
  }
}
