package io.inferscope.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A measured (non-warm-up) request with its figures, derived once.
 *
 * @param trace what the client saw
 * @param metrics the figures derived from it
 */
public record MeasuredRequest(RequestTrace trace, RequestMetrics metrics) {

  /** The run's measured requests in trace order, each with its figures. Pure. */
  public static List<MeasuredRequest> of(List<RequestTrace> traces) {
    List<MeasuredRequest> out = new ArrayList<>(traces.size());
    for (RequestTrace t : traces) {
      if (!t.warmup()) {
        out.add(new MeasuredRequest(t, RequestMetrics.of(t)));
      }
    }
    return List.copyOf(out);
  }

  public int id() {
    return trace.id();
  }

  /** Whether it completed; failed requests are listed too, pooled figures skip them. */
  public boolean ok() {
    return trace.ok();
  }
}
