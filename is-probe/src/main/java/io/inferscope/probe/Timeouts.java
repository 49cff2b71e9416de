package io.inferscope.probe;

import java.time.Duration;

/**
 * Every bounded wait of a request. Each is a counted failure when it runs out.
 *
 * @param connect TCP connect (and TLS)
 * @param firstByte request sent to first response byte (covers queueing and prefill on the server:
 *     generous by default)
 * @param idle longest silence between two reads of a stream
 * @param total whole request, send to end
 * @param drain at the end of a timed run or on interrupt: how long in-flight requests may finish
 *     before they are cancelled
 */
public record Timeouts(
    Duration connect, Duration firstByte, Duration idle, Duration total, Duration drain) {

  public Timeouts {
    for (Duration d : new Duration[] {connect, firstByte, idle, total, drain}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every timeout must be positive");
      }
    }
  }

  /** Connect 5 s, first byte 300 s, idle 60 s, total 900 s, drain 30 s. */
  public static Timeouts defaults() {
    return new Timeouts(
        Duration.ofSeconds(5),
        Duration.ofSeconds(300),
        Duration.ofSeconds(60),
        Duration.ofSeconds(900),
        Duration.ofSeconds(30));
  }

  public Timeouts withConnect(Duration d) {
    return new Timeouts(d, firstByte, idle, total, drain);
  }

  public Timeouts withFirstByte(Duration d) {
    return new Timeouts(connect, d, idle, total, drain);
  }

  public Timeouts withIdle(Duration d) {
    return new Timeouts(connect, firstByte, d, total, drain);
  }

  public Timeouts withTotal(Duration d) {
    return new Timeouts(connect, firstByte, idle, d, drain);
  }

  public Timeouts withDrain(Duration d) {
    return new Timeouts(connect, firstByte, idle, total, d);
  }
}
