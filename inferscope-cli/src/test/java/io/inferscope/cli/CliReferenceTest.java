package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The committed docs/cli-reference.md and README's options table say what the commands accept: both
 * are checked against picocli's model, so an option added, renamed or removed fails here.
 */
class CliReferenceTest {

  private static final Path README = Path.of("..", "README.md");

  /** README's table of {@code run}'s options starts with this header row. */
  private static final String README_TABLE_HEADER = "| option | meaning |";

  /** An option name in a table cell: one or two dashes, a letter, then letters and dashes. */
  private static final Pattern OPTION_NAME = Pattern.compile("(?<![\\w-])--?[A-Za-z][\\w-]*");

  @Test
  void committedReferenceIsWhatTheCommandsGenerateNow() throws IOException {
    if ("write".equals(System.getProperty(CliReference.WRITE_PROPERTY))) {
      CliReference.write();
    }
    String generated = CliReference.render(Main.newCommandLine());
    String committed =
        Files.exists(CliReference.FILE)
            ? Files.readString(CliReference.FILE, StandardCharsets.UTF_8)
            : "";

    if (!committed.equals(generated)) {
      fail(
          "docs/cli-reference.md differs from what the commands' options generate now ("
              + firstDifference(committed, generated)
              + "). Regenerate it from the repository root with:\n  "
              + CliReference.REGENERATE
              + "\nand commit it (and README's options table, when run's options changed).");
    }
  }

  @Test
  void referenceHasASectionForEveryUserCommandMainBuilds() {
    CommandLine root = Main.newCommandLine();
    String reference = CliReference.render(root);

    List<String> expected = new ArrayList<>();
    for (String name : root.getSubcommands().keySet()) {
      if (!CliReference.LEFT_OUT.contains(name)) {
        expected.add(name);
      }
    }
    // A shrinking command list must not shrink the check with it.
    assertThat(expected).contains("run", "demo", "report", "sim");
    for (String name : expected) {
      assertThat(reference).as(name).contains("\n## inferscope " + name + "\n");
    }
    assertThat(reference).doesNotContain("## inferscope bench", "## inferscope help");
  }

  @Test
  void referenceListsEveryVisibleOptionWithItsDefaultAndNoHiddenOne() {
    String reference = CliReference.render(Main.newCommandLine());

    assertThat(reference)
        .contains(
            "| `--seed` | `<seed>` | `1` | Seed of Poisson and gamma arrivals, dataset samples and synthetic prompts (default: 1). |")
        .contains("| `-q`, `--quiet` |  |  | Do not print the text report to stdout. |")
        .contains("`--arrival` | `<arrival>` | `constant` |")
        .contains("| `RUN.json` | A run written by --json. |")
        .doesNotContain("--api-key`");
  }

  @Test
  void anOptionAddedToRunChangesTheReferenceAndIsMissingFromReadme() throws IOException {
    CommandLine root = Main.newCommandLine();
    String before = CliReference.render(root);
    CommandSpec run = root.getSubcommands().get("run").getCommandSpec();
    run.addOption(
        OptionSpec.builder("--added-for-this-test")
            .type(String.class)
            .paramLabel("DURATION")
            .description("An option no command has.")
            .build());

    assertThat(CliReference.render(root))
        .isNotEqualTo(before)
        .contains("| `--added-for-this-test` | `DURATION` |");
    assertThat(readmeMismatches(run, readmeOptionNames())).contains("--added-for-this-test");
  }

  @Test
  void readmeOptionsTableNamesExactlyTheOptionsOfRun() throws IOException {
    CommandSpec run = Main.newCommandLine().getSubcommands().get("run").getCommandSpec();
    Set<String> readme = readmeOptionNames();

    assertThat(readme).as("options found in README's table").hasSizeGreaterThan(20);
    assertThat(readmeMismatches(run, readme))
        .as(
            "README's options table (under '%s') against `inferscope run`'s options: a run option"
                + " the table does not name, or a name in the table that run does not accept."
                + " Update the table; the full list is docs/cli-reference.md",
            README_TABLE_HEADER)
        .isEmpty();
  }

  /**
   * Run's visible options that the table does not name (by any of their names), then names in the
   * table that are no option of run. The standard {@code --help} and {@code --version} need no row.
   */
  private static List<String> readmeMismatches(CommandSpec run, Set<String> readme) {
    List<String> mismatches = new ArrayList<>();
    Set<String> accepted = new LinkedHashSet<>();
    for (OptionSpec option : run.options()) {
      accepted.addAll(List.of(option.names()));
      if (option.hidden() || option.usageHelp() || option.versionHelp()) {
        continue;
      }
      if (List.of(option.names()).stream().noneMatch(readme::contains)) {
        mismatches.add(option.longestName());
      }
    }
    for (String name : readme) {
      if (!accepted.contains(name)) {
        mismatches.add("not an option of run: " + name);
      }
    }
    return mismatches;
  }

  /** The option names in the first column of README's options table. */
  private static Set<String> readmeOptionNames() throws IOException {
    List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    int header = lines.indexOf(README_TABLE_HEADER);
    assertThat(header).as("README has a table headed " + README_TABLE_HEADER).isNotNegative();
    Set<String> names = new LinkedHashSet<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String firstCell = lines.get(i).split("(?<!\\\\)\\|")[1];
      Matcher m = OPTION_NAME.matcher(firstCell);
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** Where two texts first differ, as a line number and both lines. */
  private static String firstDifference(String committed, String generated) {
    List<String> a = committed.lines().toList();
    List<String> b = generated.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String left = i < a.size() ? a.get(i) : "<end of file>";
      String right = i < b.size() ? b.get(i) : "<end of file>";
      if (!left.equals(right)) {
        return "first at line " + (i + 1) + ": committed '" + left + "', generated '" + right + "'";
      }
    }
    return "only in line endings";
  }
}
