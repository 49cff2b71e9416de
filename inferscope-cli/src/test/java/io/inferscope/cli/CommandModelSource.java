package io.inferscope.cli;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Writes {@code CommandModels.java}: picocli's models of the commands a run starts with, as code
 * that builds them without reflection. Its input is the model picocli reads from the commands'
 * annotations, so the annotations stay the one definition of every option; what this renderer does
 * not know how to write (an attribute it was not taught, a positional parameter, an argument group)
 * fails the generation instead of being left out.
 */
final class CommandModelSource {

  /** The generated file, from the module's directory (where tests run). */
  static final Path FILE =
      Path.of("src", "main", "java", "io", "inferscope", "cli", "CommandModels.java");

  /** Set to {@code write} to rewrite {@link #FILE} instead of comparing it. */
  static final String WRITE_PROPERTY = "inferscope.command-models";

  /** The one command that regenerates the file. */
  static final String REGENERATE =
      "./scripts/mvn -q -pl inferscope-cli -am test -Dtest=CommandModelsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -D"
          + WRITE_PROPERTY
          + "=write";

  /** What {@code @Option(defaultValue)} is when none is given (picocli keeps it private). */
  private static final String NO_DEFAULT_VALUE = "__no_default_value__";

  /** picocli's standard help options' mixin (a class of its own, not public). */
  private static final String HELP_MIXIN = "mixinStandardHelpOptions";

  /** A command the file builds: the method's name, the command's class, its annotated model. */
  record Generated(String method, Class<?> type, CommandSpec reflected) {}

  /** The commands generated: the root and {@code run}, read from their annotations now. */
  static List<Generated> commands() {
    return List.of(
        new Generated("main", Main.class, new CommandLine(new Main()).getCommandSpec()),
        new Generated("run", RunCommand.class, new CommandLine(new RunCommand()).getCommandSpec()));
  }

  private final List<String> getters = new ArrayList<>();
  private final List<String> setters = new ArrayList<>();
  private final List<String> mixinMethods = new ArrayList<>();

  /** Whether the help options' method is among {@link #mixinMethods} (every command shares it). */
  private boolean helpMixinWritten;

  private CommandModelSource() {}

  /** The whole file for {@link #commands()}. */
  static String render() {
    return new CommandModelSource().file(commands());
  }

  private String file(List<Generated> commands) {
    StringBuilder methods = new StringBuilder();
    for (Generated g : commands) {
      methods.append(command(g));
    }
    StringBuilder f = new StringBuilder();
    f.append("// Generated from the commands' picocli annotations; do not edit. Regenerate with\n")
        .append("// ")
        .append(REGENERATE)
        .append('\n')
        .append("package io.inferscope.cli;\n\n")
        .append("import picocli.CommandLine.Model.IGetter;\n")
        .append("import picocli.CommandLine.Model.ISetter;\n")
        .append("import picocli.CommandLine.Model.CommandSpec;\n")
        .append("import picocli.CommandLine.Model.OptionSpec;\n\n")
        .append("/**\n")
        .append(
            " * picocli's models of the commands a run starts with ({@code inferscope} and {@code run}),\n")
        .append(
            " * built without reflection: reading the annotations (the JDK's annotation parser, a proxy\n")
        .append(
            " * class generated per annotation type, interpreted at every start) was most of the time\n")
        .append(
            " * picocli took before a run's first request (docs/benchmarks.md, \"Start-up time to first\n")
        .append(
            " * request\"). The annotations stay the one definition: CommandModelsTest checks that this\n")
        .append(
            " * file is what they generate and that each model equals the one picocli reads from them.\n")
        .append(" */\n")
        .append("final class CommandModels {\n\n")
        .append("  private CommandModels() {}\n")
        .append(methods);
    for (String m : mixinMethods) {
      f.append(m);
    }
    f.append(bindingClass()).append("}\n");
    return f.toString();
  }

  private String command(Generated g) {
    CommandSpec spec = g.reflected();
    refuseUnsupported(spec, g.type());
    StringBuilder m = new StringBuilder();
    m.append("\n  /** The model of {@code ")
        .append(spec.qualifiedName())
        .append("}, bound to {@code command}'s fields. */\n")
        .append("  static CommandSpec ")
        .append(g.method())
        .append('(')
        .append(g.type().getSimpleName())
        .append(" command) {\n")
        .append("    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);\n")
        .append("    spec.name(")
        .append(literal(spec.name()))
        .append(");\n");
    if (spec.versionProvider() != null) {
      m.append("    spec.versionProvider(new ")
          .append(canonical(spec.versionProvider().getClass()))
          .append("());\n");
    }
    m.append(usageMessage(spec.usageMessage(), g.type().getAnnotation(CommandLine.Command.class)));
    refuseCommandAttributes(spec);
    for (Field f : specFields(g.type())) {
      m.append("    command.").append(f.getName()).append(" = spec;\n");
    }
    Map<OptionSpec, String> mixinOf = new IdentityHashMap<>();
    spec.mixins().forEach((name, mixin) -> mixin.options().forEach(o -> mixinOf.put(o, name)));
    List<String> mixinsDone = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      String mixin = mixinOf.get(o);
      if (mixin == null) {
        m.append("    spec.addOption(").append(option(o, "command", g.type())).append(");\n");
      } else if (!mixinsDone.contains(mixin)) {
        mixinsDone.add(mixin);
        m.append(mixin(g, mixin, spec.mixins().get(mixin)));
      }
    }
    m.append("    return spec;\n  }\n");
    return m.toString();
  }

  private String mixin(Generated g, String name, CommandSpec mixin) {
    if (name.equals(HELP_MIXIN)) {
      if (!helpMixinWritten) {
        helpMixinWritten = true;
        StringBuilder b = new StringBuilder("\n  /** picocli's -h/--help and -V/--version. */\n");
        b.append("  private static CommandSpec ").append(HELP_MIXIN).append("() {\n");
        b.append("    CommandSpec mixin = CommandSpec.create();\n");
        for (OptionSpec o : mixin.options()) {
          b.append("    mixin.addOption(").append(option(o, null, null)).append(");\n");
        }
        b.append("    return mixin;\n  }\n");
        mixinMethods.add(b.toString());
      }
      return "    spec.addMixin(" + literal(name) + ", " + HELP_MIXIN + "());\n";
    }
    Field field = field(g.type(), name);
    Class<?> type = field.getType();
    refuseUnsupported(mixin, type);
    if (!specFields(type).isEmpty() || !mixin.mixins().isEmpty()) {
      throw new IllegalStateException(type + ": a mixin with @Spec or mixins of its own");
    }
    String method = g.method() + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    StringBuilder b = new StringBuilder("\n  private static CommandSpec ");
    b.append(method).append('(').append(type.getSimpleName()).append(" mixin) {\n");
    b.append("    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);\n");
    for (OptionSpec o : mixin.options()) {
      b.append("    spec.addOption(").append(option(o, "mixin", type)).append(");\n");
    }
    b.append("    return spec;\n  }\n");
    mixinMethods.add(b.toString());
    return "    command."
        + name
        + " = new "
        + type.getSimpleName()
        + "();\n    spec.addMixin("
        + literal(name)
        + ", "
        + method
        + "(command."
        + name
        + "));\n";
  }

  /**
   * One option's builder. {@code owner} is the variable holding the object whose field it sets, or
   * null for picocli's own help options (kept by picocli, as it keeps them for the annotations).
   */
  @SuppressWarnings("deprecation") // help(): refused if set, as any attribute not written
  private String option(OptionSpec o, String owner, Class<?> ownerType) {
    if (o.parameterConsumer() != null
        || !isNoOp(o.preprocessor())
        || o.interactive()
        || o.negatable()
        || o.help()
        || o.group() != null) {
      throw new IllegalStateException(o + ": an attribute CommandModelSource does not write");
    }
    // The annotation's own text, not the option's getters: those return it with variables
    // (${DEFAULT-VALUE}, ${env:X}, ...) already resolved, which would freeze them into the file.
    CommandLine.Option raw = ((Field) o.userObject()).getAnnotation(CommandLine.Option.class);
    OptionSpec plain = OptionSpec.builder("-x").build();
    if (!Objects.equals(o.mapFallbackValue(), plain.mapFallbackValue())
        || o.echo() != plain.echo()
        || !raw.splitSynopsisLabel().isEmpty()
        || raw.defaultValue().equals(CommandLine.Option.NULL_VALUE)) {
      throw new IllegalStateException(o + ": an attribute CommandModelSource does not write");
    }
    StringBuilder b = new StringBuilder("OptionSpec.builder(");
    b.append(
        Arrays.stream(raw.names())
            .map(CommandModelSource::literal)
            .collect(Collectors.joining(", ")));
    b.append(")\n");
    String in = "            ";
    if (o.required()) {
      b.append(in).append(".required(true)\n");
    }
    if (o.usageHelp()) {
      b.append(in).append(".usageHelp(true)\n");
    }
    if (o.versionHelp()) {
      b.append(in).append(".versionHelp(true)\n");
    }
    if (raw.description().length > 0) {
      b.append(in).append(".description(").append(literals(raw.description())).append(")\n");
    }
    b.append(in).append(".descriptionKey(").append(literal(raw.descriptionKey())).append(")\n");
    b.append(in).append(".prompt(").append(literal(raw.prompt())).append(")\n");
    if (!o.arity().isUnspecified()) {
      b.append(in).append(".arity(").append(literal(o.arity().originalValue())).append(")\n");
    }
    // An empty label is inferred from the field's name (no variables in it).
    String label = raw.paramLabel().isEmpty() ? o.paramLabel() : raw.paramLabel().trim();
    b.append(in).append(".paramLabel(").append(literal(label)).append(")\n");
    if (o.hideParamSyntax()) {
      b.append(in).append(".hideParamSyntax(true)\n");
    }
    if (o.hidden()) {
      b.append(in).append(".hidden(true)\n");
    }
    if (!raw.split().isEmpty()) {
      b.append(in).append(".splitRegex(").append(literal(raw.split())).append(")\n");
    }
    if (!raw.defaultValue().equals(NO_DEFAULT_VALUE)) {
      b.append(in).append(".defaultValue(").append(literal(raw.defaultValue())).append(")\n");
    }
    if (o.showDefaultValue() != CommandLine.Help.Visibility.ON_DEMAND) {
      b.append(in)
          .append(".showDefaultValue(picocli.CommandLine.Help.Visibility.")
          .append(o.showDefaultValue().name())
          .append(")\n");
    }
    if (!raw.fallbackValue().isEmpty()) {
      b.append(in).append(".fallbackValue(").append(literal(raw.fallbackValue())).append(")\n");
    }
    if (o.order() != -1) {
      b.append(in).append(".order(").append(o.order()).append(")\n");
    }
    if (o.scopeType() != CommandLine.ScopeType.LOCAL) {
      throw new IllegalStateException(o + ": an inherited option");
    }
    b.append(in).append(".type(").append(classLiteral(o.type())).append(")\n");
    b.append(in)
        .append(".auxiliaryTypes(")
        .append(
            Arrays.stream(o.auxiliaryTypes())
                .map(CommandModelSource::classLiteral)
                .collect(Collectors.joining(", ")))
        .append(")\n");
    if (o.converters().length > 0) {
      b.append(in)
          .append(".converters(")
          .append(
              Arrays.stream(o.converters())
                  .map(c -> "new " + projectClass(c.getClass(), o) + "()")
                  .collect(Collectors.joining(", ")))
          .append(")\n");
    }
    Iterable<String> candidates = o.completionCandidates();
    if (candidates != null && !(o.typeInfo().isEnum() && candidates instanceof List<?>)) {
      b.append(in)
          .append(".completionCandidates(new ")
          .append(projectClass(candidates.getClass(), o))
          .append("())\n");
    }
    b.append(in).append(".withToString(").append(literal(o.toString())).append(")\n");
    if (owner == null) {
      b.append(in).append(".initialValue(").append(valueLiteral(o.initialValue())).append(")\n");
    } else {
      Field f = (Field) o.userObject();
      if (!f.getDeclaringClass().equals(ownerType)) {
        throw new IllegalStateException(o + ": declared in a superclass of " + ownerType);
      }
      if (Modifier.isPrivate(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
        throw new IllegalStateException(f + ": private or final; the model sets it directly");
      }
      int id = getters.size();
      String target = "((" + ownerType.getSimpleName() + ") owner)." + f.getName();
      getters.add("        case " + id + " -> " + target + ";");
      setters.add(
          "        case "
              + id
              + " -> "
              + target
              + " = ("
              + castType(f.getGenericType())
              + ") value;");
      b.append(in)
          .append(".initialValue(")
          .append(owner)
          .append('.')
          .append(f.getName())
          .append(")\n");
      b.append(in)
          .append(".getter(new Binding(")
          .append(owner)
          .append(", ")
          .append(id)
          .append("))\n");
      b.append(in)
          .append(".setter(new Binding(")
          .append(owner)
          .append(", ")
          .append(id)
          .append("))\n");
    }
    b.append(in).append(".hasInitialValue(true)\n");
    b.append(in).append(".build()");
    return b.toString();
  }

  private static boolean isNoOp(Object preprocessor) {
    return preprocessor.getClass().getSimpleName().equals("NoOpParameterPreprocessor");
  }

  private String bindingClass() {
    StringBuilder b = new StringBuilder();
    b.append(
            "\n  /** Reads and sets one option's field: the field's number in the switches below. */\n")
        .append("  private static final class Binding implements IGetter, ISetter {\n")
        .append("    private final Object owner;\n")
        .append("    private final int field;\n\n")
        .append("    Binding(Object owner, int field) {\n")
        .append("      this.owner = owner;\n")
        .append("      this.field = field;\n")
        .append("    }\n\n")
        .append("    @Override\n")
        .append("    @SuppressWarnings(\"unchecked\")\n")
        .append("    public <T> T get() {\n")
        .append("      Object value =\n")
        .append("          switch (field) {\n");
    getters.forEach(g -> b.append("    ").append(g).append('\n'));
    b.append("            default -> throw new IllegalStateException(\"no field \" + field);\n")
        .append("          };\n")
        .append("      return (T) value;\n")
        .append("    }\n\n")
        .append("    @Override\n")
        .append("    @SuppressWarnings(\"unchecked\")\n")
        .append("    public <T> T set(T value) {\n")
        .append("      T old = get();\n")
        .append("      switch (field) {\n");
    setters.forEach(s -> b.append(s).append('\n'));
    b.append("        default -> throw new IllegalStateException(\"no field \" + field);\n")
        .append("      }\n")
        .append("      return old;\n")
        .append("    }\n")
        .append("  }\n");
    return b.toString();
  }

  /** The usage message's attributes that differ from a new command's, as setter calls. */
  private static String usageMessage(UsageMessageSpec usage, CommandLine.Command command) {
    UsageMessageSpec plain = CommandSpec.create().usageMessage();
    StringBuilder b = new StringBuilder();
    for (Method getter : sortedGetters(UsageMessageSpec.class)) {
      if (getter.getParameterCount() != 0
          || getter.getDeclaringClass() != UsageMessageSpec.class
          || getter.getName().equals("messages")
          || getter.getName().equals("sectionMap")
          || getter.getName().equals("sectionKeys")
          || getter.getName().equals("hashCode")
          || getter.getName().equals("toString")) {
        continue;
      }
      Object mine = invoke(getter, usage);
      Object theirs = invoke(getter, plain);
      if (Objects.deepEquals(mine, theirs) || sameDefaultObject(mine, theirs)) {
        continue;
      }
      // Text as the annotation gives it (the getters resolve variables in it).
      Object text = annotationValue(command, getter.getName());
      String value =
          switch (mine) {
            case String[] a when text instanceof String[] t -> literals(t);
            case String x when text instanceof String t -> literal(t);
            case Boolean x -> x.toString();
            case Integer x -> x.toString();
            default ->
                throw new IllegalStateException(
                    "usage message attribute " + getter.getName() + " = " + mine + ": not written");
          };
      b.append("    spec.usageMessage().")
          .append(getter.getName())
          .append('(')
          .append(value)
          .append(");\n");
    }
    return b.toString();
  }

  /** Two instances of the same class that has no value semantics (picocli's default factories). */
  static boolean sameDefaultObject(Object a, Object b) {
    return a != null
        && b != null
        && a.getClass() == b.getClass()
        && !a.getClass().isArray()
        && (!hasValueText(a) || withoutIdentity(a).equals(withoutIdentity(b)));
  }

  /** {@code o}'s text without an identity hash ({@code @1b6d3586}) some classes append to it. */
  static String withoutIdentity(Object o) {
    return o.toString().replaceAll("@[0-9a-f]+$", "");
  }

  /** Whether {@code o}'s class says what it holds in its {@code toString()}. */
  static boolean hasValueText(Object o) {
    try {
      return o.getClass().getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The public no-argument getters of {@code type}, by name (the JDK lists methods in no set
   * order); not those returning their own class, which are fluent changes such as {@code
   * addMethodSubcommands()} (and a command's root and parent, which are not its attributes).
   */
  static List<Method> sortedGetters(Class<?> type) {
    return Arrays.stream(type.getMethods())
        .filter(
            m ->
                m.getParameterCount() == 0
                    && m.getReturnType() != void.class
                    && m.getReturnType() != type)
        .sorted(java.util.Comparator.comparing(Method::getName))
        .toList();
  }

  /** The value of the annotation attribute {@code name}, or null when it has none. */
  private static Object annotationValue(CommandLine.Command command, String name) {
    try {
      return CommandLine.Command.class.getMethod(name).invoke(command);
    } catch (NoSuchMethodException e) {
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(name, e);
    }
  }

  /**
   * The command's own attributes that this renderer writes (its name, version provider, options,
   * mixins and usage message) or that follow from them; any other that differs from a command with
   * nothing declared (an exit code, a scope, a resource bundle, a version text...) fails.
   */
  private static final java.util.Set<String> COMMAND_ATTRIBUTES_WRITTEN =
      java.util.Set.of(
          "name",
          "names",
          "qualifiedName",
          "versionProvider",
          "version", // what the version provider says
          "specElements", // the @Spec fields, set by the model
          "posixOptionsMap", // the options' short names
          "mixinStandardHelpOptions",
          "mixins",
          "mixinAnnotatedElements", // the @Mixin fields, set by the model; picocli only returns it
          "options",
          "optionsMap",
          "args",
          "usageMessage",
          "parser",
          "userObject",
          "commandLine",
          "root",
          "parent",
          "toString");

  private static void refuseCommandAttributes(CommandSpec spec) {
    CommandSpec plain = CommandSpec.wrapWithoutInspection(spec.userObject());
    List<String> notWritten = new ArrayList<>();
    for (Method getter : sortedGetters(CommandSpec.class)) {
      if (getter.getDeclaringClass() != CommandSpec.class
          || COMMAND_ATTRIBUTES_WRITTEN.contains(getter.getName())) {
        continue;
      }
      Object mine = invoke(getter, spec);
      Object theirs = invoke(getter, plain);
      if (!Objects.deepEquals(mine, theirs) && !sameDefaultObject(mine, theirs)) {
        notWritten.add(getter.getName() + " = " + mine);
      }
    }
    if (!notWritten.isEmpty()) {
      throw new IllegalStateException(spec.qualifiedName() + ": not written: " + notWritten);
    }
  }

  private static Object invoke(Method m, Object target) {
    try {
      return m.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(m.toString(), e);
    }
  }

  /** What this renderer does not write must not be in the model. */
  private static void refuseUnsupported(CommandSpec spec, Class<?> type) {
    if (!spec.positionalParameters().isEmpty()
        || !spec.argGroups().isEmpty()
        || !spec.unmatchedArgsBindings().isEmpty()
        || !spec.parentCommandElements().isEmpty()
        || !spec.subcommands().isEmpty()
        || spec.aliases().length > 0
        || spec.helpCommand()
        || spec.defaultValueProvider() != null) {
      throw new IllegalStateException(type + ": an element CommandModelSource does not write");
    }
  }

  private static List<Field> specFields(Class<?> type) {
    return Arrays.stream(type.getDeclaredFields())
        .filter(f -> f.isAnnotationPresent(CommandLine.Spec.class))
        .toList();
  }

  private static Field field(Class<?> type, String name) {
    try {
      return type.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(type + " has no field " + name, e);
    }
  }

  private static String projectClass(Class<?> c, OptionSpec o) {
    if (!c.getName().startsWith("io.inferscope.")) {
      throw new IllegalStateException(o + ": " + c + " is not inferscope's; not written");
    }
    return canonical(c);
  }

  private static String canonical(Class<?> c) {
    String name = c.getCanonicalName();
    return name.startsWith("io.inferscope.cli.")
        ? name.substring("io.inferscope.cli.".length())
        : name;
  }

  private static String classLiteral(Class<?> c) {
    return canonical(c) + ".class";
  }

  private static String castType(Type t) {
    return switch (t) {
      case Class<?> c when c.isPrimitive() ->
          canonical(java.lang.invoke.MethodType.methodType(c).wrap().returnType());
      case Class<?> c -> canonical(c);
      case ParameterizedType p ->
          castType(p.getRawType())
              + Arrays.stream(p.getActualTypeArguments())
                  .map(CommandModelSource::castType)
                  .collect(Collectors.joining(", ", "<", ">"));
      default -> throw new IllegalStateException("field type " + t + ": not written");
    };
  }

  private static String valueLiteral(Object v) {
    return switch (v) {
      case null -> "null";
      case Boolean b -> b.toString();
      default -> throw new IllegalStateException("initial value " + v + ": not written");
    };
  }

  private static String literals(String[] values) {
    return Arrays.stream(values)
        .map(CommandModelSource::literal)
        .collect(Collectors.joining(",\n                "));
  }

  /** A Java string literal; characters outside printable ASCII as escapes. */
  private static String literal(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
