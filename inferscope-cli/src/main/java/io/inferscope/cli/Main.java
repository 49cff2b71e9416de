package io.inferscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code inferscope <command> [options]}. */
@Command(
    name = "inferscope",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Profiles LLM inference servers: streams load through the OpenAI-compatible API, stamps"
          + " every token on a monotonic clock and reports where latency goes."
    },
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      SimCommand.class,
      ReportCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (see {@link ExitCodes}). */
  public static int execute(String... args) {
    return newCommandLine().execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(Errors::onUsageError);
    cl.setExecutionExceptionHandler(Errors::onRuntimeError);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }
}
