package io.inferscope.report;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunComparison;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CI gate: the rules of a thresholds file ({@link GateRules}), each resolved against the report's
 * figures ({@link GatePaths}) with its limit in the figure's unit, judged against a run's figures
 * as its JSON report writes them, and optionally against a baseline run's.
 *
 * <p>Compiling checks everything that does not need a run (paths, units, the form of each limit),
 * so {@code run --gate} refuses a bad file before it sends any load.
 */
public final class Gate {

  /** The unit of a figure, from its name: {@code _ns}, {@code _ms}, {@code _percent}, ... */
  public enum FigureUnit {
    /** Nanoseconds: a limit needs a unit of time. */
    NANOS,
    /** Milliseconds: a limit needs a unit of time. */
    MILLIS,
    /** 0 to 100: a limit is written with {@code %}. */
    PERCENT,
    /** 0 to 1: a limit is a plain number, or a percentage divided by 100. */
    RATIO,
    /** A count, a rate or a quantity of its own unit (W, bytes): a limit is a plain number. */
    NONE
  }

  /**
   * A rule ready to judge.
   *
   * @param rule as written
   * @param path its figure
   * @param limit a fixed limit in the figure's unit, or null for a baseline rule
   * @param factor a baseline rule's factor
   * @param offset a baseline rule's offset in the figure's unit
   * @param compareFigure for a {@code significant} rule, the figure of {@link RunComparison} it
   *     asks about; else null
   */
  record Check(
      GateRule rule,
      GatePaths.Resolved path,
      Double limit,
      double factor,
      double offset,
      String compareFigure) {}

  /**
   * The figures {@code significant} can ask about: the report's path of each figure {@code
   * inferscope compare} gives an interval, from the runs' requests, and its name there.
   */
  static final Map<String, String> COMPARABLE = comparable();

  private static Map<String, String> comparable() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String p : List.of("p50", "p90", "p99")) {
      m.put("metrics.ttft_ns." + p, "ttft." + p);
      m.put("metrics.tpot_ns." + p, "tpot." + p);
      m.put("metrics.chunk_itl_ns." + p, "itl." + p);
      m.put("metrics.e2e_ns." + p, "e2e." + p);
      m.put("metrics.decode_tokens_per_second." + p, "decode_rate." + p);
    }
    // Rates over the window, failures and energy have one value per run: compare gives them no
    // interval, so significant could never judge them and is refused for them.
    m.put("metrics.completeness_percent", "completeness");
    return java.util.Collections.unmodifiableMap(m);
  }

  private final GateRules rules;
  private final List<Check> checks;

  private Gate(GateRules rules, List<Check> checks) {
    this.rules = rules;
    this.checks = List.copyOf(checks);
  }

  /**
   * Resolves and checks every rule.
   *
   * @throws GateInputException for the first rule that names no figure or whose limit does not fit
   *     the figure's unit; the message names the file and the rule's line
   */
  public static Gate compile(GateRules rules) {
    List<Check> checks = new ArrayList<>();
    for (GateRule r : rules.rules()) {
      try {
        checks.add(check(r));
      } catch (GateInputException e) {
        throw new GateInputException(r.line(), "rule '" + r.text() + "': " + e.problem())
            .in(rules.source());
      }
    }
    return new Gate(rules, checks);
  }

  private static Check check(GateRule r) {
    GatePaths.Resolved path = GatePaths.resolve(r.path());
    FigureUnit unit = path.unit();
    return switch (r.limit()) {
      case GateRule.Fixed f -> {
        double limit = inUnit(f.value(), path, "limit");
        if (unit == FigureUnit.RATIO
            && f.value().unit() == GateRule.Unit.NONE
            && Math.abs(limit) > 1) {
          throw new GateInputException(
              0,
              path.canonical()
                  + " is a ratio from 0 to 1: write "
                  + GateFormat.plain(f.value().number() / 100)
                  + " or "
                  + f.value()
                  + "%");
        }
        yield new Check(r, path, limit, 1, 0, null);
      }
      case GateRule.Baseline b -> {
        if (path.each()) {
          throw new GateInputException(
              0, "a rule against the baseline compares one figure: give an index instead of [*]");
        }
        String figure = null;
        if (b.significant()) {
          figure = COMPARABLE.get(path.canonical());
          if (figure == null) {
            throw new GateInputException(
                0,
                "significant needs a figure inferscope compare judges, one of "
                    + String.join(", ", COMPARABLE.keySet()).replace("metrics.", "")
                    + "; "
                    + path.canonical()
                    + " is not");
          }
        }
        yield new Check(
            r,
            path,
            null,
            b.factor(),
            b.offset() == null ? 0 : inUnit(b.offset(), path, "amount"),
            figure);
      }
    };
  }

  /** {@code q} in the unit of {@code path}'s figure, refusing a unit that does not fit it. */
  private static double inUnit(GateRule.Quantity q, GatePaths.Resolved path, String role) {
    String name = path.canonical();
    return switch (path.unit()) {
      case NANOS, MILLIS -> {
        if (q.unit().nanos() == 0) {
          throw new GateInputException(
              0,
              name
                  + " is a duration: give the "
                  + role
                  + " a unit (ns, us, ms, s), e.g. "
                  + GateFormat.plain(q.number())
                  + "ms");
        }
        yield q.number() * q.unit().nanos() / (path.unit() == FigureUnit.NANOS ? 1 : 1e6);
      }
      case PERCENT -> {
        if (q.unit() != GateRule.Unit.PERCENT) {
          throw new GateInputException(
              0,
              name
                  + " is a percentage from 0 to 100: write the "
                  + role
                  + " with %, e.g. "
                  + GateFormat.plain(q.number())
                  + "%");
        }
        yield q.number();
      }
      case RATIO -> {
        if (q.unit() == GateRule.Unit.PERCENT) {
          yield q.number() / 100;
        }
        if (q.unit() != GateRule.Unit.NONE) {
          throw new GateInputException(
              0, name + " is a ratio from 0 to 1: give a plain number or a percentage");
        }
        yield q.number();
      }
      case NONE -> {
        if (q.unit() != GateRule.Unit.NONE) {
          throw new GateInputException(
              0,
              name
                  + " is neither a duration nor a percentage: give the "
                  + role
                  + " as a plain number, e.g. "
                  + GateFormat.plain(q.number()));
        }
        yield q.number();
      }
    };
  }

  /** The rules, as read. */
  public GateRules rules() {
    return rules;
  }

  /** Whether a rule compares with a baseline run. */
  public boolean needsBaseline() {
    return rules.rules().stream().anyMatch(GateRule::needsBaseline);
  }

  /** The first rule that needs a baseline, for a message; null when none does. */
  public GateRule firstBaselineRule() {
    return rules.rules().stream().filter(GateRule::needsBaseline).findFirst().orElse(null);
  }

  /**
   * Judges every rule.
   *
   * @param run the run's analysis
   * @param runSource what the run is called in the results (its file)
   * @param baseline the baseline's analysis, or null
   * @param baselineSource its name, or null
   * @throws IllegalArgumentException when a rule needs the baseline and none is given
   */
  public GateResult evaluate(
      RunAnalysis run, String runSource, RunAnalysis baseline, String baselineSource) {
    if (baseline == null && needsBaseline()) {
      throw new IllegalArgumentException(
          "rule '" + firstBaselineRule().text() + "' compares with a baseline: none was given");
    }
    JsonNode runTree = tree(run);
    JsonNode baseTree = baseline == null ? null : tree(baseline);
    // Resampling a long run takes a second or two: done once, and only for a significant rule
    // that is past its limit.
    RunComparison.Pair pair = null;
    List<GateResult.Outcome> outcomes = new ArrayList<>();
    for (Check c : checks) {
      GateResult.Outcome o = judge(c, runTree, baseTree);
      if (c.compareFigure() != null
          && o.status() == GateResult.Status.FAIL
          && o.measured() != null) {
        if (pair == null) {
          pair = RunComparison.of(baseline, run, Bootstrap.Settings.DEFAULT).pairs().getFirst();
        }
        o = significance(o, pair.figure(c.compareFigure()));
      }
      outcomes.add(o);
    }
    return new GateResult(rules.source(), runSource, baselineSource, outcomes);
  }

  /**
   * The figures a rule can read: the document's {@code metrics} and {@code run}, exactly as the
   * JSON report writes them (written and read back, so numbers and nulls are the file's).
   */
  static JsonNode tree(RunAnalysis a) {
    ObjectNode n = ReportJson.MAPPER.createObjectNode();
    n.set("metrics", ReportJson.MAPPER.readTree(ReportJson.MAPPER.writeValueAsBytes(a)));
    n.set(
        "run",
        ReportJson.MAPPER.readTree(
            ReportJson.MAPPER.writeValueAsBytes(RunDocument.of(a).document().run())));
    return n;
  }

  /**
   * One value read at a path.
   *
   * @param where the path with every index, e.g. {@code
   *     metrics.hardware.gpu.devices[1].power_watts}
   * @param value the number, or null
   * @param missing why there is none, or null
   */
  record Read(String where, Double value, String missing) {}

  /** The values at {@code path}: one, or one per element for {@code [*]}. */
  static List<Read> read(JsonNode top, GatePaths.Resolved path) {
    List<Read> out = new ArrayList<>();
    read(top, path.steps(), 0, "", out);
    return out;
  }

  private static void read(
      JsonNode node, List<GatePaths.Step> steps, int i, String at, List<Read> out) {
    if (i == steps.size()) {
      if (node == null || node.isNull()) {
        out.add(new Read(at, null, at + " is null in this run"));
      } else if (!node.isNumber()) {
        out.add(new Read(at, null, at + " is not a number in this run"));
      } else {
        out.add(new Read(at, node.doubleValue(), null));
      }
      return;
    }
    if (node == null || node.isNull()) {
      out.add(new Read(at, null, at + " is null in this run"));
      return;
    }
    switch (steps.get(i)) {
      case GatePaths.Key k -> {
        String next = at.isEmpty() ? k.name() : at + "." + k.name();
        JsonNode child = node.get(k.name());
        if (child == null) {
          // A record's fields are always written (null when absent): only a map lacks a key.
          out.add(new Read(next, null, at + " has no key " + k.name() + " in this run"));
          return;
        }
        read(child, steps, i + 1, next, out);
      }
      case GatePaths.Index x -> {
        if (x.index() >= node.size()) {
          out.add(
              new Read(
                  at + "[" + x.index() + "]",
                  null,
                  at
                      + " has "
                      + node.size()
                      + (node.size() == 1 ? " element" : " elements")
                      + " in this run, no ["
                      + x.index()
                      + "]"));
          return;
        }
        read(node.get(x.index()), steps, i + 1, at + "[" + x.index() + "]", out);
      }
      case GatePaths.Each e -> {
        if (node.isEmpty()) {
          out.add(new Read(at + "[*]", null, at + " is empty in this run"));
          return;
        }
        for (int j = 0; j < node.size(); j++) {
          read(node.get(j), steps, i + 1, at + "[" + j + "]", out);
        }
      }
    }
  }

  private static GateResult.Outcome judge(Check c, JsonNode run, JsonNode base) {
    GateRule rule = c.rule();
    FigureUnit unit = c.path().unit();
    List<Read> reads = read(run, c.path());
    Double baseValue = null;
    double limit;
    if (c.limit() != null) {
      limit = c.limit();
    } else {
      Read b = read(base, c.path()).getFirst();
      if (b.value() == null) {
        return missing(c, b.where(), null, null, "the baseline: " + b.missing());
      }
      baseValue = b.value();
      limit = baseValue * c.factor() + c.offset();
    }
    Read lacking = reads.stream().filter(r -> r.value() == null).findFirst().orElse(null);
    if (lacking != null && rule.optional()) {
      // Optional over [*]: the elements that lack the figure (a failed request's TTFT) are left
      // out, and the rule judges the rest.
      reads = reads.stream().filter(r -> r.value() != null).toList();
    }
    if (lacking != null && (!rule.optional() || reads.isEmpty())) {
      return missing(c, lacking.where(), limit, baseValue, lacking.missing());
    }
    Read decisive = null;
    for (Read r : reads) {
      if (!rule.op().test(r.value(), limit)) {
        return new GateResult.Outcome(
            rule, GateResult.Status.FAIL, r.where(), unit, r.value(), limit, baseValue, null, null);
      }
      // Of those that pass, the one nearest its limit is shown.
      if (decisive == null || Math.abs(r.value() - limit) < Math.abs(decisive.value() - limit)) {
        decisive = r;
      }
    }
    return new GateResult.Outcome(
        rule,
        GateResult.Status.PASS,
        decisive.where(),
        unit,
        decisive.value(),
        limit,
        baseValue,
        null,
        null);
  }

  /**
   * A {@code significant} rule past its limit: it fails only when compare calls the difference a
   * regression; a difference within noise, or under compare's minimum effect, passes, saying so. A
   * figure compare cannot judge (one value per run, too few values) is judged by the limit alone,
   * and the outcome says why.
   */
  private static GateResult.Outcome significance(GateResult.Outcome o, RunComparison.Figure f) {
    // compare's figures are in the report's units, so the interval reads like the limit.
    String interval =
        f.interval() == null
            ? ""
            : String.format(
                java.util.Locale.ROOT,
                ": B - A in [%s, %s]",
                GateFormat.value(f.interval().low(), o.unit()),
                GateFormat.value(f.interval().high(), o.unit()));
    GateResult.Status status;
    String note;
    switch (f.verdict()) {
      case REGRESSION -> {
        status = GateResult.Status.FAIL;
        note = "a regression beyond run-to-run noise" + interval;
      }
      case NO_SIGNIFICANT_DIFFERENCE, IMPROVEMENT -> {
        status = GateResult.Status.PASS;
        note =
            "past the limit, but not a regression beyond run-to-run noise"
                + interval
                + (f.note() == null ? "" : " (" + f.note() + ")");
      }
      default -> {
        status = GateResult.Status.FAIL;
        note =
            "no significance test ("
                + (f.note() == null
                    ? f.verdict().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    : f.note())
                + "): judged by the limit alone";
      }
    }
    return new GateResult.Outcome(
        o.rule(), status, o.path(), o.unit(), o.measured(), o.limit(), o.baseline(), null, note);
  }

  private static GateResult.Outcome missing(
      Check c, String where, Double limit, Double baseValue, String why) {
    return new GateResult.Outcome(
        c.rule(),
        c.rule().optional() ? GateResult.Status.SKIPPED : GateResult.Status.FAIL,
        where,
        c.path().unit(),
        null,
        limit,
        baseValue,
        why,
        null);
  }
}
