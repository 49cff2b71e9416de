package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one sharding rule: shares sum to the whole exactly, ids are unique and dense. */
class ShardingTest {

  @Test
  void tenOverThreeIsFourThreeThree() {
    assertThat(Sharding.share(10, 0, 3)).isEqualTo(4);
    assertThat(Sharding.share(10, 1, 3)).isEqualTo(3);
    assertThat(Sharding.share(10, 2, 3)).isEqualTo(3);
    assertThat(Sharding.share(2, 2, 3)).isZero();
  }

  @Test
  void sharesSumExactlyToTheTotalAndDifferByAtMostOne() {
    for (int count = 1; count <= 17; count++) {
      for (int total = 0; total <= 200; total++) {
        int sum = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < count; i++) {
          int s = Sharding.share(total, i, count);
          sum += s;
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        assertThat(sum).as("%d over %d", total, count).isEqualTo(total);
        assertThat(max - min).as("%d over %d", total, count).isLessThanOrEqualTo(1);
      }
    }
    long sum = 0;
    for (int i = 0; i < 7; i++) {
      sum += Sharding.share(Integer.MAX_VALUE, i, 7);
    }
    assertThat(sum).isEqualTo(Integer.MAX_VALUE);
  }

  /**
   * Shard i's requests 0 .. share-1 become ids that cover 0 .. total-1 exactly once: the ids of a
   * whole merged load are unique and leave no gap.
   */
  @Test
  void globalIdsOfTheSharesCoverTheWholeOnce() {
    for (int count = 1; count <= 9; count++) {
      for (int total = 0; total <= 60; total++) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
          for (int local = 0; local < Sharding.share(total, i, count); local++) {
            int id = Sharding.globalId(local, i, count);
            assertThat(ids.add(id)).as("id %d given twice", id).isTrue();
            assertThat(id % count).isEqualTo(i);
            assertThat(id / count).isEqualTo(local);
          }
        }
        assertThat(ids).hasSize(total);
        assertThat(ids.stream().mapToInt(Integer::intValue).max().orElse(-1)).isEqualTo(total - 1);
      }
    }
  }

  @Test
  void badShardsAndIdsBeyondAnIntAreRefused() {
    assertThatThrownBy(() -> Sharding.share(10, 3, 3))
        .hasMessage("a shard is INDEX/COUNT with 0 <= INDEX < COUNT: 3/3");
    assertThatThrownBy(() -> Sharding.share(-1, 0, 3)).hasMessageContaining("negative");
    assertThatThrownBy(() -> Sharding.globalId(Integer.MAX_VALUE / 2, 1, 3))
        .hasMessageContaining("no id below 2^31");
  }
}
