package io.inferscope.report;

/**
 * A thresholds file, a rule in it, or a run given to a gate that cannot be used as it is: bad
 * input, found before any rule is judged. The message is one line naming the file, the line and
 * what was expected: {@code gate.yaml:4: rule 'ttft.p99 < 250': ttft_ns.p99 is a duration ...}.
 */
public final class GateInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final String problem;

  /**
   * @param line the line of the thresholds file it is about, or 0 for none
   * @param problem what is wrong and what was expected
   */
  GateInputException(int line, String problem) {
    this(null, line, problem);
  }

  private GateInputException(String source, int line, String problem) {
    super((source == null ? "" : source + (line > 0 ? ":" + line : "") + ": ") + problem);
    this.line = line;
    this.problem = problem;
  }

  /** What is wrong, without the file and line. */
  String problem() {
    return problem;
  }

  /** The same problem, said of {@code source} (the thresholds file's name). */
  GateInputException in(String source) {
    return new GateInputException(source, line, problem);
  }
}
