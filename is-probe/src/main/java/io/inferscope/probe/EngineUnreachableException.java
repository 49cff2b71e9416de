package io.inferscope.probe;

/**
 * The engine could not be used before any load was sent: not reachable, or it refused us. The
 * message is one line for a person, naming what to check; it never contains the API key.
 */
public final class EngineUnreachableException extends RuntimeException {
  public EngineUnreachableException(String message) {
    super(message);
  }

  public EngineUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
