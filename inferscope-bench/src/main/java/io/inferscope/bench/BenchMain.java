package io.inferscope.bench;

import io.inferscope.cli.Main;
import io.inferscope.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the inferscope-bench jar: {@code inferscope bench <name> [options]}, the same
 * command line as before the benchmarks left the product jar, so that {@code ./inferscope bench
 * ...} hands its arguments over unchanged (ADR 0001).
 */
@Command(
    name = "inferscope",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Benchmarks of inferscope itself, in their own jar: inferscope-bench/target/"
          + "inferscope-bench.jar, which ./inferscope bench runs."
    })
public final class BenchMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The whole command tree: {@code inferscope bench} and its benchmarks. */
  static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new BenchMain());
    cl.addSubcommand("bench", new BenchCommand());
    return Main.configure(cl);
  }
}
