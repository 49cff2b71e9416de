package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
          .containsExactly(
              "run", "sweep", "demo", "sim", "report", "compare", "merge", "gate", "cost", "help");
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

  /** An argument starting with @ is itself, never a file's arguments (ADR 0004). */
  @Test
  void atFilesAreNotExpanded(@TempDir Path dir) throws Exception {
    Path opts = Files.writeString(dir.resolve("opts"), "-c 512\n");

    CommandLine.ParseResult prompt =
        Main.newCommandLine("run").parseArgs("run", "--prompt", "@" + opts);
    assertThat(prompt.subcommand().<String>matchedOptionValue("--prompt", null))
        .isEqualTo("@" + opts);
    assertThat(prompt.subcommand().<Integer>matchedOptionValue("--concurrency", 1)).isEqualTo(1);

    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine("run");
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("run", "@" + opts)).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("'@" + opts + "'");
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
