package io.inferscope.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A load sweep analysed once: one run per level against the same engine, each level's figures
 * ({@link SweepLevel}, taken from its {@link RunAnalysis}) and the knee. Every report of the sweep
 * (text, JSON, HTML) renders this and computes nothing of its own; see ADR 0012.
 *
 * <h2>The knee</h2>
 *
 * The knee is the last level at which the engine still scaled: the first level {@code i} whose step
 * to the next level {@code i + 1} shows either
 *
 * <ul>
 *   <li><b>a completeness drop</b>: the next level's completeness (ok / requests) is more than
 *       {@value #COMPLETENESS_DROP_POINTS} percentage point below level {@code i}'s: the engine
 *       began to shed, time out or fail requests ({@link KneeCause#COMPLETENESS}); or
 *   <li><b>flat throughput under rising latency</b>: the next level's output throughput (tokens per
 *       second) rose by less than {@value #THROUGHPUT_RISE_PER_LOAD_RISE} of the load's own
 *       relative rise, while its TTFT p50 ({@link KneeCause#TTFT_P50}) or, when TTFT did not, its
 *       E2E p50 ({@link KneeCause#E2E_P50}) rose by more than {@value #LATENCY_RISE_PER_LOAD_RISE}
 *       of it. The load's relative rise is {@code value(i + 1) / value(i) - 1}: for the usual
 *       doubling (1, 2, 4, ...) the next level's throughput rose less than 10 % while its latency
 *       rose more than 20 %. The thresholds follow the step so that a sweep of finer steps (4, 5,
 *       6, ...) is judged alike: in a saturated closed loop latency rises in proportion to the
 *       load, so a fixed 20 % would miss the knee at every step under 20 %.
 * </ul>
 *
 * Completeness is checked first: shedding is the plainer cause, and it often keeps latency flat. A
 * step is judged only between two levels that were not cut short ({@link SweepLevel#partial()});
 * the latency rule only where both levels have output throughput above zero and the latency figure.
 * A throughput that fell counts as not rising. No knee (null) means that at every step judged,
 * throughput kept up with the load or, where it did not, latency did not climb.
 *
 * @param axis what the levels vary
 * @param toolVersion inferscope's version, from the first level's run
 * @param url the engine's base URL, from the first level's run
 * @param endpoint {@code chat} or {@code completions}, from the first level's run
 * @param model the model name sent, or null
 * @param startedAt when the first level's run started (its clock's wall-clock origin)
 * @param slo the objectives goodput was measured against, from the first level's run, or null
 * @param workload where the prompts came from and how their tokens were counted, from the first
 *     level's run, or null
 * @param levels each level's figures, in the order run (rising values)
 * @param knee the knee, or null when none was found within the levels run
 * @param kneeReason one line in plain words: why this level is the knee, or why none was found
 * @param queueing where requests began to wait for the engine, or null when they never did (see
 *     below)
 * @param stoppedEarly why the sweep stopped before its last planned level (e.g. {@link
 *     #stopReason}), or null when it ran every level
 */
public record SweepAnalysis(
    SweepAxis axis,
    String toolVersion,
    String url,
    String endpoint,
    String model,
    Instant startedAt,
    Slo slo,
    RunFacts.Workload workload,
    List<SweepLevel> levels,
    Knee knee,
    String kneeReason,
    Queueing queueing,
    String stoppedEarly) {

  /** Completeness may fall by up to this many percentage points from one level to the next. */
  public static final double COMPLETENESS_DROP_POINTS = 1.0;

  /** Throughput not rising: its rise is under this share of the load's relative rise. */
  public static final double THROUGHPUT_RISE_PER_LOAD_RISE = 0.10;

  /** Latency rising: its rise is over this share of the load's relative rise. */
  public static final double LATENCY_RISE_PER_LOAD_RISE = 0.20;

  /** Requests wait for the engine: TTFT p50 grew by more than this factor from one level. */
  public static final double QUEUEING_TTFT_FACTOR = 3.0;

  /** ... while the decode (chunk ITL p50) grew by less than this factor. */
  public static final double QUEUEING_ITL_FACTOR = 1.5;

  /**
   * Where requests began to wait before the engine started them: the first step from level {@code
   * index} to the next at which TTFT p50 grew more than {@value #QUEUEING_TTFT_FACTOR}× while the
   * chunk ITL p50 grew less than {@value #QUEUEING_ITL_FACTOR}×. Time before the first token grew
   * and the decode did not: the requests beyond {@code index}'s level queued for a slot (an engine
   * that runs at most that many at once, e.g. llama.cpp's {@code -np}). It can lie beyond the knee:
   * an engine whose throughput stops rising first (compute-bound) queues only once its slots are
   * full.
   *
   * @param index the last level whose requests did not wait
   * @param value its value
   * @param reason one line in plain words
   */
  public record Queueing(int index, double value, String reason) {}

  public SweepAnalysis {
    if (axis == null || kneeReason == null) {
      throw new IllegalArgumentException("axis and kneeReason are required");
    }
    levels = List.copyOf(levels);
    if (knee != null && (knee.index() < 0 || knee.index() >= levels.size())) {
      throw new IllegalArgumentException("knee index " + knee.index() + " is not a level");
    }
  }

  /**
   * One level as run, the input of {@link #of}.
   *
   * @param value requests in flight or requests per second: finite and above zero
   * @param analysis the level's run, analysed
   */
  public record Level(double value, RunAnalysis analysis) {
    public Level {
      if (!(value > 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException("a sweep level must be a positive number: " + value);
      }
      if (analysis == null) {
        throw new IllegalArgumentException("a sweep level needs its analysis");
      }
    }
  }

  /**
   * The knee: the last level at which the engine still scaled.
   *
   * @param index its position in {@link #levels()}
   * @param value its value
   * @param cause what the step beyond it showed
   */
  public record Knee(int index, double value, KneeCause cause) {}

  /** What the step beyond the knee showed. */
  public enum KneeCause {
    /** Completeness fell by more than {@value SweepAnalysis#COMPLETENESS_DROP_POINTS} point. */
    COMPLETENESS,
    /** Throughput did not rise while TTFT p50 did. */
    TTFT_P50,
    /** Throughput did not rise while E2E p50 did (TTFT p50 did not). */
    E2E_P50
  }

  /**
   * Analyses a sweep. Pure.
   *
   * @param axis what the levels vary
   * @param levels the levels run, in order: at least one, values strictly rising
   * @param stoppedEarly why the sweep stopped before its last planned level, or null
   * @throws IllegalArgumentException when there is no level or the values do not rise
   */
  public static SweepAnalysis of(SweepAxis axis, List<Level> levels, String stoppedEarly) {
    if (axis == null) {
      throw new IllegalArgumentException("a sweep needs its axis");
    }
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one level");
    }
    List<SweepLevel> figures = new ArrayList<>(levels.size());
    for (Level l : levels) {
      if (!figures.isEmpty() && !(l.value() > figures.getLast().value())) {
        throw new IllegalArgumentException(
            "sweep levels must rise: "
                + axis.value(l.value())
                + " after "
                + axis.value(figures.getLast().value()));
      }
      figures.add(SweepLevel.of(l.value(), l.analysis()));
    }
    Verdict v = knee(axis, figures);
    Queueing queueing = queueing(axis, figures);
    RunResult first = levels.getFirst().analysis().run();
    RunMeta meta = first.meta();
    return new SweepAnalysis(
        axis,
        meta.toolVersion(),
        meta.url(),
        meta.endpoint(),
        meta.model(),
        first.clock().originWall(),
        meta.slo(),
        first.facts().workload(),
        figures,
        v.knee(),
        v.reason(),
        queueing,
        stoppedEarly);
  }

  /** The knee's index, or null when there is none. */
  public Integer kneeIndex() {
    return knee == null ? null : knee.index();
  }

  /**
   * Whether a sweep should stop after the levels run so far, judged on the last of them (the
   * earlier ones were judged when each was last): one line saying why, or null to go on. Pure; the
   * sweep calls it between levels.
   *
   * <p>It stops when the last level completed no request (the engine refused or failed all of them:
   * more load can only tell the same), when its completeness fell below {@code
   * minCompletenessPercent}, or when its TTFT p99 passed {@code maxTtftP99Nanos}. A bound that is
   * null is not checked; a figure that is absent does not stop the sweep.
   *
   * @param axis what the levels vary, to name the level in the line
   * @param soFar the levels run so far, in order
   * @param minCompletenessPercent the lowest completeness to go on from (0 to 100), or null
   * @param maxTtftP99Nanos the highest TTFT p99 to go on from (above zero), or null
   * @return e.g. {@code completeness 82 % at concurrency 16 fell below the 90 % minimum}, or null
   */
  public static String stopReason(
      SweepAxis axis, List<SweepLevel> soFar, Double minCompletenessPercent, Long maxTtftP99Nanos) {
    if (minCompletenessPercent != null
        && !(minCompletenessPercent >= 0 && minCompletenessPercent <= 100)) {
      throw new IllegalArgumentException(
          "minimum completeness must be 0 to 100 %: " + minCompletenessPercent);
    }
    if (maxTtftP99Nanos != null && maxTtftP99Nanos <= 0) {
      throw new IllegalArgumentException("TTFT p99 bound must be positive: " + maxTtftP99Nanos);
    }
    if (soFar.isEmpty()) {
      return null;
    }
    SweepLevel l = soFar.getLast();
    String at = axis.level(l.value());
    if (l.requests() > 0 && l.ok() == 0) {
      return "no request of " + l.requests() + " completed at " + at + " (" + failures(l) + ")";
    }
    if (minCompletenessPercent != null
        && l.completenessPercent() != null
        && l.completenessPercent() < minCompletenessPercent) {
      return "completeness "
          + sig3(l.completenessPercent())
          + " % at "
          + at
          + " fell below the "
          + sig3(minCompletenessPercent)
          + " % minimum ("
          + failures(l)
          + ")";
    }
    if (maxTtftP99Nanos != null && l.ttftP99Nanos() != null && l.ttftP99Nanos() > maxTtftP99Nanos) {
      return "TTFT p99 "
          + time(l.ttftP99Nanos())
          + " at "
          + at
          + " passed the "
          + time(maxTtftP99Nanos)
          + " bound";
    }
    return null;
  }

  private record Verdict(Knee knee, String reason) {}

  /** The knee and its line; see the class comment for the rules. */
  private static Verdict knee(SweepAxis axis, List<SweepLevel> levels) {
    if (levels.size() < 2) {
      return new Verdict(null, "no knee: one level run, nothing to compare it with");
    }
    String none = null; // why the last step judged on throughput was no knee
    for (int i = 0; i + 1 < levels.size(); i++) {
      SweepLevel a = levels.get(i);
      SweepLevel b = levels.get(i + 1);
      if (a.partial() || b.partial()) {
        continue;
      }
      String head = "knee at " + axis.level(a.value()) + ": ";
      String step = "from " + axis.value(a.value()) + " to " + axis.value(b.value()) + ", ";
      double loadRise = b.value() / a.value() - 1;
      if (a.completenessPercent() != null
          && b.completenessPercent() != null
          && b.completenessPercent() < a.completenessPercent() - COMPLETENESS_DROP_POINTS) {
        return new Verdict(
            new Knee(i, a.value(), KneeCause.COMPLETENESS),
            head
                + step
                + "completeness fell from "
                + sig3(a.completenessPercent())
                + " % to "
                + sig3(b.completenessPercent())
                + " % ("
                + failures(b)
                + ")");
      }
      Double throughputRise = rise(a.outputTokensPerSecond(), b.outputTokensPerSecond());
      if (throughputRise == null) {
        continue;
      }
      String throughput = "output throughput " + change(throughputRise);
      if (throughputRise >= THROUGHPUT_RISE_PER_LOAD_RISE * loadRise) {
        none = "no knee within the levels run; throughput still rising (" + step + throughput + ")";
        continue;
      }
      double latencyBound = LATENCY_RISE_PER_LOAD_RISE * loadRise;
      Double ttftRise = rise(a.ttftP50Nanos(), b.ttftP50Nanos());
      if (ttftRise != null && ttftRise > latencyBound) {
        return new Verdict(
            new Knee(i, a.value(), KneeCause.TTFT_P50),
            head + step + throughput + " while TTFT p50 " + change(ttftRise));
      }
      Double e2eRise = rise(a.e2eP50Nanos(), b.e2eP50Nanos());
      if (e2eRise != null && e2eRise > latencyBound) {
        return new Verdict(
            new Knee(i, a.value(), KneeCause.E2E_P50),
            head + step + throughput + " while E2E p50 " + change(e2eRise));
      }
      none =
          "no knee within the levels run; throughput flattened but latency did not climb ("
              + step
              + throughput
              + ", TTFT p50 and E2E p50 rose no more than "
              + sig3(latencyBound * 100)
              + " %)";
    }
    return new Verdict(
        null,
        none != null
            ? none
            : "no knee: no two successive whole levels had output throughput to compare");
  }

  /** Where requests began to wait for the engine; see {@link Queueing}. */
  private static Queueing queueing(SweepAxis axis, List<SweepLevel> levels) {
    for (int i = 0; i + 1 < levels.size(); i++) {
      SweepLevel a = levels.get(i);
      SweepLevel b = levels.get(i + 1);
      if (a.partial() || b.partial()) {
        continue;
      }
      Double ttft = rise(a.ttftP50Nanos(), b.ttftP50Nanos());
      Double itl = rise(a.itlP50Nanos(), b.itlP50Nanos());
      if (ttft != null
          && itl != null
          && ttft + 1 > QUEUEING_TTFT_FACTOR
          && itl + 1 < QUEUEING_ITL_FACTOR) {
        return new Queueing(
            i,
            a.value(),
            "requests wait for the engine beyond "
                + axis.level(a.value())
                + ": from "
                + axis.value(a.value())
                + " to "
                + axis.value(b.value())
                + ", TTFT p50 rose "
                + sig3(ttft + 1)
                + "× while chunk ITL p50 "
                + (Math.abs(itl) < 0.05 ? "held" : change(itl))
                + ": the engine ran about "
                + axis.value(a.value())
                + " at once and queued the rest");
      }
    }
    return null;
  }

  /** {@code b / a - 1}, or null when either is absent or {@code a} is not above zero. */
  private static Double rise(Double a, Double b) {
    return a == null || b == null || !(a > 0) ? null : b / a - 1;
  }

  /** {@code rose 2 %} or {@code fell 12 %}. */
  private static String change(double rise) {
    return (rise < 0 ? "fell " : "rose ") + sig3(Math.abs(rise) * 100) + " %";
  }

  /**
   * What the level's failures mostly were: {@code HTTP 503 shedding}, {@code timeouts}, {@code HTTP
   * 500 errors}, {@code errors (connect)} or {@code requests cancelled}.
   */
  static String failures(SweepLevel l) {
    int most = Math.max(Math.max(l.shed(), l.timeouts()), Math.max(l.errors(), l.cancelled()));
    if (most == 0) {
      return "no failure";
    }
    Map<String, Integer> codes = l.failuresByCode();
    if (l.shed() == most) {
      TreeSet<String> statuses = new TreeSet<>();
      for (String code : codes.keySet()) {
        if (code.startsWith("shed_")) {
          statuses.add(code.substring("shed_".length()));
        }
      }
      return "HTTP " + String.join("/", statuses) + " shedding";
    }
    if (l.timeouts() == most) {
      return "timeouts";
    }
    if (l.errors() == most) {
      String top = null;
      for (Map.Entry<String, Integer> e : codes.entrySet()) {
        String c = e.getKey();
        boolean error =
            !c.startsWith("shed_") && !c.startsWith("timeout_") && !c.equals("cancelled");
        if (error && (top == null || e.getValue() > codes.get(top))) {
          top = c;
        }
      }
      return top != null && top.startsWith("http_")
          ? "HTTP " + top.substring("http_".length()) + " errors"
          : "errors (" + top + ")";
    }
    return "requests cancelled";
  }

  /** Three significant digits at most, no exponent, no trailing zeros: 310, 2.35, 86, 0.8. */
  static String sig3(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v == 0 ? "0" : Double.toString(v);
    }
    // Decimals for three significant digits, then the trailing zeros dropped.
    int magnitude = (int) Math.floor(Math.log10(Math.abs(v)));
    int decimals = Math.max(0, 2 - magnitude);
    double scale = Math.pow(10, decimals);
    double rounded = Math.round(v * scale) / scale;
    if (decimals > 0 && Math.abs(rounded) >= Math.pow(10, magnitude + 1)) {
      decimals--; // 9.996 rounds to 10.0: one digit fewer after the point
    }
    String s = String.format(java.util.Locale.ROOT, "%." + decimals + "f", rounded);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    if (magnitude > 2) {
      // Above 999: three significant digits, the rest zeros (12345 → 12300).
      long unit = (long) Math.pow(10, magnitude - 2);
      s = Long.toString(Math.round(v / unit) * unit);
    }
    return s;
  }

  /** Nanoseconds as {@code 45 ms}, {@code 1.23 ms} or {@code 2.4 s}. */
  static String time(double nanos) {
    return nanos < 1e9 ? sig3(nanos / 1e6) + " ms" : sig3(nanos / 1e9) + " s";
  }
}
