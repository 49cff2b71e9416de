package io.inferscope.bench;

import io.inferscope.cli.Durations;
import io.inferscope.cli.Errors;
import io.inferscope.cli.ExitCodes;
import io.inferscope.cli.NativeLibraryFolder;
import io.inferscope.cli.Version;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inferscope bench startup}: how long {@code java -jar inferscope.jar run} takes from
 * process start to its first request. The simulated engine runs in this process and stamps, on this
 * process's wall clock, when it has read the child's first completion request; the child is started
 * right after this process stamps the start. Compares a plain JVM with one given a JDK 25 AOT cache
 * (JEP 483/514) that the command trains first.
 */
@Command(
    name = "startup",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Times `java -jar inferscope.jar run -n 1` from process start to the first request the"
          + " engine receives and to process exit, plain and with a JDK AOT cache made by a"
          + " training run first. Prints Markdown tables and a verdict against --target."
    })
final class BenchStartupCommand implements Callable<Integer> {
  static final int MAX_RUNS = 1000;
  static final int MAX_TOKENS = 8;

  /** What {@code ./inferscope} and the image give every JVM they start (see the launcher). */
  static final List<String> LAUNCHER_OPTIONS =
      List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

  /**
   * {@link #LAUNCHER_OPTIONS} and, where the launcher would name it, the folder of native libraries
   * next to the jar ({@code inferscope.native}, made by {@link NativeLibraryFolder}): its stamp
   * newer than the jar, as {@code ./inferscope} checks.
   */
  static List<String> launcherOptions(Path jar) {
    Path folder = NativeLibraryFolder.besideJar(jar);
    if (!NativeLibraryFolder.madeFor(folder, jar)) {
      return LAUNCHER_OPTIONS;
    }
    List<String> options = new ArrayList<>(LAUNCHER_OPTIONS);
    options.add("-Djava.library.path=" + folder);
    return List.copyOf(options);
  }

  /**
   * What the AOT cache's training run adds, in {@code scripts/aot-cache} as here: no method
   * profiles kept in the cache (docs/benchmarks.md, "Start-up time to first request").
   */
  static final List<String> AOT_TRAINING_OPTIONS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:-AOTRecordTraining");

  /** Short, so that the time to exit is mostly the client's own. */
  static final Duration SIM_TTFT = Duration.ofMillis(5);

  static final Duration SIM_GAP = Duration.ofMillis(1);

  /** {@code --variants} as typed. */
  static final class VariantNames extends io.inferscope.cli.EnumNames<Variant> {
    VariantNames() {
      super(Variant.class);
    }
  }

  /** How the child JVM is started. */
  enum Variant {
    /** The JDK's default CDS archive only ({@code -Xshare:auto} is the default). */
    PLAIN("none (JDK default CDS archive)"),
    /** With an AOT cache of this jar, required to load ({@code -XX:AOTMode=on}). */
    AOT("-XX:AOTCache=inferscope.aot -XX:AOTMode=on"),
    /** Without any class-data sharing, for comparison. */
    NOCDS("-Xshare:off");

    private final String label;

    Variant(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    List<String> jvmOptions(Path aotCache) {
      return switch (this) {
        case PLAIN -> List.of();
        case AOT -> List.of("-XX:AOTCache=" + aotCache, "-XX:AOTMode=on");
        case NOCDS -> List.of("-Xshare:off");
      };
    }
  }

  /** One measured child run; times from the instant before {@code ProcessBuilder.start()}. */
  record Sample(Variant variant, int run, Duration toFirstRequest, Duration toExit) {}

  /** The figures of one variant; durations in nanoseconds. */
  record Summary(
      Variant variant,
      int runs,
      long firstP50,
      long firstMin,
      long firstMax,
      long exitP50,
      long exitMin,
      long exitMax) {}

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--runs",
      defaultValue = "10",
      description = "Measured runs per variant (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--warmup",
      defaultValue = "1",
      description =
          "Runs per variant first, left out of the tables (default: ${DEFAULT-VALUE}); they"
              + " bring the jar into the page cache.")
  int warmup;

  @Option(
      completionCandidates = VariantNames.class,
      names = "--variants",
      split = ",",
      defaultValue = "plain,aot",
      description =
          "JVM set-ups to compare, run interleaved: ${COMPLETION-CANDIDATES} (default:"
              + " ${DEFAULT-VALUE}).")
  List<Variant> variants;

  @Option(
      names = "--target",
      defaultValue = "250ms",
      converter = Durations.class,
      description =
          "Goal for the p50 time from process start to first request (default:"
              + " ${DEFAULT-VALUE}).")
  Duration target;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      converter = Durations.class,
      description =
          "Bound of each child run, the AOT training run included (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description =
          "The inferscope jar to time (default: the product jar ./inferscope runs, which it"
              + " names in -Dinferscope.jar).")
  Path jar;

  /** The child running now, killed by the shutdown hook if this process is stopped. */
  private volatile Process current;

  /** Set by the shutdown hook: the JVM is exiting on a signal. */
  private volatile boolean stopping;

  /** The jar's size and time at the start: a jar rebuilt meanwhile makes the runs meaningless. */
  private String jarStamp;

  @Override
  public Integer call() throws InterruptedException {
    validate(runs, warmup, variants, timeout);
    Path theJar = resolveJar(jar, System.getProperty(JAR_PROPERTY));
    jarStamp = stamp(theJar);
    Path java = Path.of(BenchSimProcess.thisJava());
    if (!Files.isExecutable(java)) {
      throw Errors.failure("no java launcher at " + java + ": run this with a full JDK 25");
    }
    List<Variant> order = List.copyOf(new LinkedHashSet<>(variants));
    PrintWriter out = spec.commandLine().getOut();
    Path work;
    try {
      work = Files.createTempDirectory("inferscope-bench-startup");
    } catch (IOException e) {
      throw Errors.failure(
          "cannot create a temporary directory (" + Errors.oneLine(e.getMessage()) + ")");
    }
    // Stopped by a signal, this process exits without reaching the finally block below.
    Thread killer =
        Thread.ofPlatform()
            .unstarted(
                () -> {
                  stopping = true;
                  killCurrent();
                  deleteQuietly(work);
                });
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      printHeader(out, java, theJar);
      Path aotCache = null;
      if (order.contains(Variant.AOT)) {
        aotCache = work.resolve("inferscope.aot");
        Duration took = train(java, theJar, aotCache, work);
        out.println(
            "AOT cache: made by one training run (`"
                + String.join(" ", AOT_TRAINING_OPTIONS)
                + " -XX:AOTCacheOutput=inferscope.aot`, same child command) in "
                + ms(took.toNanos())
                + " ms, "
                + Files.size(aotCache) / (1024 * 1024)
                + " MiB.");
        out.println();
        out.flush();
      }
      for (int w = 0; w < warmup; w++) {
        for (Variant v : order) {
          measure(java, theJar, v, aotCache, work, -1 - w);
        }
      }
      List<Sample> samples = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        for (Variant v : order) {
          samples.add(measure(java, theJar, v, aotCache, work, r));
        }
      }
      out.print(runTable(samples));
      out.println();
      List<Summary> summaries = summarize(samples, order);
      out.print(summaryTable(summaries));
      out.println();
      out.println(verdict(summaries, target));
      String load = loadAverage();
      if (!load.isEmpty()) {
        out.println();
        out.println(
            "At the end: " + load.substring(2) + " (other work on the machine shows here).");
      }
      out.flush();
    } catch (IOException e) {
      throw Errors.failure("bench startup: " + Errors.oneLine(e.getMessage()));
    } finally {
      killCurrent();
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook kills the child.
      }
      deleteQuietly(work);
    }
    return ExitCodes.OK;
  }

  static void validate(int runs, int warmup, List<Variant> variants, Duration timeout) {
    if (runs < 1 || runs > MAX_RUNS) {
      throw Errors.usage("--runs must be between 1 and " + MAX_RUNS + ", got " + runs);
    }
    if (warmup < 0 || warmup > MAX_RUNS) {
      throw Errors.usage("--warmup must be between 0 and " + MAX_RUNS + ", got " + warmup);
    }
    if (variants == null || variants.isEmpty()) {
      throw Errors.usage("--variants needs at least one of plain, aot, nocds");
    }
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw Errors.usage(
          "--timeout must be at least 1s (a JVM takes a while to start), got "
              + Durations.format(timeout));
    }
  }

  /**
   * The system property naming the product jar to time when {@code --jar} is not given: {@code
   * ./inferscope bench} sets it to the jar it runs for every other command.
   */
  static final String JAR_PROPERTY = "inferscope.jar";

  /**
   * The jar to time: {@code given}, or the product jar the launcher names.
   *
   * @param launchers the value of {@link #JAR_PROPERTY}, or null when unset
   */
  static Path resolveJar(Path given, String launchers) {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw Errors.usage("--jar " + given + " is not a file: give the inferscope jar");
      }
      return given.toAbsolutePath();
    }
    if (launchers == null || launchers.isBlank()) {
      throw Errors.usage(
          "bench startup times the product jar, which is not this one: run ./inferscope bench"
              + " startup, or give --jar inferscope-cli/target/inferscope.jar");
    }
    Path jar = Path.of(launchers);
    if (!Files.isRegularFile(jar)) {
      throw Errors.usage(
          "no inferscope jar at "
              + jar
              + " (-D"
              + JAR_PROPERTY
              + "): build it with ./scripts/mvn -DskipTests package, or give --jar FILE");
    }
    return jar.toAbsolutePath();
  }

  /** The child's arguments after {@code -jar JAR}: one request, nothing sampled or printed. */
  static List<String> childArgs(String url) {
    return List.of(
        "run",
        "--url",
        url,
        "-n",
        "1",
        "-c",
        "1",
        "--max-tokens",
        Integer.toString(MAX_TOKENS),
        "-q",
        "--no-gpu",
        "--no-process",
        "--progress",
        "off");
  }

  private static SimConfig simConfig() {
    return SimConfig.defaults()
        .withTiming(SIM_TTFT, SIM_GAP, Duration.ZERO)
        .withOutputTokens(MAX_TOKENS);
  }

  private static List<String> command(Path java, Path jar, List<String> jvmOptions, String url) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(launcherOptions(jar));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(childArgs(url));
    return command;
  }

  /** Makes the AOT cache with one training run (JEP 514's one-step workflow). */
  private Duration train(Path java, Path jar, Path aotCache, Path work)
      throws IOException, InterruptedException {
    Path log = work.resolve("training.log");
    try (SimEngine engine = startSim()) {
      List<String> options = new java.util.ArrayList<>(AOT_TRAINING_OPTIONS);
      options.add("-XX:AOTCacheOutput=" + aotCache);
      List<String> command = command(java, jar, options, engine.baseUrl());
      long t0 = System.nanoTime();
      int code = runChild(command, work, log, "the AOT training run");
      long took = System.nanoTime() - t0;
      checkJarUnchanged(jar);
      if (code != 0 || !Files.isRegularFile(aotCache) || Files.size(aotCache) == 0) {
        throw Errors.failure(
            "the AOT training run made no cache (exit code "
                + code
                + ": "
                + ChildProcesses.lastLine(log)
                + "): is this a JDK 25 or later?");
      }
      return Duration.ofNanos(took);
    }
  }

  private Sample measure(Path java, Path jar, Variant variant, Path aotCache, Path work, int run)
      throws IOException, InterruptedException {
    Path log = work.resolve("run-" + variant.code() + ".log");
    try (SimEngine engine = startSim()) {
      List<String> command = command(java, jar, variant.jvmOptions(aotCache), engine.baseUrl());
      String what = (run < 0 ? "warm-up run" : "run " + run) + " (" + variant.code() + ")";
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Instant start = Instant.now();
      Process p = pb.start();
      current = p;
      int code = await(p, what);
      Instant exit = Instant.now();
      current = null;
      checkJarUnchanged(jar);
      if (code != 0) {
        throw Errors.failure(
            what + " exited with code " + code + ": " + ChildProcesses.lastLine(log));
      }
      Instant first =
          engine
              .firstCompletionRequestAt()
              .orElseThrow(
                  () ->
                      Errors.failure(
                          what
                              + " exited without sending a completion request: "
                              + ChildProcesses.lastLine(log)));
      return new Sample(
          variant, run, Duration.between(start, first), Duration.between(start, exit));
    }
  }

  private static String stamp(Path jar) {
    try {
      return Files.size(jar) + " " + Files.getLastModifiedTime(jar);
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private void checkJarUnchanged(Path jar) {
    if (!stamp(jar).equals(jarStamp)) {
      throw Errors.failure(
          jar.getFileName() + " changed during the bench (rebuilt?): run the bench again");
    }
  }

  private int runChild(List<String> command, Path work, Path log, String what)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    current = p;
    int code = await(p, what);
    current = null;
    return code;
  }

  /** Waits for the child within --timeout; kills it and its descendants when that passes. */
  private int await(Process p, String what) throws InterruptedException {
    try {
      if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        ChildProcesses.kill(p);
        throw Errors.failure(
            what + " did not finish within " + Durations.format(timeout) + ": see --timeout");
      }
    } catch (InterruptedException e) {
      ChildProcesses.kill(p);
      throw e;
    }
    if (stopping) {
      // The hook killed the child on purpose and the JVM halts once it is done: nothing to report.
      Thread.sleep(Duration.ofMinutes(1));
    }
    return p.exitValue();
  }

  private static SimEngine startSim() throws IOException {
    try {
      return SimEngine.start(simConfig());
    } catch (IOException e) {
      throw new IOException(
          "cannot start the simulated engine on loopback (" + Errors.oneLine(e.getMessage()) + ")",
          e);
    }
  }

  private void killCurrent() {
    Process p = current;
    if (p != null) {
      ChildProcesses.kill(p);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | RuntimeException e) {
      // A temporary directory left behind is harmless.
    }
  }

  /**
   * The median, as every percentile in inferscope: linear interpolation between the closest ranks
   * ({@link io.inferscope.core.Summary}, ADR 0002).
   */
  static long p50(long[] values) {
    io.inferscope.core.Summary s = io.inferscope.core.Summary.of(values);
    if (s == null) {
      throw new IllegalArgumentException("no values");
    }
    return Math.round(s.p50());
  }

  /** One summary per variant, in {@code order}; variants without samples are left out. */
  static List<Summary> summarize(List<Sample> samples, List<Variant> order) {
    List<Summary> summaries = new ArrayList<>();
    for (Variant v : order) {
      List<Sample> of = samples.stream().filter(s -> s.variant() == v).toList();
      if (of.isEmpty()) {
        continue;
      }
      long[] first = of.stream().mapToLong(s -> s.toFirstRequest().toNanos()).toArray();
      long[] exit = of.stream().mapToLong(s -> s.toExit().toNanos()).toArray();
      summaries.add(
          new Summary(
              v,
              of.size(),
              p50(first),
              Arrays.stream(first).min().orElseThrow(),
              Arrays.stream(first).max().orElseThrow(),
              p50(exit),
              Arrays.stream(exit).min().orElseThrow(),
              Arrays.stream(exit).max().orElseThrow()));
    }
    return summaries;
  }

  static String runTable(List<Sample> samples) {
    StringBuilder sb = new StringBuilder();
    sb.append("| run | variant | start → first request (ms) | start → exit (ms) |\n");
    sb.append("|---:|---|---:|---:|\n");
    for (Sample s : samples) {
      sb.append("| ")
          .append(s.run())
          .append(" | ")
          .append(s.variant().code())
          .append(" | ")
          .append(ms(s.toFirstRequest().toNanos()))
          .append(" | ")
          .append(ms(s.toExit().toNanos()))
          .append(" |\n");
    }
    return sb.toString();
  }

  static String summaryTable(List<Summary> summaries) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| variant | JVM options | runs | first request p50 (ms) | min | max | exit p50 (ms) | min"
            + " | max |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Summary s : summaries) {
      sb.append("| ")
          .append(s.variant().code())
          .append(" | ")
          .append(s.variant().label())
          .append(" | ")
          .append(s.runs())
          .append(" | ")
          .append(ms(s.firstP50()))
          .append(" | ")
          .append(ms(s.firstMin()))
          .append(" | ")
          .append(ms(s.firstMax()))
          .append(" | ")
          .append(ms(s.exitP50()))
          .append(" | ")
          .append(ms(s.exitMin()))
          .append(" | ")
          .append(ms(s.exitMax()))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** One line: per variant, whether its p50 time to first request is within {@code target}. */
  static String verdict(List<Summary> summaries, Duration target) {
    StringBuilder sb =
        new StringBuilder("Verdict (p50 start → first request ≤ ")
            .append(Durations.format(target))
            .append("):");
    String sep = " ";
    for (Summary s : summaries) {
      long over = s.firstP50() - target.toNanos();
      sb.append(sep).append(s.variant().code());
      if (over <= 0) {
        sb.append(" holds, ").append(ms(-over)).append(" ms to spare");
      } else {
        sb.append(" misses by ").append(ms(over)).append(" ms");
      }
      sb.append(" (p50 ").append(ms(s.firstP50())).append(" ms)");
      sep = "; ";
    }
    return sb.append('.').toString();
  }

  /** Milliseconds with one decimal. */
  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  private void printHeader(PrintWriter out, Path java, Path theJar) throws IOException {
    out.println("## inferscope bench startup");
    out.println();
    out.println("Machine: " + BenchReport.machine() + loadAverage());
    out.println(
        "Command: `inferscope "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs())
            + "`");
    out.println(
        "Child: `"
            + java
            + " "
            + String.join(" ", launcherOptions(theJar))
            + " [variant options] -jar "
            + theJar.getFileName()
            + " "
            + String.join(" ", childArgs("http://127.0.0.1:PORT"))
            + "` ("
            + Files.size(theJar) / 1024
            + " KiB jar), against the simulated engine in this process (TTFT "
            + Durations.format(SIM_TTFT)
            + ", "
            + Durations.format(SIM_GAP)
            + " gaps, "
            + MAX_TOKENS
            + " tokens).");
    out.println(
        "Times from `Instant.now()` just before `ProcessBuilder.start()` to when the engine had"
            + " read the first completion request (the `GET /v1/models` probe comes before it),"
            + " and to when `waitFor` returned; "
            + runs
            + " runs per variant after "
            + warmup
            + " warm-up, variants interleaved; p50 interpolates between the two middle runs.");
    out.println();
    out.flush();
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return ", load average " + f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
