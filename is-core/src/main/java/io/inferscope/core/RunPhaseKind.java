package io.inferscope.core;

/** The part of a run a {@link RunPhase} covers; see {@link RunPhases} for how each is found. */
public enum RunPhaseKind {
  /** No measured request in flight for a while. */
  IDLE("idle"),
  /** From the first send until concurrency first reaches its steady level. */
  RAMP_UP("ramp_up"),
  /** Concurrency at or around its steady level. */
  STEADY("steady"),
  /** After the last send, from when concurrency falls below its steady level to the last end. */
  DRAIN("drain");

  private final String label;

  RunPhaseKind(String label) {
    this.label = label;
  }

  /** The name used in reports and JSON. */
  public String label() {
    return label;
  }
}
