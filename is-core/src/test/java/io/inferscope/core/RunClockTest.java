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
  void epochNanosAreTheWallInstantOfTheOffsetToTheNanosecond() {
    RunClock c = new RunClock(1_000, Instant.parse("2026-01-01T00:00:00.123456789Z"));
    long origin = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    assertThat(c.epochNanosAt(0)).isEqualTo(origin + 123_456_789L);
    assertThat(c.epochNanosAt(2_000_000_001L)).isEqualTo(origin + 2_123_456_790L);
    Instant wall = c.wallAt(2_000_000_001L);
    assertThat(c.epochNanosAt(2_000_000_001L))
        .isEqualTo(wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
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
