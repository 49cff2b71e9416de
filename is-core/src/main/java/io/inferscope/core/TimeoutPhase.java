package io.inferscope.core;

/** Which bounded wait of a request ran out. */
public enum TimeoutPhase {
  /** TCP connect (and TLS) did not finish in time. */
  CONNECT,
  /** No response bytes arrived in time after the request was sent. */
  FIRST_BYTE,
  /** The stream stalled: no bytes between two events for too long. */
  IDLE,
  /** The whole request took longer than its total limit. */
  TOTAL;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
