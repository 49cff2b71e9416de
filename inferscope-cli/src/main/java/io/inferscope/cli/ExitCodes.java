package io.inferscope.cli;

/** Exit codes, stable for scripts and CI gates. */
public final class ExitCodes {
  /** The run completed and measured at least one request. */
  public static final int OK = 0;

  /**
   * Runtime failure: engine unreachable, every request failed, a file could not be written; and a
   * rule of {@code gate} or {@code run --gate} that failed.
   */
  public static final int FAILURE = 1;

  /** Bad command line or bad input: nothing was run. */
  public static final int USAGE = 2;

  /** Interrupted (SIGINT): partial results were written. */
  public static final int INTERRUPTED = 130;

  /** Terminated (SIGTERM): partial results were written. */
  public static final int TERMINATED = 143;

  private ExitCodes() {}
}
