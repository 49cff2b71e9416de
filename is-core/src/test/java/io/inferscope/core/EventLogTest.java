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
}
