package io.inferscope.bench;

import io.inferscope.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code inferscope bench <name>}: benchmarks of inferscope itself, printed as Markdown. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Benchmarks of inferscope itself; prints Markdown tables for docs/benchmarks.md."
    },
    subcommands = {BenchFidelityCommand.class, BenchStartupCommand.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "no benchmark given");
  }
}
