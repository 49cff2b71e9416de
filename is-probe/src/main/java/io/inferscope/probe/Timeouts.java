package io.inferscope.probe;

import java.time.Duration;

/**
 * Every bounded wait of a run. The first four bound one request, and each is a counted failure when
 * it runs out; the last two bound how long a run that is ending waits for the requests in flight,
 * which are then cancelled and recorded as {@code Failure.Cancelled} with the reason.
 *
 * @param connect TCP connect (and TLS)
 * @param firstByte request sent to first response byte (covers queueing and prefill on the server:
 *     generous by default)
 * @param idle longest silence between two reads of a stream
 * @param total whole request, send to end
 * @param drain when a timed run reaches its duration, or the host refuses a stream thread: how long
 *     in-flight requests may finish
 * @param stopGrace after {@link LoadRunner#stop} (Ctrl-C, SIGTERM, the engine process gone): how
 *     long in-flight requests may finish; zero cancels them at once. A stop during a drain shortens
 *     it to this grace, never lengthens it. Interrupting the thread in {@link LoadRunner#run}
 *     cancels them at once whatever this says.
 */
public record Timeouts(
    Duration connect,
    Duration firstByte,
    Duration idle,
    Duration total,
    Duration drain,
    Duration stopGrace) {

  public Timeouts {
    for (Duration d : new Duration[] {connect, firstByte, idle, total, drain}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every timeout must be positive");
      }
    }
    if (stopGrace == null || stopGrace.isNegative()) {
      throw new IllegalArgumentException("the stop grace must be zero or positive");
    }
  }

  /** Connect 5 s, first byte 300 s, idle 60 s, total 900 s, drain 30 s, stop grace 3 s. */
  public static Timeouts defaults() {
    return new Timeouts(
        Duration.ofSeconds(5),
        Duration.ofSeconds(300),
        Duration.ofSeconds(60),
        Duration.ofSeconds(900),
        Duration.ofSeconds(30),
        Duration.ofSeconds(3));
  }

  public Timeouts withConnect(Duration d) {
    return new Timeouts(d, firstByte, idle, total, drain, stopGrace);
  }

  public Timeouts withFirstByte(Duration d) {
    return new Timeouts(connect, d, idle, total, drain, stopGrace);
  }

  public Timeouts withIdle(Duration d) {
    return new Timeouts(connect, firstByte, d, total, drain, stopGrace);
  }

  public Timeouts withTotal(Duration d) {
    return new Timeouts(connect, firstByte, idle, d, drain, stopGrace);
  }

  public Timeouts withDrain(Duration d) {
    return new Timeouts(connect, firstByte, idle, total, d, stopGrace);
  }

  public Timeouts withStopGrace(Duration d) {
    return new Timeouts(connect, firstByte, idle, total, drain, d);
  }
}
