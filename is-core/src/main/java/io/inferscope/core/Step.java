package io.inferscope.core;

import java.util.List;

/**
 * A labelled step of a run (e.g. one turn of an agent's trajectory) whose latency, tokens, energy
 * and cost are attributed to it: the measured requests it names, or those sent within its span.
 *
 * @param label what the step is called, as given
 * @param requestIds the requests it holds by id (as in the run's JSON), or null when it is given by
 *     time
 * @param startNanos run-clock start of its span (inclusive), or null when given by ids
 * @param endNanos run-clock end of its span (exclusive), or null when given by ids
 */
public record Step(String label, List<Integer> requestIds, Long startNanos, Long endNanos) {

  public Step {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("a step needs a label");
    }
    if ((requestIds == null) == (startNanos == null || endNanos == null)) {
      throw new IllegalArgumentException(
          "step \"" + label + "\" needs either request ids or a start and an end, not both");
    }
    if (startNanos != null && endNanos != null && endNanos <= startNanos) {
      throw new IllegalArgumentException("step \"" + label + "\" ends before it starts");
    }
    requestIds = requestIds == null ? null : List.copyOf(requestIds);
  }
}
