package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's own send stamps, kept as run-clock offsets when they read the client's clock. */
@Timeout(60)
class SentStampTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private static SimConfig fast() {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(20), Duration.ofMillis(2), Duration.ZERO);
  }

  private static List<RequestTrace> run(SimEngine engine) throws InterruptedException {
    return LoadRunner.create(
            TestSpecs.to(URI.create(engine.baseUrl()))
                .concurrency(4)
                .requests(8)
                .maxTokens(8)
                .build(),
            RunClock.startNow())
        .run(t -> {})
        .traces();
  }

  @Test
  void everyTextEventOfTheStampingSimCarriesASmallNonNegativeDelay() throws Exception {
    try (SimEngine engine = SimEngine.start(fast().withStampMonotonic(true))) {
      List<RequestTrace> traces = run(engine);
      assertThat(traces).hasSize(8).allMatch(RequestTrace::ok);
      for (RequestTrace t : traces) {
        EventLog ev = t.events();
        assertThat(ev.hasSentStamps()).as("request %d", t.id()).isTrue();
        int text = 0;
        for (int i = 0; i < ev.size(); i++) {
          if (!ev.kind(i).isText()) {
            continue;
          }
          text++;
          assertThat(ev.hasSentNanos(i)).as("request %d event %d", t.id(), i).isTrue();
          long delay = ev.atNanos(i) - ev.sentNanos(i);
          // Both stamps on one clock: a stamp from another clock would be off by far more than
          // the slack a loaded host needs.
          assertThat(delay).as("request %d event %d", t.id(), i).isBetween(0L, 10 * SECOND);
        }
        assertThat(text).isEqualTo(8);
      }
    }
  }

  @Test
  void withoutStampingNoColumnExists() throws Exception {
    try (SimEngine engine = SimEngine.start(fast())) {
      List<RequestTrace> traces = run(engine);
      assertThat(traces).hasSize(8).allMatch(RequestTrace::ok);
      assertThat(traces).noneMatch(t -> t.events().hasSentStamps());
    }
  }

  private static Chunk content(Long sentNanoTime) {
    return new Chunk(
        ChunkKind.CONTENT, 1, 0, false, true, null, null, null, null, sentNanoTime, null);
  }

  @Test
  void stampsFromAnotherClockAreDroppedForTheWholeRequest() {
    RunClock clock = new RunClock(1_000 * SECOND, Instant.EPOCH);
    // plausible: 1 ms before arrival
    StreamRecorder good = new StreamRecorder(clock);
    good.accept(10 * MS, content(clock.nanoTimeAt(9 * MS)));
    good.accept(11 * MS, content(null));
    EventLog g = good.events();
    assertThat(g.sentNanos(0)).isEqualTo(9 * MS);
    assertThat(g.hasSentNanos(1)).isFalse();

    // a stamp after its arrival: another clock
    StreamRecorder after = new StreamRecorder(clock);
    after.accept(10 * MS, content(clock.nanoTimeAt(9 * MS)));
    after.accept(11 * MS, content(clock.nanoTimeAt(12 * MS)));
    after.accept(12 * MS, content(clock.nanoTimeAt(11 * MS)));
    assertThat(after.events().hasSentStamps()).isFalse();

    // more than 60 s before its arrival: another clock
    StreamRecorder old = new StreamRecorder(clock);
    old.accept(61 * SECOND, content(clock.nanoTimeAt(0)));
    old.accept(61 * SECOND + MS, content(clock.nanoTimeAt(61 * SECOND)));
    assertThat(old.events().hasSentStamps()).isFalse();
  }
}
