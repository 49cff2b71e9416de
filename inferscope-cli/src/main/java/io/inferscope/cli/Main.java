package io.inferscope.cli;

import java.util.List;
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
    footer = {
      "%nBenchmarks of inferscope itself are in their own jar: ./inferscope bench --help"
          + " (docs/benchmarks.md)."
    })
public final class Main implements Runnable {

  /** The subcommands' names, in the order help lists them. */
  static final List<String> SUBCOMMANDS =
      List.of("run", "sweep", "demo", "sim", "report", "compare", "merge", "gate", "cost", "help");

  /**
   * {@code inferscope bench}: benchmarks of inferscope itself, built into their own jar
   * (inferscope-bench, ADR 0001), which the {@code ./inferscope} launcher runs for this first word.
   */
  static final String BENCH = "bench";

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
    if (args.length > 0 && args[0].equals(BENCH)) {
      System.err.println(
          "inferscope: the benchmarks are not in this jar: run ./inferscope bench ..., or java -jar"
              + " inferscope-bench/target/inferscope-bench.jar bench ...");
      return ExitCodes.USAGE;
    }
    if (args.length > 0
        && (args[0].equals("run") || args[0].equals("sweep") || args[0].equals("demo"))
        && !List.of(args).contains("--sample-only")) {
      // Netty's set-up and the engine probe's first call take a good part of the time to the
      // first request: started now, they run beside picocli.
      io.inferscope.probe.LoadRunner.prepare();
    }
    return newCommandLine(args.length == 0 ? null : args[0]).execute(args);
  }

  /** The whole command tree. */
  static CommandLine newCommandLine() {
    return newCommandLine(null);
  }

  /**
   * The command tree for a command line that starts with {@code first}. When that names a command
   * other than help, only that command is built: picocli reads every option of every command it is
   * given by reflection, a good part of the time before a run's first request. Anything else
   * ({@code --help}, {@code help}, a typo, nothing) gets every command, so that help and
   * suggestions list them all.
   *
   * <p>Public for inferscope-bench, whose tests parse the command lines it starts (ADR 0001).
   */
  public static CommandLine newCommandLine(String first) {
    boolean justOne = first != null && !first.equals("help") && SUBCOMMANDS.contains(first);
    CommandLine cl = new CommandLine(CommandModels.main(new Main()));
    for (String name : SUBCOMMANDS) {
      if (!justOne || name.equals(first)) {
        cl.addSubcommand(name, create(name));
      }
    }
    return configure(cl);
  }

  /**
   * Gives {@code cl}, and the subcommands it has now, the parser settings and error handling of
   * every inferscope command line: one-line usage errors (exit 2) and runtime failures (exit 1),
   * enum values in any case, and no {@code @file} expansion: an argument such as {@code @opts}
   * stays itself instead of being replaced by the file's arguments, which scripts/jvm-options could
   * not see when it picks the collector (ADR 0004).
   *
   * <p>Public so that inferscope-bench's command line behaves as the product's (ADR 0001).
   */
  public static CommandLine configure(CommandLine cl) {
    cl.setParameterExceptionHandler(Errors::onUsageError);
    cl.setExecutionExceptionHandler(Errors::onRuntimeError);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExpandAtFiles(false);
    return cl;
  }

  private static Object create(String name) {
    // Built without reading annotations: the way to a run's first request (CommandModels).
    return name.equals("run")
        ? new CommandLine(CommandModels.run(new RunCommand()))
        : annotatedCommand(name);
  }

  /**
   * The object whose annotations picocli reads for command {@code name}: what every command but
   * {@code run} is built from, and what CommandModelsTest compares {@code run}'s model with.
   */
  // A switch, not a table of constructor references: the JDK 25 AOT cache assembly crashes on
  // archived lambdas whose target is one of picocli's pre-Java-6 classes (they are not cached).
  static Object annotatedCommand(String name) {
    return switch (name) {
      case "run" -> new RunCommand();
      case "sweep" -> new SweepCommand();
      case "demo" -> new DemoCommand();
      case "sim" -> new SimCommand();
      case "report" -> new ReportCommand();
      case "compare" -> new CompareCommand();
      case "merge" -> new MergeCommand();
      case "gate" -> new GateCommand();
      case "cost" -> new CostCommand();
      case "help" -> new CommandLine.HelpCommand();
      default -> throw new IllegalArgumentException("no command " + name);
    };
  }
}
