package io.inferscope.sysmon;

/** What a sampler watches has gone (the engine process exited, the device vanished). */
public final class TargetGoneException extends Exception {
  private static final long serialVersionUID = 1L;

  public TargetGoneException(String message) {
    super(message);
  }
}
