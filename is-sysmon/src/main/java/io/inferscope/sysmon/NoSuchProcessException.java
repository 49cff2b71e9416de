package io.inferscope.sysmon;

/** The process the user named does not exist (or has exited); the message is one line to print. */
public final class NoSuchProcessException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoSuchProcessException(String message) {
    super(message);
  }
}
