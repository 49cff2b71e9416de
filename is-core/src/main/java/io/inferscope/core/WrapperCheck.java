package io.inferscope.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells when the engine's root process is only a wrapper ({@code sh -c}, a launcher script) and its
 * descendants do the work. The tree is sampled whole either way, so the figures stay right; the
 * warning says that per-process views should look below the root, and that the PID given may not be
 * the one meant.
 */
public final class WrapperCheck {

  /** The root used less than this, in percent of one core. */
  static final double ROOT_IDLE_PERCENT = 5;

  /** The descendants used more than this, in percent of one core... */
  static final double DESCENDANTS_BUSY_PERCENT = 20;

  /** ...and more than this many times the root. */
  static final double DESCENDANTS_TO_ROOT_RATIO = 5;

  private WrapperCheck() {}

  /** The warning for a tree whose root looks like a wrapper, if it does. Pure. */
  public static Optional<String> of(List<ProcessTreeSample> samples) {
    return of(ProcessTreeMetrics.of(samples));
  }

  /** The warning for a tree whose root looks like a wrapper, if it does. Pure. */
  public static Optional<String> of(ProcessTreeMetrics m) {
    Double root = m.rootCpuPercentMean();
    Double descendants = m.descendantsCpuPercentMean();
    if (root == null || descendants == null) {
      return Optional.empty();
    }
    if (root < ROOT_IDLE_PERCENT
        && descendants > DESCENDANTS_BUSY_PERCENT
        && descendants > DESCENDANTS_TO_ROOT_RATIO * root) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "engine PID %d (%s) looks like a wrapper: its descendants did the work"
                  + " (root %.1f %% of a core, descendants %.1f %%)",
              m.rootPid(),
              m.rootName(),
              root,
              descendants));
    }
    return Optional.empty();
  }
}
