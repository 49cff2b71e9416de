package io.inferscope.core;

/**
 * One plain-words conclusion drawn from a run's data; see {@link Findings} for the rules.
 *
 * @param code stable key for JSON and tests, e.g. {@code queueing}
 * @param severity how much it matters
 * @param message one line for a person
 */
public record Finding(String code, Severity severity, String message) {

  /** How much a finding matters; warnings are listed first. */
  public enum Severity {
    /** Worth knowing; the figures stand. */
    INFO("info"),
    /** The run or the engine has a problem the figures alone may hide. */
    WARNING("warning");

    private final String label;

    Severity(String label) {
      this.label = label;
    }

    /** The name used in reports and JSON. */
    public String label() {
      return label;
    }
  }
}
