package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunClock;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SelfWarmTest {
  private static final long BOUND_NANOS = Duration.ofSeconds(60).toNanos();

  /** No engine listens there: a warm-up that sent anything to it would fail. */
  private static final URI NO_ENGINE = URI.create("http://127.0.0.1:9");

  @Test
  void itReadsWholeStreamsOnLoopbackUntilTheJitIsIdleAfterItsMinimum() {
    LoadRunner.WarmUp w = SelfWarm.run(2, BOUND_NANOS, () -> false);
    assertThat(w).isNotNull();
    // Every stream read whole.
    assertThat(w.events()).isEqualTo((long) w.batches() * SelfWarm.CONNECTIONS * streamEvents());
    if (w.settled()) {
      assertThat(w.events()).isGreaterThanOrEqualTo(SelfWarm.MIN_EVENTS);
    } else {
      // A busy host's JIT may still be compiling at the bound: then the bound ended it.
      assertThat(w.elapsedNanos()).isGreaterThanOrEqualTo(BOUND_NANOS);
    }
  }

  @Test
  void aStopEndsItAfterTheBatchUnderWay() {
    LoadRunner.WarmUp w = SelfWarm.run(1, BOUND_NANOS, () -> true);
    assertThat(w).isNotNull();
    assertThat(w.batches()).isEqualTo(1);
    assertThat(w.events()).isEqualTo((long) SelfWarm.CONNECTIONS * streamEvents());
  }

  @Test
  void itsTimeBoundEndsItAfterTheBatchUnderWay() {
    LoadRunner.WarmUp w = SelfWarm.run(1, 1, () -> false);
    assertThat(w).isNotNull();
    assertThat(w.batches()).isEqualTo(1);
  }

  @Test
  void onlyRunsOfManyStreamsWithTheirConcurrencyGivenAreWarmedAndOnlyOnce() {
    assertThat(runner(LoadRunner.SELF_WARM_MIN_STREAMS - 1).warmUp()).isNull();
    // An open loop without a bound: it may keep few streams in flight.
    assertThat(runner(Integer.MAX_VALUE).warmUp()).isNull();
    LoadRunner off = runner(LoadRunner.SELF_WARM_MIN_STREAMS);
    off.warmHotPath = false;
    assertThat(off.warmUp()).isNull();
    // The first may find the process warmed by another test; the second always does.
    runner(LoadRunner.SELF_WARM_MIN_STREAMS).warmUp();
    assertThat(runner(LoadRunner.SELF_WARM_MIN_STREAMS).warmUp()).isNull();
  }

  @Test
  void anAgreedStartBoundsItAndOneTooCloseLeavesNoTime() {
    assertThat(runner(LoadRunner.SELF_WARM_MIN_STREAMS).selfWarmBudgetNanos())
        .isEqualTo(LoadRunner.SELF_WARM_MAX.toNanos());
    Duration margin = LoadRunner.SELF_WARM_MARGIN;
    LoadRunner soon = startingIn(margin.plusSeconds(2));
    assertThat(soon.selfWarmBudgetNanos()).isPositive().isLessThanOrEqualTo(2_000_000_000L);
    LoadRunner tooSoon = startingIn(margin.minusMillis(100));
    assertThat(tooSoon.selfWarmBudgetNanos()).isNotPositive();
    assertThat(tooSoon.warmUp()).isNull();
  }

  private static LoadRunner startingIn(Duration d) {
    RunClock clock = RunClock.startNow();
    LoadSpec spec =
        TestSpecs.to(NO_ENGINE)
            .concurrency(LoadRunner.SELF_WARM_MIN_STREAMS)
            .startAt(clock.originWall().plus(d))
            .build();
    return LoadRunner.create(spec, clock);
  }

  private static LoadRunner runner(int concurrency) {
    return LoadRunner.create(
        TestSpecs.to(NO_ENGINE).concurrency(concurrency).build(), RunClock.startNow());
  }

  /** Events of one stream of a batch: its text events, the finish, the usage and [DONE]. */
  private static long streamEvents() {
    return SelfWarm.EVENTS + 3;
  }
}
