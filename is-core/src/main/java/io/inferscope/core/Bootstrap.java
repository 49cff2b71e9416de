package io.inferscope.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bootstrap confidence intervals of the difference between two runs' figures, from their raw
 * per-request data (ADR 0016). Both runs are resampled independently, by request and with
 * replacement; the interval is the percentile interval of the resampled differences {@code B - A}.
 * A figure pooled over several values per request (chunk ITL: every gap of every request) is
 * resampled by request too, so the gaps of one request, which are not independent, stay together.
 *
 * <p>Percentiles are the report's own (Hyndman and Fan type 7, {@link Summary#percentileOfSorted}):
 * with every request drawn once the statistic is exactly the run's figure. Pure and deterministic
 * for a given seed.
 */
public final class Bootstrap {

  /**
   * The fewest values a run must have beyond a percentile, on its far side, for an interval of it:
   * with fewer, the resampled percentile takes only a few distinct values and the interval is too
   * narrow. ADR 0016 measured, for two samples of one distribution, p99 called different in 10-13 %
   * of trials at 30 and 50 values (under 1 beyond it), 5 % at 100 (1) and 3-4 % at 200 (2).
   */
  public static final int MIN_TAIL_VALUES = 2;

  /**
   * The fewest requests a run must have for any interval (ADR 0016: the median of 4 values was
   * called different in 8 % of trials of one distribution, of 5 and 10 values in 3-4 %).
   */
  public static final int MIN_REQUESTS = 10;

  private Bootstrap() {}

  /**
   * How the intervals are computed.
   *
   * @param confidence the interval's coverage, strictly between 0 and 1 (0.95: a 95 % interval)
   * @param resamples how many resamples of each run, at least 100
   * @param seed the random generator's seed: the same seed gives the same intervals
   */
  public record Settings(double confidence, int resamples, long seed) {

    /** 95 % intervals from 2,000 resamples, seed 1. */
    public static final Settings DEFAULT = new Settings(0.95, 2000, 1);

    public Settings {
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException(
            "confidence must be between 0 and 1 (e.g. 0.95): " + confidence);
      }
      if (resamples < 100) {
        throw new IllegalArgumentException("resamples must be at least 100: " + resamples);
      }
    }
  }

  /**
   * An estimate of {@code B - A} and its interval, in the unit of the figure.
   *
   * @param estimate the difference of the two runs' figures over all their requests
   * @param low the interval's lower end
   * @param high the interval's upper end
   */
  public record Interval(double estimate, double low, double high) {
    /** Whether the interval leaves out zero: B differs from A beyond resampling noise. */
    public boolean excludesZero() {
      return low > 0 || high < 0;
    }
  }

  /** What is computed over a (resampled) run. */
  public sealed interface Statistic {}

  /**
   * The p-th percentile (0..100) of the pooled values.
   *
   * @param p the percentile
   */
  public record Percentile(double p) implements Statistic {
    public Percentile {
      if (!(p >= 0 && p <= 100)) {
        throw new IllegalArgumentException("percentile outside 0..100: " + p);
      }
    }
  }

  /** The mean of the pooled values (of 0/1 values: a share). */
  public record Mean() implements Statistic {}

  /**
   * One run's values of one figure, grouped by the request they belong to: the unit that is
   * resampled. Requests without a value are not in it.
   */
  public static final class Sample {
    private final double[] sorted;
    private final int[] cluster; // the request of each sorted value
    private final int requests;
    private final double[] requestSums;
    private final int[] requestSizes;

    private Sample(List<double[]> perRequest) {
      List<double[]> kept = new ArrayList<>();
      for (double[] values : perRequest) {
        if (values.length > 0) {
          kept.add(values);
        }
      }
      requests = kept.size();
      requestSums = new double[requests];
      requestSizes = new int[requests];
      int total = 0;
      for (double[] v : kept) {
        total += v.length;
      }
      double[] values = new double[total];
      int[] owner = new int[total];
      int at = 0;
      for (int r = 0; r < requests; r++) {
        for (double v : kept.get(r)) {
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite value: " + v);
          }
          values[at] = v;
          owner[at++] = r;
          requestSums[r] += v;
        }
        requestSizes[r] = kept.get(r).length;
      }
      // Sort the values, each carrying its request: a sort of indexes by value.
      Integer[] order = new Integer[total];
      for (int i = 0; i < total; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
      sorted = new double[total];
      cluster = new int[total];
      for (int i = 0; i < total; i++) {
        sorted[i] = values[order[i]];
        cluster[i] = owner[order[i]];
      }
    }

    /** One value per request. */
    public static Sample of(double[] values) {
      List<double[]> each = new ArrayList<>(values.length);
      for (double v : values) {
        each.add(new double[] {v});
      }
      return new Sample(each);
    }

    /** Several values per request (none for some): the requests are resampled, not the values. */
    public static Sample ofRequests(List<double[]> perRequest) {
      return new Sample(perRequest);
    }

    /** Requests with at least one value. */
    public int requests() {
      return requests;
    }

    /** Values over all requests. */
    public int values() {
      return sorted.length;
    }

    /** The percentiles (0..100) of all the values, each request once; see {@link Summary}. */
    public double[] percentiles(double[] ps) {
      if (sorted.length == 0) {
        throw new IllegalArgumentException("no values");
      }
      double[] out = new double[ps.length];
      for (int i = 0; i < ps.length; i++) {
        out[i] = Summary.percentileOfSorted(sorted, ps[i]);
      }
      return out;
    }

    /** The statistic over every request once: the run's own figure. */
    public double value(Statistic s) {
      int[] once = new int[requests];
      Arrays.fill(once, 1);
      return compute(this, once, List.of(s))[0];
    }
  }

  /**
   * Whether {@code s} has enough data for an interval of {@code stat}: {@link #MIN_REQUESTS}
   * requests, and for a percentile {@link #MIN_TAIL_VALUES} values beyond it on its far side (p99
   * needs 200 values, p90 20).
   */
  public static boolean enoughFor(Sample s, Statistic stat) {
    return s.requests() >= MIN_REQUESTS && s.values() >= valuesNeeded(stat);
  }

  /** The values a run needs for an interval of {@code stat} (its requests aside). */
  public static int valuesNeeded(Statistic stat) {
    if (stat instanceof Percentile(double p)) {
      double tail = Math.min(p, 100 - p) / 100;
      return tail == 0 ? Integer.MAX_VALUE : (int) Math.ceil(MIN_TAIL_VALUES / tail - 1e-9);
    }
    return 0;
  }

  /**
   * The intervals of {@code B - A} for each statistic, from the same resamples (so the figures of
   * one resample belong together).
   *
   * @param a the baseline run's values
   * @param b the other run's values
   * @param stats what to compare
   * @param settings confidence, resamples and seed
   * @param stream told apart from other figures compared with the same seed, so each figure draws
   *     its own resamples whatever else is compared
   * @throws IllegalArgumentException when either sample has no request
   */
  public static List<Interval> differences(
      Sample a, Sample b, List<Statistic> stats, Settings settings, long stream) {
    if (a.requests() == 0 || b.requests() == 0) {
      throw new IllegalArgumentException("a bootstrap needs at least one request in each run");
    }
    SplittableRandom random = new SplittableRandom(mix(settings.seed(), stream));
    int m = stats.size();
    double[][] diffs = new double[m][settings.resamples()];
    int[] wa = new int[a.requests()];
    int[] wb = new int[b.requests()];
    for (int r = 0; r < settings.resamples(); r++) {
      draw(random, wa);
      draw(random, wb);
      double[] va = compute(a, wa, stats);
      double[] vb = compute(b, wb, stats);
      for (int i = 0; i < m; i++) {
        diffs[i][r] = vb[i] - va[i];
      }
    }
    double tail = (1 - settings.confidence()) / 2 * 100;
    double[] ea = compute(a, ones(a.requests()), stats);
    double[] eb = compute(b, ones(b.requests()), stats);
    List<Interval> out = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      Arrays.sort(diffs[i]);
      out.add(
          new Interval(
              eb[i] - ea[i],
              Summary.percentileOfSorted(diffs[i], tail),
              Summary.percentileOfSorted(diffs[i], 100 - tail)));
    }
    return out;
  }

  /** A stream number for a name, for {@link #differences}. */
  public static long stream(String name) {
    long h = 1125899906842597L;
    for (int i = 0; i < name.length(); i++) {
      h = 31 * h + name.charAt(i);
    }
    return h;
  }

  private static long mix(long seed, long stream) {
    // SplitMix64's finaliser: nearby seeds and streams give unrelated generators.
    long z = seed * 0x9E3779B97F4A7C15L + stream;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int[] ones(int n) {
    int[] w = new int[n];
    Arrays.fill(w, 1);
    return w;
  }

  /** How often each request is drawn in one resample of as many requests. */
  private static void draw(SplittableRandom random, int[] weights) {
    Arrays.fill(weights, 0);
    int n = weights.length;
    for (int i = 0; i < n; i++) {
      weights[random.nextInt(n)]++;
    }
  }

  /**
   * The statistics over the resample that draws request {@code r} {@code weights[r]} times: the
   * sorted values are walked once, each counted as often as its request was drawn.
   */
  private static double[] compute(Sample s, int[] weights, List<Statistic> stats) {
    long total = 0;
    for (int r = 0; r < s.requests; r++) {
      total += (long) weights[r] * s.requestSizes[r];
    }
    int m = stats.size();
    double[] out = new double[m];
    // Percentiles: the values at ranks floor(h) and floor(h) + 1 of the resample, h = (N-1)p/100.
    List<long[]> wanted = new ArrayList<>(); // {rank, statistic index, 0 low / 1 high}
    double[] fraction = new double[m];
    for (int i = 0; i < m; i++) {
      switch (stats.get(i)) {
        case Percentile(double p) -> {
          double h = (total - 1) * p / 100.0;
          long lo = (long) Math.floor(h);
          fraction[i] = h - lo;
          wanted.add(new long[] {lo, i, 0});
          wanted.add(new long[] {Math.min(lo + 1, total - 1), i, 1});
        }
        case Mean() -> {
          double sum = 0;
          for (int r = 0; r < s.requests; r++) {
            sum += weights[r] * s.requestSums[r];
          }
          out[i] = sum / total;
        }
      }
    }
    if (!wanted.isEmpty()) {
      wanted.sort((x, y) -> Long.compare(x[0], y[0]));
      double[] low = new double[m];
      double[] high = new double[m];
      long cumulative = 0;
      int next = 0;
      for (int j = 0; j < s.sorted.length && next < wanted.size(); j++) {
        cumulative += weights[s.cluster[j]];
        while (next < wanted.size() && wanted.get(next)[0] < cumulative) {
          long[] w = wanted.get(next++);
          (w[2] == 0 ? low : high)[(int) w[1]] = s.sorted[j];
        }
      }
      for (int i = 0; i < m; i++) {
        if (stats.get(i) instanceof Percentile) {
          out[i] = low[i] + fraction[i] * (high[i] - low[i]);
        }
      }
    }
    return out;
  }
}
