package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelfWarmTest {
  private static final long BOUND_NANOS = Duration.ofSeconds(30).toNanos();

  /** No engine listens there. */
  private static final URI NO_ENGINE = URI.create("http://127.0.0.1:9");

  @ParameterizedTest(name = "on a fixed schedule: {0}")
  @ValueSource(booleans = {false, true})
  void itReadsWholeStreamsThenSendsManyShortRequestsUntilTheJitIsIdleAfterEachMinimum(
      boolean onSchedule) {
    LoadRunner.WarmUp w = SelfWarm.run(2, BOUND_NANOS, () -> false, onSchedule);
    assertThat(w).isNotNull();
    // Every answer read whole: the long streams of the read phase (whole batches of them), then
    // the short answers of the request phase.
    long shortEvents = SelfWarm.REQUEST_EVENTS + 3;
    long longOnly = w.events() - w.requests() * shortEvents;
    long perBatch = (long) SelfWarm.CONNECTIONS * (streamEvents() - shortEvents);
    assertThat(longOnly).isPositive();
    assertThat(longOnly % perBatch).isZero();
    long readBatches = longOnly / perBatch;
    long shortRequests = w.requests() - readBatches * SelfWarm.CONNECTIONS;
    assertThat(readBatches * SelfWarm.CONNECTIONS * streamEvents())
        .isGreaterThanOrEqualTo(SelfWarm.MIN_EVENTS);
    if (w.settled()) {
      assertThat(shortRequests).isGreaterThanOrEqualTo(SelfWarm.MIN_REQUESTS);
    } else {
      // A busy host's JIT may still be compiling at the bound: then the bound ended it.
      assertThat(w.elapsedNanos()).isGreaterThanOrEqualTo(BOUND_NANOS);
    }
  }

  @Test
  void aStopEndsItAfterTheBatchUnderWay() {
    LoadRunner.WarmUp w = SelfWarm.run(1, BOUND_NANOS, () -> true, false);
    assertThat(w).isNotNull();
    assertThat(w.batches()).isEqualTo(1);
    assertThat(w.events()).isEqualTo((long) SelfWarm.CONNECTIONS * streamEvents());
  }

  @Test
  void itsTimeBoundEndsItAfterTheBatchUnderWay() {
    LoadRunner.WarmUp w = SelfWarm.run(1, 1, () -> false, true);
    assertThat(w).isNotNull();
    assertThat(w.batches()).isEqualTo(1);
  }

  @Test
  void theRequestPhaseOfARunOnAFixedScheduleSendsBurstsOfRequestsDueAtOnceEachWithItsOwnBody() {
    long gaps = 3;
    Workload w = SelfWarm.bursts(gaps * SelfWarm.BURST_GAP_NANOS);
    assertThat(w.scheduled()).isTrue();
    assertThat(w.items()).hasSize((int) (gaps + 1) * SelfWarm.BURST);
    for (int i = 0; i < w.items().size(); i++) {
      assertThat(w.items().get(i).offsetNanos())
          .isEqualTo((i / SelfWarm.BURST) * SelfWarm.BURST_GAP_NANOS);
    }
    // Bodies made one by one (ahead of their time, as a trace's), no two alike.
    assertThat(w.items()).allMatch(i -> PromptText.generated(i.prompt()));
    assertThat(w.items().stream().map(i -> PromptText.render(i.prompt())).distinct())
        .hasSize(w.items().size());
  }

  @Test
  void runsOfManyStreamsWithTheirConcurrencyGivenOrOnAFixedScheduleAreWarmed() {
    assertThat(LoadRunner.selfWarms(spec(LoadRunner.SELF_WARM_MIN_STREAMS))).isTrue();
    assertThat(LoadRunner.selfWarms(spec(LoadRunner.SELF_WARM_MIN_STREAMS - 1))).isFalse();
    assertThat(LoadRunner.selfWarms(spec(Integer.MAX_VALUE))).isFalse();
    // A trace: its bursts are due at once, whatever its concurrency.
    Workload trace = SelfWarm.bursts(SelfWarm.BURST_GAP_NANOS);
    assertThat(LoadRunner.selfWarms(TestSpecs.to(NO_ENGINE).workload(trace).build())).isTrue();
    assertThat(LoadRunner.selfWarms(TestSpecs.to(NO_ENGINE).workload(trace).concurrency(4).build()))
        .isTrue();
    // The same items sent at a rate of their own are not on the trace's schedule.
    assertThat(
            LoadRunner.selfWarms(
                TestSpecs.to(NO_ENGINE).workload(trace).ratePerSecond(5.0).build()))
        .isFalse();
  }

  @Test
  void onWarmsEveryRunAndOffNone() {
    Workload trace = SelfWarm.bursts(SelfWarm.BURST_GAP_NANOS);
    for (LoadSpec.Builder b :
        List.of(
            TestSpecs.to(NO_ENGINE).concurrency(1),
            TestSpecs.to(NO_ENGINE),
            TestSpecs.to(NO_ENGINE).concurrency(LoadRunner.SELF_WARM_MIN_STREAMS),
            TestSpecs.to(NO_ENGINE).workload(trace))) {
      assertThat(LoadRunner.selfWarms(b.selfWarm(LoadSpec.SelfWarm.ON).build())).isTrue();
      assertThat(LoadRunner.selfWarms(b.selfWarm(LoadSpec.SelfWarm.OFF).build())).isFalse();
    }
    // Warm-up requests before an agreed start leave it no time it can know, whatever is asked.
    assertThat(
            LoadRunner.selfWarms(
                TestSpecs.to(NO_ENGINE)
                    .concurrency(1)
                    .selfWarm(LoadSpec.SelfWarm.ON)
                    .startAt(Instant.now().plusSeconds(30))
                    .warmupRequests(2)
                    .build()))
        .isFalse();
  }

  @Test
  void onlyRunsOfManyStreamsWithTheirConcurrencyGivenAreWarmedAndNeverTwice() {
    assertThat(LoadRunner.warmUp(spec(LoadRunner.SELF_WARM_MIN_STREAMS - 1), () -> false)).isNull();
    // An open loop without a bound: it may keep few streams in flight.
    assertThat(LoadRunner.warmUp(spec(Integer.MAX_VALUE), () -> false)).isNull();
    // Stopped before it starts.
    assertThat(LoadRunner.warmUp(spec(LoadRunner.SELF_WARM_MIN_STREAMS), () -> true)).isNull();
    // The first may find the process warmed by another test; a process never warms twice.
    LoadRunner.WarmUp first =
        LoadRunner.warmUp(spec(LoadRunner.SELF_WARM_MIN_STREAMS), () -> false);
    LoadRunner.WarmUp second =
        LoadRunner.warmUp(spec(LoadRunner.SELF_WARM_MIN_STREAMS), () -> false);
    assertThat(first != null && second != null).as("%s then %s", first, second).isFalse();
  }

  @Test
  void anAgreedStartBoundsItAndWarmUpRequestsBeforeOneRuleItOut() {
    Instant now = Instant.now();
    Duration margin = LoadRunner.SELF_WARM_MARGIN;
    assertThat(LoadRunner.selfWarmBudgetNanos(null, now))
        .isEqualTo(LoadRunner.SELF_WARM_MAX.toNanos());
    assertThat(LoadRunner.selfWarmBudgetNanos(now.plus(margin).plusSeconds(2), now))
        .isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(LoadRunner.selfWarmBudgetNanos(now.plus(margin).plusSeconds(60), now))
        .isEqualTo(LoadRunner.SELF_WARM_MAX.toNanos());
    assertThat(LoadRunner.selfWarmBudgetNanos(now.plus(margin).minusMillis(1), now))
        .isNotPositive();
    // Too close: nothing to do, whatever this process did before.
    LoadSpec tooSoon =
        TestSpecs.to(NO_ENGINE)
            .concurrency(LoadRunner.SELF_WARM_MIN_STREAMS)
            .startAt(Instant.now().plus(margin).minusMillis(500))
            .build();
    assertThat(LoadRunner.warmUp(tooSoon, () -> false)).isNull();
    LoadSpec withWarmUpRequests =
        TestSpecs.to(NO_ENGINE)
            .concurrency(LoadRunner.SELF_WARM_MIN_STREAMS)
            .warmupRequests(8)
            .startAt(Instant.now().plusSeconds(3600))
            .build();
    assertThat(LoadRunner.warmUp(withWarmUpRequests, () -> false)).isNull();
  }

  private static LoadSpec spec(int concurrency) {
    return TestSpecs.to(NO_ENGINE).concurrency(concurrency).build();
  }

  /** Events of one stream of a batch: its text events, the finish, the usage and [DONE]. */
  private static long streamEvents() {
    return SelfWarm.EVENTS + 3;
  }
}
