package io.inferscope.core;

/**
 * The one rule that splits a load over {@code count} shards (ADR 0019): the whole load's requests
 * (its arrivals, its dataset lines, its trace lines) are dealt out in turn, so shard {@code i}
 * takes numbers {@code i, i + count, i + 2 count, ...}. Counts follow from it: a total of {@code t}
 * gives shard {@code i} {@code t / count} and one more when {@code i < t mod count} (10 over 3: 4,
 * 3, 3), which sum to {@code t} exactly. Pure.
 */
public final class Sharding {

  private Sharding() {}

  /**
   * Shard {@code index}'s share of {@code total}: how many of {@code 0 .. total-1} it takes.
   *
   * @throws IllegalArgumentException for a negative total or an index outside {@code 0 .. count-1}
   */
  public static int share(int total, int index, int count) {
    check(index, count);
    if (total < 0) {
      throw new IllegalArgumentException("a total to share must not be negative: " + total);
    }
    return total / count + (index < total % count ? 1 : 0);
  }

  /**
   * The number, in the whole load, of shard {@code index}'s {@code local}-th request: {@code local
   * * count + index}. A merged run's request ids are these, so every id is unique and id {@code k}
   * is request {@code k / count} of shard {@code k mod count}.
   *
   * @throws IllegalArgumentException when the id does not fit an int
   */
  public static int globalId(int local, int index, int count) {
    check(index, count);
    if (local < 0) {
      throw new IllegalArgumentException("a request id must not be negative: " + local);
    }
    long id = (long) local * count + index;
    if (id > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "request " + local + " of shard " + index + "/" + count + " has no id below 2^31");
    }
    return (int) id;
  }

  private static void check(int index, int count) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "a shard is INDEX/COUNT with 0 <= INDEX < COUNT: " + index + "/" + count);
    }
  }
}
