package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunClockTest {

  @Test
  void offsetsAndWallTimesShareOneOrigin() {
    RunClock c = new RunClock(1_000, Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(c.offsetNanos(1_500)).isEqualTo(500);
    assertThat(c.nanoTimeAt(500)).isEqualTo(1_500);
    assertThat(c.wallAt(1_500_000_000L)).isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));
  }

  @Test
  void liveClockIsMonotonicFromZero() {
    RunClock c = RunClock.startNow();
    long a = c.nowNanos();
    long b = c.nowNanos();
    assertThat(a).isGreaterThanOrEqualTo(0);
    assertThat(b).isGreaterThanOrEqualTo(a);
  }
}
