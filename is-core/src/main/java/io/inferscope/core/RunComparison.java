package io.inferscope.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Saved runs compared with the first, the baseline: every headline figure of each run beside the
 * baseline's, the difference, and whether it lies beyond run-to-run noise (ADR 0016). The figures
 * are the runs' own {@link RunAnalysis}; the intervals come from {@link Bootstrap} over each run's
 * measured requests. Figures with one value per run (throughput over the window, energy) get a
 * difference and no interval. What differs between the runs' settings is listed, and everything
 * comparable is compared anyway.
 *
 * <p>For a gate: {@link Pair#verdict(String)} says, for a figure's path ({@link #FIGURES}), whether
 * a run differs significantly from the baseline and whether that is better or worse.
 *
 * @param settings how the intervals were computed
 * @param minEffectPercent the smallest difference, in percent of the baseline, that a latency or
 *     rate figure must show to be called a regression or an improvement, whatever its interval:
 *     runs of the same settings differ by more than their requests' resampling shows (ADR 0016)
 * @param runs every run, the baseline first
 * @param pairs each run after the first compared with the baseline, in order
 * @param distributions each latency figure's distribution per run, for charts
 */
public record RunComparison(
    Bootstrap.Settings settings,
    double minEffectPercent,
    List<Run> runs,
    List<Pair> pairs,
    List<Distribution> distributions) {

  /**
   * The default {@link #minEffectPercent}: on repeated runs of one simulated engine it cut the
   * figures called different from 10 % to 4.5 % (ADR 0016).
   */
  public static final double DEFAULT_MIN_EFFECT_PERCENT = 5;

  public RunComparison {
    if (!(minEffectPercent >= 0 && minEffectPercent < 1000)) {
      throw new IllegalArgumentException(
          "the minimum effect must be a percentage from 0: " + minEffectPercent);
    }
    runs = List.copyOf(runs);
    pairs = List.copyOf(pairs);
    distributions = List.copyOf(distributions);
  }

  /**
   * A run to compare.
   *
   * @param label how reports name it, e.g. its file name
   * @param schemaVersion the schema of the file it was read from, or null when not read from one
   * @param analysis the run's analysis
   */
  public record Input(String label, Integer schemaVersion, RunAnalysis analysis) {
    public Input {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(analysis, "analysis");
    }
  }

  /**
   * What a compared run was.
   *
   * @param label how reports name it
   * @param schemaVersion the schema of its file, or null
   * @param toolVersion the inferscope that ran it
   * @param url the engine's base URL
   * @param endpoint {@code chat} or {@code completions}
   * @param model the model name sent, or null
   * @param requests measured requests
   * @param ok measured requests that completed
   * @param partial whether the run was cut short
   */
  public record Run(
      String label,
      Integer schemaVersion,
      String toolVersion,
      String url,
      String endpoint,
      String model,
      int requests,
      int ok,
      boolean partial) {}

  /** Which way a figure is better. */
  public enum Better {
    LOWER,
    HIGHER,
    /** Neither: a change is reported, never judged (the engine's CPU may rise with its work). */
    NEITHER
  }

  /** A figure's unit. */
  public enum Unit {
    NANOS,
    TOKENS_PER_SECOND,
    REQUESTS_PER_SECOND,
    /** Percent of the measured requests. */
    PERCENT,
    /** Percent of one CPU core. */
    PERCENT_OF_CORE,
    REQUESTS,
    JOULES,
    TOKENS_PER_JOULE
  }

  /** What the comparison says of one figure. */
  public enum Verdict {
    /** B is better than A beyond the interval's noise. */
    IMPROVEMENT,
    /** B is worse than A beyond the interval's noise. */
    REGRESSION,
    /**
     * The interval of B - A holds zero: the runs do not differ beyond resampling noise; or it does
     * not, but the difference is under the minimum effect (the figure's note says so).
     */
    NO_SIGNIFICANT_DIFFERENCE,
    /** One value per run (throughput over the window, energy): a difference, no interval. */
    NO_INTERVAL,
    /** Too few values for an interval of this figure (a high percentile of a short run). */
    TOO_FEW_VALUES,
    /** The figure is absent from one run or both. */
    ABSENT,
    /** The runs measured it differently (goodput under different SLOs). */
    NOT_COMPARABLE;

    /** Whether B differs from A beyond noise. */
    public boolean significant() {
      return this == IMPROVEMENT || this == REGRESSION;
    }
  }

  /**
   * One figure of a run beside the baseline's.
   *
   * @param path the figure's stable name, e.g. {@code ttft.p99} (one of {@link #FIGURES})
   * @param name the figure for a person, e.g. {@code TTFT p99}
   * @param unit the unit of every value below
   * @param better which way is better
   * @param baseline the baseline's figure, or null when absent
   * @param value this run's figure, or null when absent
   * @param delta {@code value - baseline}, or null when either is absent
   * @param deltaPercent {@code delta} in percent of the baseline, or null when the baseline is
   *     absent or zero
   * @param interval the interval of {@code B - A}, or null without one
   * @param verdict what that says
   * @param note why there is no interval or no verdict, or why a difference beyond the interval's
   *     noise is not called one (under the minimum effect); else null
   */
  public record Figure(
      String path,
      String name,
      Unit unit,
      Better better,
      Double baseline,
      Double value,
      Double delta,
      Double deltaPercent,
      Bootstrap.Interval interval,
      Verdict verdict,
      String note) {}

  /**
   * One run compared with the baseline.
   *
   * @param run the run
   * @param differences what differs between the two runs' settings, one line each, e.g. {@code
   *     endpoint: chat vs completions}; empty when nothing does
   * @param figures every figure of {@link #FIGURES}, in that order
   */
  public record Pair(Run run, List<String> differences, List<Figure> figures) {
    public Pair {
      differences = List.copyOf(differences);
      figures = List.copyOf(figures);
    }

    /**
     * The figure at {@code path}.
     *
     * @throws IllegalArgumentException for a path not in {@link #FIGURES}
     */
    public Figure figure(String path) {
      for (Figure f : figures) {
        if (f.path().equals(path)) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "no figure " + path + " (one of " + String.join(", ", FIGURES) + ")");
    }

    /**
     * Whether this run differs significantly from the baseline at {@code path}, and which way: a
     * significant difference is {@link Verdict#IMPROVEMENT} or {@link Verdict#REGRESSION}, no
     * difference beyond noise {@link Verdict#NO_SIGNIFICANT_DIFFERENCE}; the other verdicts say why
     * the figure could not be judged. The interval itself is {@link #figure}'s.
     *
     * @throws IllegalArgumentException for a path not in {@link #FIGURES}
     */
    public Verdict verdict(String path) {
      return figure(path).verdict();
    }
  }

  /**
   * A figure's distribution in each run: its percentiles at {@link #GRID}, for a chart.
   *
   * @param metric the figure's path without the percentile, e.g. {@code ttft}
   * @param name the figure for a person
   * @param unit the unit of the values
   * @param percentiles per run (baseline first), the values at each of {@link #GRID}; null for a
   *     run without the figure
   */
  public record Distribution(String metric, String name, Unit unit, List<double[]> percentiles) {
    /** The percentiles drawn: 0, 0.5, 1, ... 100. */
    public static final double[] GRID = grid();

    public Distribution {
      percentiles = java.util.Collections.unmodifiableList(new ArrayList<>(percentiles));
    }

    private static double[] grid() {
      double[] g = new double[201];
      for (int i = 0; i < g.length; i++) {
        g[i] = i / 2.0;
      }
      return g;
    }
  }

  // ---- the figures ----

  /** A figure: where it comes from in the analysis and, when it has one, its per-request data. */
  private record Spec(
      String path,
      String name,
      Unit unit,
      Better better,
      Function<RunAnalysis, Double> value,
      String metric,
      Bootstrap.Statistic statistic) {}

  /** A figure with per-request data: its values per request, one array each. */
  private record Metric(
      String name, Unit unit, boolean distribution, Function<RunAnalysis, List<double[]>> values) {}

  private static final Map<String, Metric> METRICS = new LinkedHashMap<>();
  private static final List<Spec> SPECS = new ArrayList<>();

  static {
    metric("ttft", "TTFT", Unit.NANOS, true, ok(m -> one(m.ttftNanos())));
    metric("tpot", "TPOT", Unit.NANOS, true, ok(m -> one(m.tpotNanos())));
    metric("itl", "chunk ITL", Unit.NANOS, true, ok(m -> longs(m.chunkGapsNanos())));
    metric("e2e", "E2E", Unit.NANOS, true, ok(m -> new double[] {m.e2eNanos()}));
    metric(
        "decode_rate",
        "decode rate",
        Unit.TOKENS_PER_SECOND,
        false,
        ok(m -> m.tpotNanos() == null ? new double[0] : one(m.decodeTokensPerSecond())));
    percentiles("ttft", "TTFT", Better.LOWER, RunMetrics::ttftNanos);
    percentiles("tpot", "TPOT", Better.LOWER, RunMetrics::tpotNanos);
    percentiles("itl", "chunk ITL", Better.LOWER, RunMetrics::chunkItlNanos);
    percentiles("e2e", "E2E", Better.LOWER, RunMetrics::e2eNanos);
    percentiles("decode_rate", "decode rate", Better.HIGHER, RunMetrics::decodeTokensPerSecond);
    single(
        "output_tokens_per_s",
        "output rate",
        Unit.TOKENS_PER_SECOND,
        Better.HIGHER,
        a -> a.metrics().outputTokensPerSecond());
    single(
        "requests_per_s",
        "request rate",
        Unit.REQUESTS_PER_SECOND,
        Better.HIGHER,
        a -> a.metrics().requestsPerSecond());
    // Each measured request is 100 (completed) or 0: their mean is the completeness.
    METRICS.put(
        "completeness",
        new Metric(
            "completeness",
            Unit.PERCENT,
            false,
            a -> each(a.requests(), r -> r.ok() ? 100.0 : 0.0)));
    SPECS.add(
        new Spec(
            "completeness",
            "completeness",
            Unit.PERCENT,
            Better.HIGHER,
            a -> a.metrics().completenessPercent(),
            "completeness",
            new Bootstrap.Mean()));
    single(
        "failed",
        "failed requests",
        Unit.REQUESTS,
        Better.LOWER,
        a -> (double) a.metrics().failed());
    METRICS.put(
        "goodput",
        new Metric(
            "goodput",
            Unit.PERCENT,
            false,
            a ->
                a.goodput() == null
                    ? List.of()
                    : each(
                        a.requests(),
                        r -> Goodput.misses(a.goodput().slo(), r).isEmpty() ? 100.0 : 0.0)));
    SPECS.add(
        new Spec(
            "goodput",
            "goodput",
            Unit.PERCENT,
            Better.HIGHER,
            a ->
                a.goodput() == null || a.goodput().metRatio() == null
                    ? null
                    : a.goodput().metRatio() * 100,
            "goodput",
            new Bootstrap.Mean()));
    single(
        "goodput_per_s",
        "goodput rate",
        Unit.REQUESTS_PER_SECOND,
        Better.HIGHER,
        a -> a.goodput() == null ? null : a.goodput().metPerSecond());
    single(
        "gpu.energy_j",
        "GPU energy",
        Unit.JOULES,
        Better.LOWER,
        a -> a.hardware().gpu() == null ? null : a.hardware().gpu().energyJoules());
    single(
        "gpu.tokens_per_j",
        "tokens per joule",
        Unit.TOKENS_PER_JOULE,
        Better.HIGHER,
        a -> a.hardware().gpu() == null ? null : a.hardware().gpu().tokensPerJoule());
    single(
        "engine.cpu_percent",
        "engine CPU",
        Unit.PERCENT_OF_CORE,
        Better.NEITHER,
        a ->
            a.hardware().processTree() == null
                ? null
                : a.hardware().processTree().cpuPercentMean());
  }

  /** Every figure's path, in the order reports list them. */
  public static final List<String> FIGURES = SPECS.stream().map(Spec::path).toList();

  private static void metric(
      String key,
      String name,
      Unit unit,
      boolean distribution,
      Function<RunAnalysis, List<double[]>> values) {
    METRICS.put(key, new Metric(name, unit, distribution, values));
  }

  private static void percentiles(
      String key, String name, Better better, Function<RunMetrics, Summary> summary) {
    Metric metric = METRICS.get(key);
    for (int p : new int[] {50, 90, 99}) {
      SPECS.add(
          new Spec(
              key + ".p" + p,
              name + " p" + p,
              metric.unit(),
              better,
              a -> {
                Summary s = summary.apply(a.metrics());
                return s == null ? null : p == 50 ? s.p50() : p == 90 ? s.p90() : s.p99();
              },
              key,
              new Bootstrap.Percentile(p)));
    }
  }

  private static void single(
      String path, String name, Unit unit, Better better, Function<RunAnalysis, Double> value) {
    SPECS.add(new Spec(path, name, unit, better, value, null, null));
  }

  /**
   * Per completed request, the values {@code f} gives (an empty array for none): the requests
   * {@link RunMetrics} pools its latency figures over.
   */
  private static Function<RunAnalysis, List<double[]>> ok(Function<RequestMetrics, double[]> f) {
    return a -> {
      List<double[]> out = new ArrayList<>();
      for (MeasuredRequest r : a.requests()) {
        if (r.ok()) {
          out.add(f.apply(r.metrics()));
        }
      }
      return out;
    };
  }

  private static List<double[]> each(
      List<MeasuredRequest> requests, Function<MeasuredRequest, Double> f) {
    List<double[]> out = new ArrayList<>(requests.size());
    for (MeasuredRequest r : requests) {
      out.add(new double[] {f.apply(r)});
    }
    return out;
  }

  private static double[] one(Number v) {
    return v == null ? new double[0] : new double[] {v.doubleValue()};
  }

  private static double[] longs(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  // ---- the comparison ----

  /**
   * Compares {@code b} with {@code a}, the baseline, with the {@link #DEFAULT_MIN_EFFECT_PERCENT
   * default minimum effect}. Pure.
   */
  public static RunComparison of(RunAnalysis a, RunAnalysis b, Bootstrap.Settings settings) {
    return of(
        List.of(new Input("A", null, a), new Input("B", null, b)),
        settings,
        DEFAULT_MIN_EFFECT_PERCENT);
  }

  /** {@link #of(List, Bootstrap.Settings, double)} with the default minimum effect. */
  public static RunComparison of(List<Input> inputs, Bootstrap.Settings settings) {
    return of(inputs, settings, DEFAULT_MIN_EFFECT_PERCENT);
  }

  /**
   * Compares every run after the first with the first. Pure: the same runs and settings give the
   * same comparison.
   *
   * @param minEffectPercent see {@link #minEffectPercent}
   * @throws IllegalArgumentException with fewer than two runs
   */
  public static RunComparison of(
      List<Input> inputs, Bootstrap.Settings settings, double minEffectPercent) {
    if (inputs.size() < 2) {
      throw new IllegalArgumentException("a comparison needs at least two runs");
    }
    List<Map<String, Bootstrap.Sample>> samples = new ArrayList<>();
    for (Input in : inputs) {
      Map<String, Bootstrap.Sample> bySample = new LinkedHashMap<>();
      for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
        bySample.put(
            e.getKey(), Bootstrap.Sample.ofRequests(e.getValue().values().apply(in.analysis())));
      }
      samples.add(bySample);
    }
    List<Run> runs = inputs.stream().map(RunComparison::run).toList();
    List<Pair> pairs = new ArrayList<>();
    for (int i = 1; i < inputs.size(); i++) {
      pairs.add(
          pair(
              inputs.getFirst(),
              inputs.get(i),
              samples.getFirst(),
              samples.get(i),
              runs.get(i),
              i,
              settings,
              minEffectPercent));
    }
    List<Distribution> distributions = new ArrayList<>();
    for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
      if (!e.getValue().distribution()) {
        continue;
      }
      List<double[]> perRun = new ArrayList<>();
      for (Map<String, Bootstrap.Sample> s : samples) {
        Bootstrap.Sample sample = s.get(e.getKey());
        perRun.add(sample.values() == 0 ? null : sample.percentiles(Distribution.GRID));
      }
      distributions.add(
          new Distribution(e.getKey(), e.getValue().name(), e.getValue().unit(), perRun));
    }
    return new RunComparison(settings, minEffectPercent, runs, pairs, distributions);
  }

  private static Run run(Input in) {
    RunAnalysis a = in.analysis();
    RunMeta m = a.run().meta();
    return new Run(
        in.label(),
        in.schemaVersion(),
        m.toolVersion(),
        m.url(),
        m.endpoint(),
        m.model(),
        a.metrics().requests(),
        a.metrics().ok(),
        a.run().partial());
  }

  private static Pair pair(
      Input a,
      Input b,
      Map<String, Bootstrap.Sample> sa,
      Map<String, Bootstrap.Sample> sb,
      Run run,
      int index,
      Bootstrap.Settings settings,
      double minEffectPercent) {
    boolean sloDiffers =
        a.analysis().goodput() != null
            && b.analysis().goodput() != null
            && !a.analysis().goodput().slo().equals(b.analysis().goodput().slo());
    // The intervals of one metric's figures come from the same resamples.
    Map<String, List<Spec>> byMetric = new LinkedHashMap<>();
    Map<String, String> tooFew = new LinkedHashMap<>();
    for (Spec s : SPECS) {
      if (s.metric() == null || (sloDiffers && s.metric().equals("goodput"))) {
        continue;
      }
      Bootstrap.Sample x = sa.get(s.metric());
      Bootstrap.Sample y = sb.get(s.metric());
      if (s.value().apply(a.analysis()) == null || s.value().apply(b.analysis()) == null) {
        continue;
      }
      if (Bootstrap.enoughFor(x, s.statistic()) && Bootstrap.enoughFor(y, s.statistic())) {
        byMetric.computeIfAbsent(s.metric(), k -> new ArrayList<>()).add(s);
      } else {
        tooFew.put(s.path(), tooFewNote(s, x, y));
      }
    }
    Map<String, Bootstrap.Interval> intervals = new LinkedHashMap<>();
    for (Map.Entry<String, List<Spec>> e : byMetric.entrySet()) {
      List<Bootstrap.Interval> found =
          Bootstrap.differences(
              sa.get(e.getKey()),
              sb.get(e.getKey()),
              e.getValue().stream().map(Spec::statistic).toList(),
              settings,
              Bootstrap.stream(e.getKey()) * 31 + index);
      for (int i = 0; i < found.size(); i++) {
        intervals.put(e.getValue().get(i).path(), found.get(i));
      }
    }
    List<Figure> figures = new ArrayList<>(SPECS.size());
    for (Spec s : SPECS) {
      Double va = s.value().apply(a.analysis());
      Double vb = s.value().apply(b.analysis());
      Double delta = va == null || vb == null ? null : vb - va;
      Double percent = delta == null || va == 0 ? null : delta / Math.abs(va) * 100;
      Bootstrap.Interval interval = intervals.get(s.path());
      Verdict verdict;
      String note = null;
      if (va == null || vb == null) {
        verdict = Verdict.ABSENT;
        note =
            va == null && vb == null
                ? "absent from both runs"
                : va == null ? "absent from the baseline" : "absent from this run";
      } else if (sloDiffers && "goodput".equals(s.metric())) {
        verdict = Verdict.NOT_COMPARABLE;
        note = "not comparable: the runs' SLOs differ";
      } else if (s.metric() == null) {
        verdict = Verdict.NO_INTERVAL;
        note = "no interval (one value per run)";
      } else if (interval == null) {
        verdict = Verdict.TOO_FEW_VALUES;
        note = tooFew.get(s.path());
      } else if (!interval.excludesZero()) {
        verdict = Verdict.NO_SIGNIFICANT_DIFFERENCE;
      } else if (s.unit() != Unit.PERCENT
          && Math.abs(interval.estimate()) < minEffectPercent / 100 * Math.abs(va)) {
        // Shares (completeness, goodput) are judged by their interval alone: the runs' drift
        // that the minimum effect allows for was measured on times and rates.
        verdict = Verdict.NO_SIGNIFICANT_DIFFERENCE;
        note = "beyond resampling noise, under the minimum effect";
      } else {
        boolean higher = interval.low() > 0;
        verdict =
            (higher == (s.better() == Better.HIGHER)) ? Verdict.IMPROVEMENT : Verdict.REGRESSION;
      }
      if (sloDiffers && s.path().equals("goodput_per_s") && verdict == Verdict.NO_INTERVAL) {
        verdict = Verdict.NOT_COMPARABLE;
        note = "not comparable: the runs' SLOs differ";
      }
      figures.add(
          new Figure(
              s.path(),
              s.name(),
              s.unit(),
              s.better(),
              va,
              vb,
              delta,
              percent,
              interval,
              verdict,
              note));
    }
    return new Pair(run, differences(a, b), figures);
  }

  private static String tooFewNote(Spec s, Bootstrap.Sample x, Bootstrap.Sample y) {
    if (x.requests() < Bootstrap.MIN_REQUESTS || y.requests() < Bootstrap.MIN_REQUESTS) {
      return "too few requests: an interval needs " + Bootstrap.MIN_REQUESTS + " a run";
    }
    String p = s.path().substring(s.path().lastIndexOf('.') + 1);
    return "too few values: " + p + " needs " + Bootstrap.valuesNeeded(s.statistic()) + " a run";
  }

  // ---- what differs between the runs ----

  /**
   * What differs between the runs' settings, one line each: the schema of their files, the engine,
   * the endpoint, the model, the load settings as given, the workload, the SLO, and whether either
   * was cut short.
   */
  static List<String> differences(Input a, Input b) {
    List<String> out = new ArrayList<>();
    RunResult ra = a.analysis().run();
    RunResult rb = b.analysis().run();
    RunMeta ma = ra.meta();
    RunMeta mb = rb.meta();
    if (a.schemaVersion() != null
        && b.schemaVersion() != null
        && !a.schemaVersion().equals(b.schemaVersion())) {
      out.add(
          "schema_version: "
              + a.schemaVersion()
              + " vs "
              + b.schemaVersion()
              + " (both read and analysed by this version)");
    }
    differs(out, "inferscope version", ma.toolVersion(), mb.toolVersion());
    differs(out, "mode", ma.mode(), mb.mode());
    differs(out, "url", ma.url(), mb.url());
    differs(out, "endpoint", ma.endpoint(), mb.endpoint());
    differs(out, "model", ma.model(), mb.model());
    differs(out, "slo", slo(ma.slo()), slo(mb.slo()));
    Set<String> keys = new LinkedHashSet<>(ma.settings().keySet());
    keys.addAll(mb.settings().keySet());
    for (String k : keys) {
      differs(out, "setting " + k, ma.settings().get(k), mb.settings().get(k));
    }
    RunFacts.Workload wa = ra.facts().workload();
    RunFacts.Workload wb = rb.facts().workload();
    if (!Objects.equals(wa, wb)) {
      differs(out, "workload", workload(wa), workload(wb));
    }
    differs(out, "host CPUs", str(ra.facts().hostCpus()), str(rb.facts().hostCpus()));
    if (ra.partial() || rb.partial()) {
      differs(out, "cut short", ra.partial() ? "yes" : "no", rb.partial() ? "yes" : "no");
    }
    return out;
  }

  private static void differs(List<String> out, String what, String a, String b) {
    if (!Objects.equals(a, b)) {
      out.add(what + ": " + shown(a) + " vs " + shown(b));
    }
  }

  private static String shown(String s) {
    return s == null ? "(none)" : s.isEmpty() ? "(empty)" : s;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  /** e.g. {@code ttft=200ms,e2e=10s} in the form {@code --slo} takes, or null. */
  static String slo(Slo slo) {
    if (slo == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (slo.ttftNanos() != null) {
      parts.add("ttft=" + millis(slo.ttftNanos()));
    }
    if (slo.tpotNanos() != null) {
      parts.add("tpot=" + millis(slo.tpotNanos()));
    }
    if (slo.e2eNanos() != null) {
      parts.add("e2e=" + millis(slo.e2eNanos()));
    }
    return String.join(",", parts);
  }

  private static String millis(long nanos) {
    return nanos % 1_000_000 == 0
        ? nanos / 1_000_000 + "ms"
        : String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
  }

  /** The workload in one line, e.g. {@code synthetic, 20 items, input 64.0 tok, output 5.0 tok}. */
  private static String workload(RunFacts.Workload w) {
    if (w == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(w.source().name().toLowerCase(Locale.ROOT));
    if (w.file() != null) {
      b.append(' ').append(w.file());
    }
    b.append(", ").append(w.items()).append(w.items() == 1 ? " item" : " items");
    if (w.inputTokensMean() != null) {
      b.append(String.format(Locale.ROOT, ", input %.1f tok", w.inputTokensMean()));
    }
    if (w.outputTokensMean() != null) {
      b.append(String.format(Locale.ROOT, ", output %.1f tok", w.outputTokensMean()));
    }
    if (w.sharedPrefixTokens() != null) {
      b.append(", shared prefix ").append(w.sharedPrefixTokens()).append(" tok");
    }
    return b.toString();
  }
}
