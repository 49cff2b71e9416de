package io.inferscope.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** One-line error messages: the cause and the fix, never a stack trace. */
final class Errors {
  private Errors() {}

  /** A failure whose message is already fit for the user. */
  static final class UserFacing extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    UserFacing(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }

  static UserFacing usage(String message) {
    return new UserFacing(ExitCodes.USAGE, message);
  }

  static UserFacing failure(String message) {
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

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
