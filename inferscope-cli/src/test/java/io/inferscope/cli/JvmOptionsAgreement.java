package io.inferscope.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Whether scripts/jvm-options picks the collector {@link JvmChoice} picks, on command lines
 * generated from picocli's model of every command of a tree: each option in every form picocli
 * reads ({@code -c 512}, {@code -c512}, {@code -c=512}, {@code --concurrency=512}, clustered after
 * flags), stream counts on both sides of the threshold and in forms Java's int parsing would take
 * but shell cannot read, values of other options that look like the stream-count option, option
 * files, options given twice, {@code --}, options of the enclosing commands before a subcommand.
 * Each line is parsed as the jar parses it; the real script runs on all of them in one shell, one
 * child process each. Lines picocli rejects are counted but not compared: the JVM then only prints
 * a usage error, under either collector.
 *
 * <p>Public for inferscope-bench's test, which checks its own command tree with it.
 */
public final class JvmOptionsAgreement {

  /** The script, from a module's directory (where tests run). */
  public static final Path SCRIPT =
      Path.of("..", "scripts", "jvm-options").toAbsolutePath().normalize();

  /** Values for an option that sets the stream count, singly. */
  static final List<String> STREAM_COUNTS =
      List.of(
          "1",
          "255",
          "256",
          "257",
          "999",
          "1000",
          "4096",
          "0",
          "0255",
          "0256",
          "0000000000000000000000000000256",
          "2147483647",
          "2147483648",
          "99999999999999999999",
          "+512",
          "-512",
          "-1",
          "５１２",
          "٥١٢",
          "0x200",
          "1e3",
          "512 ",
          " 512",
          "256\n",
          "",
          "many");

  /** Values for an option that sets the stream count, in pairs and clusters: either side. */
  static final List<String> THRESHOLD = List.of("255", "256", "0256");

  private final Function<String[], CommandLine> parser;
  private final Path optionFile;

  private JvmOptionsAgreement(Function<String[], CommandLine> parser, Path optionFile) {
    this.parser = parser;
    this.optionFile = optionFile;
  }

  /** A line on which the two disagree. */
  public record Mismatch(List<String> args, String jvmChoice, String script) {
    @Override
    public String toString() {
      return "inferscope "
          + String.join(" ", args.stream().map(JvmOptionsAgreement::quote).toList())
          + ": JvmChoice "
          + jvmChoice
          + ", script "
          + (script.isEmpty() ? "(nothing)" : script);
    }
  }

  /**
   * What a check found.
   *
   * @param lines command lines generated
   * @param parsed of those, the ones picocli accepts (and so compared)
   * @param zgc of those, the ones JvmChoice gives ZGC
   * @param mismatches parsed lines on which the script prints something else
   * @param zgcSources every command and option of the tree that can make JvmChoice choose ZGC
   * @param zgcReached those that did on some generated line
   */
  public record Outcome(
      int lines,
      int parsed,
      int zgc,
      List<Mismatch> mismatches,
      Set<String> zgcSources,
      Set<String> zgcReached) {

    /** A summary and the first mismatches, for an assertion's message. */
    public String describe() {
      StringBuilder sb =
          new StringBuilder()
              .append(lines)
              .append(" command lines, ")
              .append(parsed)
              .append(" accepted by picocli, ")
              .append(zgc)
              .append(" of them ZGC; ")
              .append(mismatches.size())
              .append(" where scripts/jvm-options disagrees with JvmChoice");
      mismatches.stream().limit(40).forEach(m -> sb.append("\n  ").append(m));
      return sb.toString();
    }
  }

  /**
   * Generates the command lines of {@code root}'s tree, keeps those {@code routedHere} (the
   * launcher sends them to this tree's jar), and compares JvmChoice with the script on them.
   *
   * @param parser the command tree the jar builds for a command line, as its main method does
   * @param work a directory for the option file and the shell driver
   */
  public static Outcome check(
      Function<String[], CommandLine> parser, Predicate<List<String>> routedHere, Path work)
      throws IOException, InterruptedException {
    Path optionFile = work.resolve("opts");
    Files.writeString(optionFile, "-c 512\n--concurrency=512\nfidelity\n");
    JvmOptionsAgreement generator = new JvmOptionsAgreement(parser, optionFile);
    CommandLine root = parser.apply(new String[0]);
    Set<List<String>> generated = new LinkedHashSet<>();
    generator.visit(root, List.of(), List.of(), generated);
    List<List<String>> lines = generated.stream().filter(routedHere).toList();

    // The shell runs while this thread parses.
    Process shell = startScript(lines, work);
    int parsed = 0;
    int zgc = 0;
    List<Mismatch> mismatches = new ArrayList<>();
    Set<String> reached = new LinkedHashSet<>();
    JvmChoice[] chosen = new JvmChoice[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] args = lines.get(i).toArray(String[]::new);
      CommandLine.ParseResult result;
      try {
        result = parser.apply(args).parseArgs(args);
      } catch (CommandLine.ParameterException e) {
        continue;
      }
      parsed++;
      JvmChoice choice = JvmChoice.forCommand(result);
      chosen[i] = choice;
      if (choice == JvmChoice.ZGC) {
        zgc++;
        reached.addAll(zgcSources(result));
      }
    }
    List<String> script = scriptResults(shell, lines.size(), work);
    for (int i = 0; i < lines.size(); i++) {
      if (chosen[i] != null && !chosen[i].options().equals(script.get(i))) {
        mismatches.add(new Mismatch(lines.get(i), chosen[i].options(), script.get(i)));
      }
    }
    Set<String> sources = new LinkedHashSet<>();
    allSources(root, sources);
    return new Outcome(lines.size(), parsed, zgc, mismatches, sources, reached);
  }

  /** Commands and options that make JvmChoice choose ZGC on this parse. */
  private static List<String> zgcSources(CommandLine.ParseResult parsed) {
    List<String> sources = new ArrayList<>();
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      CommandSpec spec = p.commandSpec();
      if (spec.userObject() instanceof JvmChoice.ManyStreams) {
        sources.add(spec.qualifiedName());
      }
      for (OptionSpec o : spec.options()) {
        if (JvmChoice.isStreamCount(o)
            && o.getValue() instanceof Integer n
            && n >= JvmChoice.MANY_STREAMS) {
          sources.add(spec.qualifiedName() + " " + o.longestName());
        }
      }
    }
    return sources;
  }

  /** Every command of the tree that is ManyStreams and every stream-count option. */
  private static void allSources(CommandLine command, Set<String> sources) {
    CommandSpec spec = command.getCommandSpec();
    if (spec.userObject() instanceof JvmChoice.ManyStreams) {
      sources.add(spec.qualifiedName());
    }
    for (OptionSpec o : spec.options()) {
      if (JvmChoice.isStreamCount(o)) {
        sources.add(spec.qualifiedName() + " " + o.longestName());
      }
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      allSources(sub, sources);
    }
  }

  /**
   * Lines for {@code command} (reached by {@code path}, below {@code ancestors}) and its
   * subcommands.
   */
  private void visit(
      CommandLine command, List<String> path, List<CommandSpec> ancestors, Set<List<String>> out) {
    CommandSpec spec = command.getCommandSpec();
    List<List<String>> prefixes = prefixes(path, ancestors);
    List<List<String>> fragments = fragments(spec, path);
    List<List<String>> streamCounts = streamCountFragments(spec);
    List<List<String>> context = contextFragments(spec, path);

    for (List<String> fragment : fragments) {
      out.add(concat(path, fragment));
    }
    // The enclosing commands' options before each subcommand name, with the stream count and
    // with each other option.
    for (List<String> prefix : prefixes) {
      out.add(prefix);
      for (List<String> count : streamCounts) {
        out.add(concat(prefix, count));
      }
      for (List<String> other : context) {
        out.add(concat(prefix, other));
      }
    }
    for (List<String> count : streamCounts) {
      // Beside every other option, on either side, and beside itself (given twice).
      for (List<String> other : context) {
        out.add(concat(path, count, other));
        out.add(concat(path, other, count));
      }
      for (List<String> again : streamCounts) {
        out.add(concat(path, count, again));
      }
      // After an option whose value is missing: picocli refuses the stream count as its value.
      for (OptionSpec o : spec.options()) {
        if (o.arity().max() > 0 && !JvmChoice.isStreamCount(o)) {
          out.add(concat(path, List.of(o.longestName()), count));
          out.add(concat(path, List.of(o.shortestName()), count));
        }
      }
      out.add(concat(path, List.of("--"), count));
    }

    List<CommandSpec> below = concat(ancestors, List.of(spec));
    for (var sub : command.getSubcommands().entrySet()) {
      visit(sub.getValue(), concat(path, List.of(sub.getKey())), below, out);
    }
  }

  /** {@code path} as is, and with each enclosing command's options before each name in it. */
  private static List<List<String>> prefixes(List<String> path, List<CommandSpec> ancestors) {
    List<List<String>> prefixes = new ArrayList<>();
    prefixes.add(path);
    for (int i = 0; i < path.size(); i++) {
      for (OptionSpec o : ancestors.get(i).options()) {
        for (String name : o.names()) {
          List<String> p = new ArrayList<>(path.subList(0, i));
          p.add(name);
          p.addAll(path.subList(i, path.size()));
          prefixes.add(p);
        }
      }
    }
    return prefixes;
  }

  /** Everything once: each option with each value in each form, clusters, positionals. */
  private List<List<String>> fragments(CommandSpec spec, List<String> path) {
    List<List<String>> f = new ArrayList<>();
    f.add(List.of());
    f.add(List.of("--"));
    f.add(List.of("--", "-c", "512"));
    f.add(List.of("--", "-c512"));
    f.add(List.of("@" + optionFile));
    f.add(List.of("-c", "512"));
    f.add(List.of("-c512"));
    f.add(List.of("--concurrency=512"));
    f.add(List.of("fidelity"));
    for (OptionSpec o : spec.options()) {
      if (o.arity().max() == 0) {
        for (String name : o.names()) {
          f.add(List.of(name));
          if (name.startsWith("--")) {
            f.add(List.of(name + "=true"));
            f.add(List.of(name + "=false"));
          }
        }
        continue;
      }
      List<String> values =
          JvmChoice.isStreamCount(o)
              ? STREAM_COUNTS
              : concat(List.of(sample(path, o)), lookalikes());
      for (String name : o.names()) {
        f.add(List.of(name));
        for (String value : values) {
          f.addAll(forms(name, value));
        }
      }
    }
    // Clusters: flags, then an option that takes a value, which takes the rest of the argument.
    List<String> flags = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      for (String name : o.names()) {
        if (o.arity().max() == 0 && isShort(name)) {
          flags.add(name.substring(1));
        }
      }
    }
    List<String> clusters = new ArrayList<>(flags);
    for (String a : flags) {
      for (String b : flags) {
        if (!a.equals(b)) {
          clusters.add(a + b);
        }
      }
    }
    for (String cluster : clusters) {
      f.add(List.of("-" + cluster));
      for (OptionSpec o : spec.options()) {
        if (o.arity().max() == 0) {
          continue;
        }
        List<String> values =
            JvmChoice.isStreamCount(o) ? THRESHOLD : List.of(sample(path, o), "c512", "c");
        for (String name : o.names()) {
          if (!isShort(name)) {
            continue;
          }
          String head = "-" + cluster + name.substring(1);
          f.add(List.of(head));
          for (String value : values) {
            f.add(List.of(head + value));
            f.add(List.of(head, value));
            f.add(List.of(head + "=" + value));
          }
        }
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      String value = sample(path, p);
      f.add(List.of(value));
      f.add(List.of("--", value));
      f.add(List.of(value, "-c", "512"));
      f.add(List.of("--", value, "-c512"));
    }
    return f;
  }

  /** The stream count on both sides of the threshold, in every form. */
  private static List<List<String>> streamCountFragments(CommandSpec spec) {
    List<List<String>> f = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (JvmChoice.isStreamCount(o)) {
        for (String name : o.names()) {
          for (String value : THRESHOLD) {
            f.addAll(forms(name, value));
          }
        }
      }
    }
    return f;
  }

  /** Every other option once, with a value picocli takes. */
  private List<List<String>> contextFragments(CommandSpec spec, List<String> path) {
    List<List<String>> f = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (JvmChoice.isStreamCount(o)) {
        continue;
      }
      f.add(
          o.arity().max() == 0
              ? List.of(o.shortestName())
              : List.of(o.shortestName(), sample(path, o)));
    }
    return f;
  }

  /** Values for other options that look like the stream-count option or end the options. */
  private List<String> lookalikes() {
    return List.of(
        "-c512",
        "-c",
        "-c=512",
        "-c 512",
        "--concurrency=512",
        "--concurrency",
        "-qc512",
        "-hc512",
        "-xc512",
        "-qmc512",
        "c512",
        "512",
        "--",
        "-",
        "-5",
        "@" + optionFile);
  }

  /** {@code name} with {@code value}: separate, after '=', and attached for a short name. */
  private static List<List<String>> forms(String name, String value) {
    List<List<String>> f = new ArrayList<>();
    f.add(List.of(name, value));
    f.add(List.of(name + "=" + value));
    if (isShort(name)) {
      f.add(List.of(name + value));
    }
    return f;
  }

  private static boolean isShort(String name) {
    return name.length() == 2 && name.charAt(0) == '-' && name.charAt(1) != '-';
  }

  /** A value picocli takes for {@code arg} on {@code path}'s command, found by trying. */
  private String sample(List<String> path, ArgSpec arg) {
    List<String> candidates = new ArrayList<>();
    if (arg.defaultValue() != null) {
      candidates.add(arg.defaultValue());
    }
    if (arg.type().isEnum()) {
      for (Object constant : arg.type().getEnumConstants()) {
        candidates.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
      }
    }
    candidates.addAll(List.of("2", "2s", "x", "1,2", "0.5"));
    for (String candidate : candidates) {
      List<String> args =
          arg instanceof OptionSpec o
              ? concat(path, List.of(o.longestName(), candidate))
              : concat(path, List.of(candidate));
      try {
        parser.apply(args.toArray(String[]::new)).parseArgs(args.toArray(String[]::new));
        return candidate;
      } catch (CommandLine.ParameterException e) {
        // try the next
      }
    }
    return "x";
  }

  /**
   * Starts one shell that runs the script on every line: {@code "$script" ARGS; echo "#rc $?"} per
   * line, its output to a file.
   */
  private static Process startScript(List<List<String>> lines, Path work) throws IOException {
    StringBuilder driver = new StringBuilder("s=").append(quote(SCRIPT.toString())).append('\n');
    for (List<String> line : lines) {
      driver.append("\"$s\"");
      for (String arg : line) {
        driver.append(' ').append(quote(arg));
      }
      driver.append("\necho \"#rc $?\"\n");
    }
    Path file = work.resolve("driver.sh");
    Files.writeString(file, driver, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("sh", file.toString());
    pb.environment().remove("INFERSCOPE_JAVA_OPTS");
    pb.redirectOutput(work.resolve("driver.out").toFile());
    pb.redirectError(work.resolve("driver.err").toFile());
    return pb.start();
  }

  /** What the script printed for each line, stripped, once the shell has finished. */
  private static List<String> scriptResults(Process p, int lines, Path work)
      throws IOException, InterruptedException {
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the shell driver did not finish in 300 s");
    }
    String out = Files.readString(work.resolve("driver.out"), StandardCharsets.UTF_8);
    String err = Files.readString(work.resolve("driver.err"), StandardCharsets.UTF_8);
    if (p.exitValue() != 0 || !err.isEmpty()) {
      throw new AssertionError("the shell driver failed (" + p.exitValue() + "): " + err);
    }
    List<String> printed = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String l : out.split("\n", -1)) {
      if (l.startsWith("#rc ")) {
        if (!l.equals("#rc 0")) {
          throw new AssertionError(
              "scripts/jvm-options exited with " + l.substring(4) + " on line " + printed.size());
        }
        printed.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(l).append('\n');
      }
    }
    if (printed.size() != lines) {
      throw new AssertionError(
          "the shell driver gave " + printed.size() + " results for " + lines + " lines");
    }
    return printed;
  }

  /** For sh, in single quotes. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }

  private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  private static <T> List<T> concat(List<? extends T> a, List<? extends T> b, List<? extends T> c) {
    return concat(concat(a, b), c);
  }
}
