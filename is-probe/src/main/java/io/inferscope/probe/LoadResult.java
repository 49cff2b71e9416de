package io.inferscope.probe;

import io.inferscope.core.RequestTrace;
import java.util.List;

/**
 * What {@link LoadRunner#run} gives back, however the run ended.
 *
 * @param traces one per request started, warm-up included, in id order: those that finished and
 *     those the end of the run cut off, recorded as {@code Failure.Cancelled} with the reason
 * @param stopReason null when the run reached its own end (every request done, or its duration
 *     reached and drained); otherwise why it was stopped early, the first of: the reason given to
 *     {@link LoadRunner#stop}, a stream thread refused ({@link LoadRunner#clientLimit}), or {@link
 *     LoadRunner#INTERRUPTED} when the thread in {@code run} was interrupted
 */
public record LoadResult(List<RequestTrace> traces, String stopReason) {
  public LoadResult {
    traces = List.copyOf(traces);
  }

  /** Whether the run was stopped before its own end. */
  public boolean stopped() {
    return stopReason != null;
  }
}
