package io.inferscope.probe;

import java.util.Random;

/**
 * Intended send offsets of open-loop requests, from the start of measured load: request {@code i}
 * at {@code i / rate} (constant); after gaps of mean {@code 1 / rate} drawn from a seeded
 * generator, exponential (Poisson arrivals) or gamma of a given shape (bursty arrivals), the first
 * at 0; or at the workload's own times (a fixed schedule). A shard's schedule is every {@code
 * count}-th arrival of the whole rate's from its {@code index} on (ADR 0019), so the shards' union
 * is the one schedule a single process would send. Sequential: one scheduler reads it.
 */
final class ArrivalSchedule {
  private final double ratePerSecond;
  private final LoadSpec.Arrival arrival;
  private final double shape;
  private final Workload fixed;
  private final Random random;
  private final int shareIndex;
  private final int shareCount;
  private int index;
  private double seconds;
  private boolean started;

  private ArrivalSchedule(
      double ratePerSecond,
      LoadSpec.Arrival arrival,
      double shape,
      Workload fixed,
      long seed,
      int shareIndex,
      int shareCount) {
    this.ratePerSecond = ratePerSecond;
    this.arrival = arrival;
    this.shape = shape;
    this.fixed = fixed;
    this.random = new Random(seed);
    this.shareIndex = shareIndex;
    this.shareCount = shareCount;
  }

  /** Arrivals at {@code ratePerSecond}, spaced as {@code arrival} says. */
  static ArrivalSchedule atRate(
      double ratePerSecond, LoadSpec.Arrival arrival, double burstiness, long seed) {
    return atRate(ratePerSecond, arrival, burstiness, seed, 0, 1);
  }

  /**
   * Arrivals {@code shareIndex, shareIndex + shareCount, ...} of those at {@code ratePerSecond}.
   */
  static ArrivalSchedule atRate(
      double ratePerSecond,
      LoadSpec.Arrival arrival,
      double burstiness,
      long seed,
      int shareIndex,
      int shareCount) {
    return new ArrivalSchedule(
        ratePerSecond, arrival, burstiness, null, seed, shareIndex, shareCount);
  }

  /** Arrivals at the workload's own send times. */
  static ArrivalSchedule fixed(Workload workload) {
    return new ArrivalSchedule(0, null, 0, workload, 0, 0, 1);
  }

  /** The schedule {@code spec} asks for. */
  static ArrivalSchedule of(LoadSpec spec) {
    return spec.fixedSchedule()
        ? fixed(spec.workload())
        : atRate(
            spec.ratePerSecond(),
            spec.arrival(),
            spec.burstiness(),
            spec.seed(),
            spec.arrivalShareIndex(),
            spec.arrivalShareCount());
  }

  /**
   * The offset of the next request in nanoseconds from the start, or -1 when a fixed schedule has
   * no more requests.
   */
  long nextOffsetNanos() {
    if (fixed != null) {
      int i = index++;
      return i < fixed.items().size() ? fixed.items().get(i).offsetNanos() : -1;
    }
    // The other shards' arrivals are drawn too, so that every shard draws the same sequence.
    int skip = started ? shareCount - 1 : shareIndex;
    started = true;
    for (int s = 0; s < skip; s++) {
      nextRateOffsetNanos();
    }
    return nextRateOffsetNanos();
  }

  /** The next arrival of the whole rate's schedule. */
  private long nextRateOffsetNanos() {
    int i = index++;
    if (arrival == LoadSpec.Arrival.CONSTANT) {
      // From the index, not by adding gaps, so rounding never accumulates.
      return Math.round(i * 1e9 / ratePerSecond);
    }
    if (i > 0) {
      double gap =
          arrival == LoadSpec.Arrival.POISSON
              ? -Math.log(1.0 - random.nextDouble())
              : gamma(shape) / shape;
      seconds += gap / ratePerSecond;
    }
    return Math.round(seconds * 1e9);
  }

  /**
   * A gamma variate of shape {@code k} and scale 1 (mean {@code k}): Marsaglia and Tsang's method,
   * with {@code G(k) = G(k + 1) U^(1/k)} for {@code k < 1}.
   */
  private double gamma(double k) {
    if (k < 1) {
      double u = random.nextDouble();
      return gamma(k + 1) * Math.pow(u == 0 ? Double.MIN_VALUE : u, 1 / k);
    }
    double d = k - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
