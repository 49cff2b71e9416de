package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventLogTest {

  @Test
  void storesKindsTimesAndLengthsAndTrims() {
    EventLog.Builder b = new EventLog.Builder(1);
    b.add(10, ChunkKind.ROLE, 0)
        .add(20, ChunkKind.REASONING, 5)
        .add(35, ChunkKind.CONTENT, 3)
        .add(36, ChunkKind.KEEP_ALIVE, 0)
        .add(50, ChunkKind.CONTENT, 7)
        .add(51, ChunkKind.FINISH, 0)
        .add(52, ChunkKind.USAGE, 0)
        .add(53, ChunkKind.DONE, 0);
    EventLog log = b.build();
    assertThat(log.size()).isEqualTo(8);
    assertThat(log.kind(0)).isEqualTo(ChunkKind.ROLE);
    assertThat(log.kind(7)).isEqualTo(ChunkKind.DONE);
    assertThat(log.textChars(4)).isEqualTo(7);
    assertThat(log.firstTextIndex()).isEqualTo(1);
    assertThat(log.firstIndexOf(ChunkKind.CONTENT)).isEqualTo(2);
    assertThat(log.lastTextIndex()).isEqualTo(4);
    assertThat(log.textEventCount()).isEqualTo(3);
    assertThat(log.totalTextChars()).isEqualTo(15);
    assertThat(log.textGapsNanos()).containsExactly(15, 15);
  }

  @Test
  void everyKindRoundTripsThroughPacking() {
    EventLog.Builder b = new EventLog.Builder();
    ChunkKind[] kinds = ChunkKind.values();
    for (int i = 0; i < kinds.length; i++) {
      b.add(i, kinds[i], EventLog.MAX_TEXT_CHARS);
    }
    EventLog log = b.build();
    for (int i = 0; i < kinds.length; i++) {
      assertThat(log.kind(i)).isEqualTo(kinds[i]);
      assertThat(log.textChars(i)).isEqualTo(EventLog.MAX_TEXT_CHARS);
    }
  }

  @Test
  void clampsHugeTextAndRejectsNegative() {
    EventLog log = new EventLog.Builder().add(0, ChunkKind.CONTENT, Integer.MAX_VALUE).build();
    assertThat(log.textChars(0)).isEqualTo(EventLog.MAX_TEXT_CHARS);
    assertThat(log.kind(0)).isEqualTo(ChunkKind.CONTENT);
    assertThatThrownBy(() -> new EventLog.Builder().add(0, ChunkKind.CONTENT, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalityIsByContentAndOfRebuildsTheSameLog() {
    EventLog a = new EventLog.Builder().add(1, ChunkKind.CONTENT, 2).build();
    EventLog b = EventLog.of(new long[] {1}, new ChunkKind[] {ChunkKind.CONTENT}, new int[] {2});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(EventLog.empty());
    assertThat(EventLog.empty().firstTextIndex()).isEqualTo(-1);
    assertThat(EventLog.empty().textGapsNanos()).isEmpty();
  }

  @Test
  void sentStampsAreAColumnAllocatedOnlyWhenOneArrives() {
    EventLog none = new EventLog.Builder().add(1, ChunkKind.ROLE, 0).build();
    assertThat(none.hasSentStamps()).isFalse();
    assertThat(none.hasSentNanos(0)).isFalse();
    assertThatThrownBy(() -> none.sentNanos(0)).isInstanceOf(IllegalStateException.class);

    EventLog.Builder b = new EventLog.Builder(1).add(10, ChunkKind.ROLE, 0);
    for (int i = 0; i < 40; i++) {
      b.addSent(20 + i, ChunkKind.CONTENT, 1, 15 + i);
    }
    b.add(100, ChunkKind.DONE, 0);
    EventLog log = b.build();
    assertThat(log.hasSentStamps()).isTrue();
    assertThat(log.hasSentNanos(0)).isFalse();
    assertThat(log.sentNanos(1)).isEqualTo(15);
    assertThat(log.sentNanos(40)).isEqualTo(54);
    assertThat(log.hasSentNanos(41)).isFalse();
    // 0 is a valid stamp (the run's origin), never a stand-in for absence
    EventLog zero = new EventLog.Builder().addSent(5, ChunkKind.CONTENT, 1, 0).build();
    assertThat(zero.hasSentNanos(0)).isTrue();
    assertThat(zero.sentNanos(0)).isZero();
    assertThatThrownBy(
            () -> new EventLog.Builder().addSent(5, ChunkKind.CONTENT, 1, Long.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stampsTakePartInEqualityAndOfRebuildsThem() {
    EventLog a =
        new EventLog.Builder()
            .add(1, ChunkKind.ROLE, 0)
            .addSent(3, ChunkKind.CONTENT, 2, -7)
            .build();
    EventLog b =
        EventLog.of(
            new long[] {1, 3},
            new ChunkKind[] {ChunkKind.ROLE, ChunkKind.CONTENT},
            new int[] {0, 2},
            new Long[] {null, -7L});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    EventLog plain =
        EventLog.of(
            new long[] {1, 3},
            new ChunkKind[] {ChunkKind.ROLE, ChunkKind.CONTENT},
            new int[] {0, 2},
            new Long[] {null, null});
    assertThat(plain.hasSentStamps()).isFalse();
    assertThat(a).isNotEqualTo(plain);
    assertThat(plain)
        .isEqualTo(
            EventLog.of(
                new long[] {1, 3},
                new ChunkKind[] {ChunkKind.ROLE, ChunkKind.CONTENT},
                new int[] {0, 2}));
    EventLog cleared =
        new EventLog.Builder().addSent(3, ChunkKind.CONTENT, 2, 1).clearSentStamps().build();
    assertThat(cleared.hasSentStamps()).isFalse();
  }

  @Test
  void delaysBeyondAnIntKeepTheirStampsExactly() {
    long hour = 3_600_000_000_000L;
    EventLog.Builder b = new EventLog.Builder(2);
    b.addSent(1_000, ChunkKind.CONTENT, 1, 900);
    b.add(1_500, ChunkKind.KEEP_ALIVE, 0);
    b.addSent(2_000, ChunkKind.CONTENT, 1, 2_000 - hour); // an hour late: a broken clock
    b.addSent(3_000, ChunkKind.CONTENT, 1, 3_000L + Integer.MAX_VALUE + 1); // stamped in the future
    b.addSent(4_000, ChunkKind.CONTENT, 1, 3_990);
    EventLog log = b.build();
    assertThat(log.sentNanos(0)).isEqualTo(900);
    assertThat(log.observationDelayNanos(0)).isEqualTo(100);
    assertThat(log.hasSentNanos(1)).isFalse();
    assertThat(log.observationDelayNanos(2)).isEqualTo(hour);
    assertThat(log.observationDelayNanos(3)).isEqualTo(-(Integer.MAX_VALUE + 1L));
    assertThat(log.sentNanos(4)).isEqualTo(3_990);
    assertThat(log)
        .isEqualTo(
            EventLog.of(
                new long[] {1_000, 1_500, 2_000, 3_000, 4_000},
                new ChunkKind[] {
                  ChunkKind.CONTENT,
                  ChunkKind.KEEP_ALIVE,
                  ChunkKind.CONTENT,
                  ChunkKind.CONTENT,
                  ChunkKind.CONTENT
                },
                new int[] {1, 0, 1, 1, 1},
                new Long[] {900L, null, 2_000 - hour, 3_000L + Integer.MAX_VALUE + 1, 3_990L}));
  }

  @Test
  void delaysAtTheEdgesOfAnIntStayCompactAndExact() {
    EventLog log =
        new EventLog.Builder()
            .addSent(0, ChunkKind.CONTENT, 1, -Integer.MAX_VALUE)
            .addSent(0, ChunkKind.CONTENT, 1, Integer.MIN_VALUE + 1L)
            .build();
    assertThat(log.observationDelayNanos(0)).isEqualTo(Integer.MAX_VALUE);
    assertThat(log.observationDelayNanos(1)).isEqualTo(-(Integer.MIN_VALUE + 1L));
  }

  @Test
  void sentGapErrorsCompareEachArrivalGapWithItsSendGap() {
    EventLog.Builder b = new EventLog.Builder();
    // Sent 10 ms apart; the second arrives 3 ms late, the third on time again; the usage event
    // between them and the unstamped text event do not count.
    b.addSent(1_000_000, ChunkKind.CONTENT, 1, 900_000)
        .addSent(14_000_000, ChunkKind.CONTENT, 1, 10_900_000)
        .addSent(14_500_000, ChunkKind.USAGE, 0, 14_400_000)
        .addSent(21_000_000, ChunkKind.CONTENT, 1, 20_900_000)
        .add(30_000_000, ChunkKind.CONTENT, 1);
    assertThat(b.build().sentGapErrorsNanos()).containsExactly(3_000_000L, 3_000_000L);
    assertThat(
            EventLog.of(
                    new long[] {1, 2},
                    new ChunkKind[] {ChunkKind.CONTENT, ChunkKind.CONTENT},
                    new int[] {1, 1})
                .sentGapErrorsNanos())
        .isEmpty();
  }
}
