package io.inferscope.core;

/**
 * One completed request's two windows and what the hardware did in each.
 *
 * @param id the request's id
 * @param prefill send to first text event: queueing plus prefill, as the client sees it
 * @param decode first to last text event, or null when the request had under two text events at
 *     distinct times (nothing was decoded after the first)
 */
public record RequestWindows(int id, Window prefill, Window decode) {

  /**
   * A span of the run clock and the figures inside it.
   *
   * @param startNanos run-clock start
   * @param endNanos run-clock end, not before the start
   * @param figures the hardware figures of the span
   */
  public record Window(long startNanos, long endNanos, ResourceFigures figures) {
    public Window {
      if (endNanos < startNanos) {
        throw new IllegalArgumentException("window ends before it starts");
      }
    }
  }
}
