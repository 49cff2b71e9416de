package io.inferscope.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders docs/cli-reference.md from picocli's model of the commands, the same model {@code --help}
 * prints, so the reference cannot say what the parser does not do.
 */
final class CliReference {

  /** The committed reference, from the module's directory (where tests run). */
  static final Path FILE = Path.of("..", "docs", "cli-reference.md");

  /** Set to {@code write} to rewrite {@link #FILE} instead of comparing it. */
  static final String WRITE_PROPERTY = "inferscope.cli-reference";

  /** The one command that regenerates the reference. */
  static final String REGENERATE =
      "./scripts/mvn -q -pl inferscope-cli -am test -Dtest=CliReferenceTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -D"
          + WRITE_PROPERTY
          + "=write";

  /**
   * Commands left out: {@code help} only prints the others' help. ({@code bench}, which measures
   * inferscope itself, is not among these commands: it has its own jar, and docs/benchmarks.md
   * documents it.)
   */
  static final Set<String> LEFT_OUT = Set.of("help");

  /** A fixed width, so that the synopsis does not follow the terminal of whoever regenerates. */
  private static final int USAGE_WIDTH = 100;

  private CliReference() {}

  /** The commands of {@code root} the reference covers, in the order help lists them. */
  static List<CommandLine> documented(CommandLine root) {
    return root.getSubcommands().entrySet().stream()
        .filter(e -> !LEFT_OUT.contains(e.getKey()))
        .map(java.util.Map.Entry::getValue)
        .toList();
  }

  /** The whole reference for the commands of {@code root}. */
  static String render(CommandLine root) {
    StringBuilder md = new StringBuilder();
    md.append("# Command-line reference\n\n")
        .append("Generated from the commands' own definitions (what `inferscope <command> --help`")
        .append(" prints);\ndo not edit by hand. Regenerate after changing an option:\n\n")
        .append("```\n")
        .append(REGENERATE)
        .append("\n```\n\n")
        .append("`inferscope bench` (benchmarks of inferscope itself, in their own jar that")
        .append(" `./inferscope bench` runs) is described in [benchmarks.md](benchmarks.md).\n");
    for (CommandLine command : documented(root)) {
      md.append('\n');
      command(md, command);
    }
    return md.toString();
  }

  private static void command(StringBuilder md, CommandLine command) {
    command.setUsageHelpWidth(USAGE_WIDTH);
    command.setUsageHelpAutoWidth(false);
    CommandSpec spec = command.getCommandSpec();
    md.append("## ").append(spec.qualifiedName()).append("\n\n");
    for (String line : spec.usageMessage().description()) {
      md.append(line).append("\n\n");
    }
    CommandLine.Help help = command.getHelp();
    md.append("```\n")
        .append(strip(help.synopsis(0)))
        .append("\n```\n\n")
        .append("| option | value | default | meaning |\n")
        .append("|---|---|---|---|\n");
    for (OptionSpec option : spec.options()) {
      if (option.hidden()) {
        continue;
      }
      md.append("| `")
          .append(String.join("`, `", option.names()))
          .append("` | ")
          .append(option.arity().max() == 0 ? "" : code(option.paramLabel()))
          .append(" | ")
          .append(option.defaultValue() == null ? "" : code(option.defaultValue()))
          .append(" | ")
          .append(meaning(option))
          .append(" |\n");
    }
    List<PositionalParamSpec> parameters =
        spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!parameters.isEmpty()) {
      md.append("\n| parameter | meaning |\n|---|---|\n");
      for (PositionalParamSpec parameter : parameters) {
        md.append("| ")
            .append(code(parameter.paramLabel()))
            .append(" | ")
            .append(meaning(parameter))
            .append(" |\n");
      }
    }
  }

  /** The description as help prints it, with its default and candidates filled in. */
  private static String meaning(ArgSpec arg) {
    return cell(String.join(" ", arg.description()));
  }

  private static String code(String text) {
    return "`" + cell(text) + "`";
  }

  /** A pipe would end the table cell; line breaks would end the row. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace('\n', ' ');
  }

  /** Help pads lines for the terminal; trailing blanks would be noise in the file. */
  private static String strip(String text) {
    return text.lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  /** Writes the reference for {@link Main}'s commands to {@link #FILE}. */
  static void write() throws IOException {
    Files.writeString(FILE, render(Main.newCommandLine()), StandardCharsets.UTF_8);
  }
}
