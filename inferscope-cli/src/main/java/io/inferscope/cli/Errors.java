package io.inferscope.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * One-line error messages: the cause and the fix, never a stack trace.
 *
 * <p>Public, with {@link #usage}, {@link #failure} and {@link #oneLine}, for the benchmark commands
 * of inferscope-bench, which must fail the way every inferscope command does (ADR 0001); the
 * handlers that print them stay package-private and reach the bench through {@link Main#configure}.
 */
public final class Errors {
  private Errors() {}

  /** A failure whose message is already fit for the user. */
  public static final class UserFacing extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    UserFacing(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  public static UserFacing usage(String message) {
    return new UserFacing(ExitCodes.USAGE, message);
  }

  public static UserFacing failure(String message) {
    return new UserFacing(ExitCodes.FAILURE, message);
  }

  static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println("inferscope: " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
    err.flush();
    return ExitCodes.USAGE;
  }

  static int onRuntimeError(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    int code;
    String message;
    if (e instanceof UserFacing u) {
      code = u.exitCode();
      message = u.getMessage();
    } else {
      code = ExitCodes.FAILURE;
      message =
          "internal error: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + " (please report it with the command line)";
    }
    err.println("inferscope: " + oneLine(message));
    err.flush();
    return code;
  }

  public static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
