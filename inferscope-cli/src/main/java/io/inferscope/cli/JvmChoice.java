package io.inferscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The JVM's garbage collector for a command line, decided from picocli's parse of it: the one
 * definition of the rule (ADR 0004). ZGC when the command drives {@value #MANY_STREAMS} streams or
 * more (G1's young pauses, 17–69 ms on two busy cores there, land in the measured delays; ZGC's
 * stay under a millisecond), else G1 with a 128 MiB young-generation floor (it starts about 190 ms
 * faster, and start-up garbage alone would force a collection into a short run).
 *
 * <p>The collector must be chosen before the JVM starts, so the launcher and the container image
 * apply this rule with scripts/jvm-options, a shell reading of it. A test generates thousands of
 * command lines from picocli's model of every command, inferscope-bench's included, and fails the
 * build when the script and this class disagree on any line picocli accepts (JvmOptionsAgreement).
 *
 * <p>Public for inferscope-bench, whose commands declare {@link ManyStreams} and whose test checks
 * the script on them (ADR 0001).
 */
public enum JvmChoice {
  /** ZGC: sub-millisecond pauses, for many streams. */
  ZGC("-XX:+UseZGC"),
  /** G1 with a young generation of at least 128 MiB: the faster start. */
  G1("-XX:NewSize=128m");

  /** Streams from which ZGC is chosen. */
  public static final int MANY_STREAMS = 256;

  private final String options;

  JvmChoice(String options) {
    this.options = options;
  }

  /** The JVM options, as scripts/jvm-options prints them. */
  public String options() {
    return options;
  }

  /**
   * A command that drives many streams whatever its options say: it runs under ZGC. ({@code bench
   * fidelity}: up to 2048 streams by default, and every level under the same collector, so that
   * levels compare.)
   */
  public interface ManyStreams {}

  /**
   * The collector for a command line picocli has parsed: ZGC when a command on its path is {@link
   * ManyStreams}, or when an option that sets the number of concurrent streams (one with the {@link
   * StreamCount} converter) has, given or by default, {@value #MANY_STREAMS} or more; else G1.
   */
  public static JvmChoice forCommand(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      CommandSpec spec = p.commandSpec();
      if (spec.userObject() instanceof ManyStreams) {
        return ZGC;
      }
      for (OptionSpec option : spec.options()) {
        if (isStreamCount(option) && option.getValue() instanceof Integer n && n >= MANY_STREAMS) {
          return ZGC;
        }
      }
    }
    return G1;
  }

  /** Whether {@code option} sets the number of concurrent streams. */
  public static boolean isStreamCount(OptionSpec option) {
    CommandLine.ITypeConverter<?>[] converters = option.converters();
    return converters != null && converters.length > 0 && converters[0] instanceof StreamCount;
  }

  /**
   * The converter of every option that sets the number of concurrent streams, which is how {@link
   * #forCommand} finds them: a whole number in ASCII digits only. picocli's own would also take
   * {@code +512} and digits of other scripts ({@code ５１２}), which scripts/jvm-options cannot read;
   * such values are usage errors instead.
   */
  static final class StreamCount implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a number of streams: give digits 0-9 only");
      }
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is too many streams");
      }
    }
  }
}
