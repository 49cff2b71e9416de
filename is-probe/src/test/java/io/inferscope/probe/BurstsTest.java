package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurstsTest {
  private static final long MS = 1_000_000;
  private static final long ORIGIN = 7 * MS;

  /** Bodies of which {@code made} are made; taking one waits for it to be made. */
  private static final class FakeBodies implements Bursts.Bodies {
    int made;
    int taken;
    int waitedFor;
    boolean ending;

    FakeBodies(int made) {
      this.made = made;
    }

    @Override
    public byte[] take() {
      if (ending) {
        return null;
      }
      if (taken >= made) {
        waitedFor++;
        made = taken + 1;
      }
      return body();
    }

    @Override
    public byte[] poll() {
      return taken < made ? body() : null;
    }

    private byte[] body() {
      return new byte[] {(byte) taken++};
    }
  }

  /** Sent at 0, 0, 0, 0.5, 1.0, 1.2, 5 and 5 ms. */
  private static ArrivalSchedule schedule() {
    long[] at = {0, 0, 0, MS / 2, MS, 6 * MS / 5, 5 * MS, 5 * MS};
    List<WorkItem> items = new ArrayList<>();
    for (long a : at) {
      items.add(new WorkItem(new Prompt.Text("p"), null, a, null));
    }
    return ArrivalSchedule.fixed(new Workload(items, false, Workload.prompt("p").facts()));
  }

  /** A request of a burst, as the sink was given it. */
  private record Due(int id, long intendedNanos, byte[] body) {}

  /** The next burst; empty when there are no more. */
  private static List<Due> next(Bursts b) {
    List<Due> into = new ArrayList<>();
    int n = b.next((id, at, body) -> into.add(new Due(id, at, body)));
    assertThat(into).hasSize(n);
    return into;
  }

  private static List<List<Integer>> all(Bursts b) {
    List<List<Integer>> out = new ArrayList<>();
    List<Due> burst;
    while (!(burst = next(b)).isEmpty()) {
      out.add(burst.stream().map(Due::id).toList());
    }
    return out;
  }

  @Test
  void aBurstIsItsFirstRequestAndThoseDueWithinAMillisecondAfterIt() {
    FakeBodies bodies = new FakeBodies(8);
    Bursts b = new Bursts(schedule(), bodies, ORIGIN, Long.MAX_VALUE, 10, 100, 64);
    List<Due> first = next(b);
    assertThat(first).extracting(Due::id).containsExactly(10, 11, 12, 13, 14);
    assertThat(first)
        .extracting(Due::intendedNanos)
        .containsExactly(ORIGIN, ORIGIN, ORIGIN, ORIGIN + MS / 2, ORIGIN + MS);
    // Each with its own body, in order.
    assertThat(first).extracting(d -> (int) d.body()[0]).containsExactly(0, 1, 2, 3, 4);
    // 1.2 ms is a burst of its own (its window starts at itself), then the two at 5 ms.
    assertThat(all(b)).containsExactly(List.of(15), List.of(16, 17));
    assertThat(bodies.waitedFor).isZero();
  }

  @Test
  void aBodyNotMadeYetIsNotWaitedForButLeadsTheNextBurst() {
    FakeBodies bodies = new FakeBodies(2);
    Bursts b = new Bursts(schedule(), bodies, ORIGIN, Long.MAX_VALUE, 0, 100, 64);
    List<Due> first = next(b);
    assertThat(first).extracting(Due::id).containsExactly(0, 1);
    assertThat(bodies.waitedFor).isZero();
    // The next burst waits for its first body only, then takes what is made.
    List<Due> second = next(b);
    assertThat(second).extracting(Due::id).containsExactly(2);
    assertThat(bodies.waitedFor).isEqualTo(1);
    bodies.made = 8;
    // The window is the burst's own: from 0.5 ms, 1.0 and 1.2 ms join it.
    assertThat(all(b)).containsExactly(List.of(3, 4, 5), List.of(6, 7));
  }

  @Test
  void burstsAreBoundedInSizeIdsAndTime() {
    assertThat(all(new Bursts(schedule(), new FakeBodies(8), ORIGIN, Long.MAX_VALUE, 0, 100, 2)))
        .containsExactly(List.of(0, 1), List.of(2, 3), List.of(4, 5), List.of(6, 7));
    // Ids end: the schedule's later requests are not sent.
    assertThat(all(new Bursts(schedule(), new FakeBodies(8), ORIGIN, Long.MAX_VALUE, 0, 4, 64)))
        .containsExactly(List.of(0, 1, 2, 3));
    // Nothing due at or after the deadline.
    assertThat(all(new Bursts(schedule(), new FakeBodies(8), ORIGIN, ORIGIN + MS, 0, 100, 64)))
        .containsExactly(List.of(0, 1, 2, 3));
  }

  @Test
  void aRunThatIsEndingEndsItsBursts() {
    FakeBodies bodies = new FakeBodies(8);
    bodies.ending = true;
    Bursts b = new Bursts(schedule(), bodies, ORIGIN, Long.MAX_VALUE, 0, 100, 64);
    assertThat(next(b)).isEmpty();
  }
}
