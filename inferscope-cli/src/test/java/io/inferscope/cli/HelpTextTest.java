package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Help texts write enum values in one case, the lower case users type and defaults show. */
class HelpTextTest {

  @Test
  void everyEnumOptionListsItsValuesInLowerCase() {
    List<String> checked = new ArrayList<>();
    for (CommandLine command : Main.newCommandLine().getSubcommands().values()) {
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
      for (OptionSpec o : command.getCommandSpec().options()) {
        Class<?> type = o.type().isEnum() ? o.type() : o.auxiliaryTypes()[0];
        if (!type.isEnum()) {
          continue;
        }
        List<String> candidates = new ArrayList<>();
        o.completionCandidates().forEach(candidates::add);
        List<String> names;
        if (o.converters().length == 0) {
          names =
              Arrays.stream(type.getEnumConstants())
                  .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT))
                  .toList();
          assertThat(candidates).as(o.longestName()).isEqualTo(names);
        } else {
          // Its own names (e.g. an engine's, not the constant's): each one reads as one constant.
          names = candidates;
          List<Object> read = new ArrayList<>();
          for (String name : names) {
            assertThat(name).as(o.longestName()).isEqualTo(name.toLowerCase(Locale.ROOT));
            read.add(convert(o, name));
          }
          assertThat(read).as(o.longestName()).containsExactly(type.getEnumConstants());
        }
        assertThat(help).as(o.longestName()).contains(String.join(", ", names));
        for (Object e : type.getEnumConstants()) {
          String upper = ((Enum<?>) e).name();
          if (!upper.equals(upper.toLowerCase(Locale.ROOT))) {
            assertThat(help).as(o.longestName()).doesNotContainPattern("\\b" + upper + "\\b");
          }
        }
        checked.add(command.getCommandName() + " " + o.longestName());
      }
    }
    assertThat(checked)
        .contains("run --arrival", "run --progress", "sim --fault", "sim --metrics-names");
  }

  private static Object convert(OptionSpec option, String value) {
    try {
      return option.converters()[0].convert(value);
    } catch (Exception e) {
      throw new AssertionError(option.longestName() + " refuses its own value " + value, e);
    }
  }
}
