package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * {@link CommandModels} is what the commands' annotations generate now, and each model it builds
 * behaves as the one picocli reads from the annotations: the same options with the same attributes,
 * in the same order, the same help, and the same fields set (or the same error) for each line of a
 * corpus that gives every option a value.
 */
class CommandModelsTest {

  /**
   * OptionSpec's accessors that are not attributes: its bindings (compared through the fields they
   * set, below), the objects picocli made for it (compared by class or content), what a parse
   * leaves (compared below), and {@code originalDefaultValue}, which only tells picocli whether an
   * annotation gave a default: both models have none where {@code defaultValue} is null, and take
   * the same branch for it (no value applied).
   */
  private static final Set<String> NOT_ATTRIBUTES =
      Set.of(
          "getter",
          "setter",
          "scope",
          "userObject",
          "annotatedElement",
          "command",
          "group",
          "root",
          "typeInfo",
          "converters",
          "completionCandidates",
          "preprocessor",
          "parameterConsumer",
          "originalDefaultValue",
          "originalMapFallbackValue",
          "getValue",
          "getValues",
          "stringValues",
          "originalStringValues",
          "typedValues",
          "hashCode",
          "toString",
          "initialValue",
          "longestName",
          "shortestName",
          "negatedOptionName",
          "isOption",
          "isPositional",
          "isMultiValue",
          "isValueGettable",
          "defaultValueString",
          "renderedDescription",
          "descriptionKey",
          "inherited",
          "scopeString",
          "getClass");

  @Test
  void committedFileIsWhatTheAnnotationsGenerateNow() throws IOException {
    String generated = CommandModelSource.render();
    if ("write".equals(System.getProperty(CommandModelSource.WRITE_PROPERTY))) {
      Files.writeString(CommandModelSource.FILE, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.readString(CommandModelSource.FILE, StandardCharsets.UTF_8);
    if (!committed.equals(generated)) {
      fail(
          "inferscope-cli/"
              + CommandModelSource.FILE
              + " differs from what the commands' annotations generate now. Regenerate it from the"
              + " repository root with:\n  "
              + CommandModelSource.REGENERATE
              + "\nand commit it.");
    }
  }

  /**
   * CommandSpec's accessors that are not the command's own attributes: its parts (options and
   * mixins, compared one by one below; usage message and parser, compared below), the objects it is
   * tied to, and what its version provider says (compared as printed).
   */
  private static final Set<String> NOT_COMMAND_ATTRIBUTES =
      Set.of(
          "args",
          "argGroups",
          "commandLine",
          "mixins",
          "mixinAnnotatedElements",
          "negatedOptionsMap",
          "options",
          "optionsMap",
          "parser",
          "positionalParameters",
          "posixOptionsMap",
          "requiredArgs",
          "specElements",
          "subcommands",
          "unmatchedArgsBindings",
          "usageMessage",
          "userObject",
          "version",
          "versionProvider");

  /** In write mode only the file is written: the rest would test the build's stale copy. */
  private static void notWriting() {
    assumeFalse("write".equals(System.getProperty(CommandModelSource.WRITE_PROPERTY)));
  }

  @Test
  void rootModelIsTheAnnotatedOne() {
    notWriting();
    assertSameModel(CommandModels.main(new Main()), new CommandLine(new Main()).getCommandSpec());
  }

  @Test
  void runModelIsTheAnnotatedOne() {
    notWriting();
    assertSameModel(
        CommandModels.run(new RunCommand()), new CommandLine(new RunCommand()).getCommandSpec());
  }

  @Test
  void theCommandsHelpIsTheAnnotatedOnesHelp() {
    notWriting();
    CommandLine generated = Main.newCommandLine();
    CommandLine annotated = annotatedTree();
    assertThat(usage(generated)).isEqualTo(usage(annotated));
    assertThat(usage(generated.getSubcommands().get("run")))
        .isEqualTo(usage(annotated.getSubcommands().get("run")));
    assertThat(version(generated)).isEqualTo(version(annotated));
    assertThat(version(generated.getSubcommands().get("run")))
        .isEqualTo(version(annotated.getSubcommands().get("run")));
  }

  @Test
  void helpVersionAndAUsageErrorExitAsTheAnnotatedOnes() {
    notWriting();
    for (List<String> line :
        List.of(
            List.of("--help"),
            List.of("-V"),
            List.of("run", "--help"),
            List.of("run", "-V"),
            List.of("help", "run"),
            List.of("run", "--no-such-option"),
            List.of("--no-such-option"))) {
      assertThat(execute(Main.newCommandLine(), line))
          .as("%s", line)
          .isEqualTo(execute(annotatedTree(), line));
    }
  }

  @Test
  void everyOptionGetsTheSameValueOrTheSameError() throws Exception {
    notWriting();
    List<List<String>> lines = corpus(new CommandLine(new RunCommand()).getCommandSpec());
    assertThat(lines).hasSizeGreaterThan(200);
    int parsed = 0;
    for (List<String> line : lines) {
      RunCommand generated = new RunCommand();
      RunCommand annotated = new RunCommand();
      String generatedOutcome =
          parse(Main.configure(new CommandLine(CommandModels.run(generated))), line);
      String annotatedOutcome = parse(Main.configure(new CommandLine(annotated)), line);
      assertThat(generatedOutcome).as("outcome of %s", line).isEqualTo(annotatedOutcome);
      parsed += generatedOutcome.startsWith("parsed ") ? 1 : 0;
      assertThat(fields(generated)).as("fields after %s", line).isEqualTo(fields(annotated));
    }
    // The corpus reaches both ends: lines each model takes, and lines each refuses.
    assertThat(parsed).isGreaterThan(lines.size() / 3).isLessThan(lines.size() - 20);
  }

  @Test
  void aFieldTheModelSetsIsTheFieldItReads() throws Exception {
    notWriting();
    // Every binding reads back what it set, on the object the annotated model sets: a switch
    // that read one field and set another would pass a comparison of values alone.
    RunCommand command = new RunCommand();
    CommandSpec spec = CommandModels.run(command);
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      Object before = o.getValue();
      Object probe = probeValue(o.type(), before);
      o.setValue(probe);
      Object after = o.getValue();
      assertThat(after).as("%s", o.longestName()).isEqualTo(probe);
      assertThat(fields(command)).as("%s", o.longestName()).containsValue(probe);
      o.setValue(before);
    }
  }

  /** Every command as picocli reads it from the annotations, configured as Main configures it. */
  private static CommandLine annotatedTree() {
    CommandLine annotated = new CommandLine(new Main());
    for (String name : Main.SUBCOMMANDS) {
      annotated.addSubcommand(name, Main.annotatedCommand(name));
    }
    return Main.configure(annotated);
  }

  private static void assertSameModel(CommandSpec generated, CommandSpec annotated) {
    assertThat(generated.name()).isEqualTo(annotated.name());
    assertThat(attributes(generated, CommandSpec.class, NOT_COMMAND_ATTRIBUTES))
        .containsExactlyEntriesOf(attributes(annotated, CommandSpec.class, NOT_COMMAND_ATTRIBUTES));
    assertThat(generated.mixinStandardHelpOptions())
        .isEqualTo(annotated.mixinStandardHelpOptions());
    assertThat(generated.mixins().keySet()).containsExactlyElementsOf(annotated.mixins().keySet());
    assertThat(classOf(generated.versionProvider()))
        .isEqualTo(classOf(annotated.versionProvider()));
    assertThat(
            attributes(
                generated.usageMessage(), UsageMessageSpec.class, Set.of("messages", "sectionMap")))
        .containsExactlyEntriesOf(
            attributes(
                annotated.usageMessage(),
                UsageMessageSpec.class,
                Set.of("messages", "sectionMap")));
    assertThat(attributes(generated.parser(), CommandLine.Model.ParserSpec.class, Set.of()))
        .containsExactlyEntriesOf(
            attributes(annotated.parser(), CommandLine.Model.ParserSpec.class, Set.of()));
    assertThat(names(generated.options())).containsExactlyElementsOf(names(annotated.options()));
    for (int i = 0; i < annotated.options().size(); i++) {
      OptionSpec g = generated.options().get(i);
      OptionSpec a = annotated.options().get(i);
      String name = a.longestName();
      assertThat(attributes(g, OptionSpec.class, NOT_ATTRIBUTES))
          .as("%s", name)
          .containsExactlyEntriesOf(attributes(a, OptionSpec.class, NOT_ATTRIBUTES));
      assertThat(Arrays.stream(g.converters()).map(Object::getClass).toList())
          .as("%s converters", name)
          .isEqualTo(Arrays.stream(a.converters()).map(Object::getClass).toList());
      assertThat(list(g.completionCandidates()))
          .as("%s candidates", name)
          .isEqualTo(list(a.completionCandidates()));
      assertThat(typeInfo(g)).as("%s type", name).isEqualTo(typeInfo(a));
      Object initial = g.initialValue();
      assertThat(initial).as("%s initial value", name).isEqualTo(a.initialValue());
      if (!a.usageHelp() && !a.versionHelp()) {
        // picocli keeps its help options' values itself (set when a line is parsed); the others
        // read the command's fields from the start.
        assertThat(g.getValue() == null).as("%s value", name).isEqualTo(a.getValue() == null);
      }
    }
  }

  private static Map<String, Object> attributes(Object spec, Class<?> type, Set<String> skip) {
    Map<String, Object> values = new java.util.TreeMap<>();
    for (Method m : CommandModelSource.sortedGetters(type)) {
      if (skip.contains(m.getName())
          || m.getName().equals("hashCode")
          || m.getName().equals("toString")
          || m.getName().equals("getClass")) {
        continue;
      }
      try {
        Object v = m.invoke(spec);
        values.put(m.getName(), describe(v));
      } catch (ReflectiveOperationException e) {
        values.put(m.getName(), "threw " + e.getCause());
      }
    }
    return values;
  }

  /** A value as text; an object without value semantics by its class (a fresh one per model). */
  private static String describe(Object v) {
    if (v instanceof Object[] a) {
      return Arrays.deepToString(a);
    }
    if (v != null && !CommandModelSource.hasValueText(v)) {
      return "a " + v.getClass().getName();
    }
    return v == null ? "null" : CommandModelSource.withoutIdentity(v);
  }

  /**
   * The option's type as picocli sees it. Left out: the auxiliary types' own infos (their types are
   * compared as auxiliaryTypes) and the generic type arguments' names, which picocli 4.7 keeps for
   * its code generators and never reads while parsing or printing help.
   */
  private static Map<String, Object> typeInfo(OptionSpec o) {
    return attributes(
        o.typeInfo(),
        CommandLine.Model.ITypeInfo.class,
        Set.of("getAuxiliaryTypeInfos", "getActualGenericTypeArguments"));
  }

  private static List<String> list(Iterable<String> values) {
    List<String> out = new ArrayList<>();
    if (values != null) {
      values.forEach(out::add);
    }
    return out;
  }

  private static Class<?> classOf(Object o) {
    return o == null ? null : o.getClass();
  }

  private static List<String> names(List<OptionSpec> options) {
    return options.stream().map(o -> String.join("|", o.names())).toList();
  }

  private static String usage(CommandLine cl) {
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** Exit code, standard output and standard error of {@code line} through {@code cl}. */
  private static String execute(CommandLine cl, List<String> line) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(line.toArray(String[]::new));
    return "exit " + code + "\nout:\n" + out + "\nerr:\n" + err;
  }

  private static String version(CommandLine cl) {
    StringWriter s = new StringWriter();
    PrintWriter out = new PrintWriter(s);
    cl.printVersionHelp(out);
    out.flush();
    assertThat(s.toString()).startsWith("inferscope ");
    return s.toString();
  }

  /**
   * Each option alone with a value of its type (its default where it has one), each value-taking
   * option with a value of the wrong kind and with none, all options at once, and lines that are
   * wrong whatever the model: an unknown option, a typo of a known one.
   */
  private static List<List<String>> corpus(CommandSpec annotated) {
    List<List<String>> lines = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (OptionSpec o : annotated.options()) {
      if (o.usageHelp() || o.versionHelp()) {
        lines.add(List.of(o.longestName()));
        continue;
      }
      List<String> line = new ArrayList<>(List.of(o.longestName()));
      if (o.arity().max() > 0) {
        line.add(sample(o));
        lines.add(List.of(o.longestName(), "not-a-value-of-any-kind:%"));
        lines.add(List.of(o.longestName()));
      }
      lines.add(line);
      if (!o.longestName().equals("--api-key")) {
        all.addAll(line);
      }
      lines.add(List.of(o.shortestName() + (o.arity().max() > 0 ? "=" + sample(o) : "")));
    }
    lines.add(all);
    lines.add(List.of("--no-such-option"));
    lines.add(List.of("--concurency", "4"));
    lines.add(List.of());
    return lines;
  }

  private static String sample(OptionSpec o) {
    if (o.defaultValue() != null) {
      return o.defaultValue();
    }
    Class<?> t = o.type();
    if (t.isEnum()) {
      return t.getEnumConstants()[t.getEnumConstants().length - 1].toString().toLowerCase();
    }
    if (t == java.time.Duration.class) {
      return "7s";
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "3";
    }
    if (t == double.class || t == Double.class) {
      return "0.5";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true";
    }
    if (t == java.nio.file.Path.class) {
      return "/tmp/inferscope-models-test";
    }
    return "value-" + o.longestName().replace("-", "");
  }

  private static Object probeValue(Class<?> t, Object before) {
    Map<Class<?>, Supplier<Object>> values =
        Map.of(
            String.class, () -> "probe",
            int.class, () -> 123457,
            Integer.class, () -> 123457,
            long.class, () -> 123457L,
            double.class, () -> 0.123457,
            Double.class, () -> 0.123457,
            boolean.class, () -> !Boolean.TRUE.equals(before),
            java.time.Duration.class, () -> java.time.Duration.ofMillis(123457),
            java.nio.file.Path.class, () -> java.nio.file.Path.of("/probe/123457"),
            List.class, () -> new ArrayList<>(List.of("probe-123457")));
    if (t.isEnum()) {
      Object[] constants = t.getEnumConstants();
      return constants[0].equals(before) ? constants[constants.length - 1] : constants[0];
    }
    Supplier<Object> v = values.get(t);
    if (v == null) {
      throw new AssertionError("no probe value for " + t);
    }
    return v.get();
  }

  private static String parse(CommandLine cl, List<String> line) {
    try {
      CommandLine.ParseResult r = cl.parseArgs(line.toArray(String[]::new));
      return "parsed " + r.matchedOptions().stream().map(OptionSpec::longestName).toList();
    } catch (CommandLine.ParameterException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** Every field of the command and of its mixins that an option sets, by path. */
  private static Map<String, Object> fields(RunCommand command) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    collect("", command, values);
    return values;
  }

  private static void collect(String path, Object owner, Map<String, Object> values)
      throws IllegalAccessException {
    for (Field f : owner.getClass().getDeclaredFields()) {
      if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
        f.setAccessible(true);
        Object mixin = f.get(owner);
        values.put(path + f.getName(), mixin == null ? null : mixin.getClass());
        if (mixin != null) {
          collect(path + f.getName() + ".", mixin, values);
        }
      } else if (f.isAnnotationPresent(CommandLine.Option.class)) {
        f.setAccessible(true);
        values.put(path + f.getName(), f.get(owner));
      }
    }
  }
}
