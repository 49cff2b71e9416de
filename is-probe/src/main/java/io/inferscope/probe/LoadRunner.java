package io.inferscope.probe;

import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.util.List;
import java.util.function.Consumer;

/** Drives the load a {@link LoadSpec} describes and records a trace of every request. */
public final class LoadRunner {

  private LoadRunner() {}

  /** Creates a runner; opens no connection yet. */
  public static LoadRunner create(LoadSpec spec, RunClock clock) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Runs the load to the end (all requests done, or duration reached and drained, or {@link #stop})
   * and returns every trace, warm-up included, in id order. {@code onTrace} is called once per
   * finished request from the request's thread, so a caller can keep partial results.
   */
  public List<RequestTrace> run(Consumer<RequestTrace> onTrace) throws InterruptedException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Stops the run from any thread: no new request starts; in-flight requests get the drain timeout
   * to finish, then are cancelled and recorded as {@code Failure.Cancelled(reason)}.
   */
  public void stop(String reason) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Requests in flight now. */
  public int inFlight() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
