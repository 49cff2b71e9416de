package io.inferscope.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Who spent the measured window: the GPUs' energy split between prefill and decode, each measured
 * request's share of the window's time and energy, labelled steps, speculative decoding's energy
 * per drafted and accepted token, and the cost of it all (ADR 0017).
 *
 * <p>Method. The window is cut at every request's send, first text event, last text event and end
 * and at every GPU power reading. Each piece's energy is the devices' power integrated over it
 * (linear between readings, so exact at this cut), scaled so that the pieces sum to the window's
 * energy in {@link GpuMetrics#energyJoules()} (the counter, where it reaches); with no power
 * readings the window's energy is spread evenly over time. A request is in its <em>prefill</em>
 * from its send to its first text event (queueing included: the client cannot tell them apart) and
 * in its <em>decode</em> from then to its end. A piece's energy goes:
 *
 * <ul>
 *   <li><b>by time share</b>: to the requests in flight in it, equally; the prefill share is the
 *       share of those requests that are in prefill;
 *   <li><b>by token share</b>: in proportion to the tokens each request works on in it, its prompt
 *       tokens spread evenly over its prefill and its output tokens after the first spread evenly
 *       from its first to its last text event.
 * </ul>
 *
 * Energy of pieces with nothing to share it (no request in flight; by tokens, no token being worked
 * on) is idle. Time is shared like energy by time, which is what a price per hour divides.
 *
 * @param windowStartNanos run-clock start of the measured window
 * @param windowEndNanos run-clock end of the measured window
 * @param energyJoules the GPUs' energy over the window, or null when it was not measured
 * @param byTime the energy split by time share, or null without energy
 * @param byTokens the energy split by token share, or null without energy or when a completed
 *     request has no prompt token count
 * @param idleNanos time of the window with no measured request in flight
 * @param promptTokens prompt tokens of the measured requests, or null when a completed one has none
 * @param decodeTokens output tokens after the first, of the measured requests
 * @param speculative energy per drafted and accepted token, or null when the engine drafted none in
 *     the window (or no energy was measured)
 * @param requests each measured request's share, in trace order
 * @param steps the run's steps with their figures, in the order given
 * @param cost what the window cost, or null without a price
 */
public record Attribution(
    long windowStartNanos,
    long windowEndNanos,
    Double energyJoules,
    PhaseSplit byTime,
    PhaseSplit byTokens,
    long idleNanos,
    Long promptTokens,
    long decodeTokens,
    SpeculativeEnergy speculative,
    List<RequestShare> requests,
    List<StepFigures> steps,
    Cost cost) {

  public Attribution {
    requests = List.copyOf(requests);
    steps = List.copyOf(steps);
  }

  /**
   * The window's energy split between the phases.
   *
   * @param prefillJoules energy of the prefill share
   * @param decodeJoules energy of the decode share
   * @param idleJoules energy with nothing to share it
   * @param joulesPerPromptToken prefill energy per prompt token, or null without prompt tokens
   * @param joulesPerDecodeToken decode energy per output token after the first, or null without
   */
  public record PhaseSplit(
      double prefillJoules,
      double decodeJoules,
      double idleJoules,
      Double joulesPerPromptToken,
      Double joulesPerDecodeToken) {}

  /**
   * One measured request's share of the window.
   *
   * @param id the request
   * @param attributedNanos its share of the window's time: each moment split equally among the
   *     requests in flight
   * @param joulesByTime its energy by time share, or null without energy
   * @param joulesByTokens its energy by token share, or null
   * @param usd its cost (by its time share under a price per hour, its energy by time share under a
   *     price per kWh), or null without a price or the energy it needs
   */
  public record RequestShare(
      int id, long attributedNanos, Double joulesByTime, Double joulesByTokens, Double usd) {}

  /**
   * Speculative decoding's energy: the decode energy (by time share) over the speculative tokens
   * the engine's counters rose by within the window (linear between its reads).
   *
   * @param draftedTokens tokens drafted in the window
   * @param acceptedTokens tokens accepted in the window
   * @param decodeJoules the decode energy they share
   * @param joulesPerDraftedToken decode energy per drafted token
   * @param joulesPerAcceptedToken decode energy per accepted token, or null when none was accepted
   */
  public record SpeculativeEnergy(
      long draftedTokens,
      long acceptedTokens,
      double decodeJoules,
      double joulesPerDraftedToken,
      Double joulesPerAcceptedToken) {}

  /**
   * One step's figures: sums over the measured requests it holds.
   *
   * @param step the step as given
   * @param requests measured requests it holds
   * @param completed those that completed
   * @param startNanos its first request's send, or null when it holds none
   * @param endNanos its last request's end, or null
   * @param latencyNanos first send to last end, or null
   * @param promptTokens prompt tokens, or null when a request has no count
   * @param outputTokens output tokens of its completed requests
   * @param attributedNanos its requests' shares of the window's time
   * @param joulesByTime their energy by time share, or null
   * @param joulesByTokens their energy by token share, or null
   * @param usd their cost, or null
   * @param unknownRequestIds ids it names that are no measured request of the run
   */
  public record StepFigures(
      Step step,
      int requests,
      int completed,
      Long startNanos,
      Long endNanos,
      Long latencyNanos,
      Long promptTokens,
      long outputTokens,
      long attributedNanos,
      Double joulesByTime,
      Double joulesByTokens,
      Double usd,
      List<Integer> unknownRequestIds) {
    public StepFigures {
      unknownRequestIds = List.copyOf(unknownRequestIds);
    }
  }

  /**
   * What the measured window cost.
   *
   * @param price the price given
   * @param totalUsd the window's cost, or null when the price needs energy that was not measured
   * @param usdPerMillionOutputTokens total over the completed requests' output tokens, per million
   * @param usdPerCompletedRequest total over the completed requests (idle time included)
   * @param idleUsd the cost of the idle time or energy, part of the total and of no request
   * @param unavailableReason why there is no total, or null
   */
  public record Cost(
      Price price,
      Double totalUsd,
      Double usdPerMillionOutputTokens,
      Double usdPerCompletedRequest,
      Double idleUsd,
      String unavailableReason) {}

  /**
   * Derives the attribution. Pure.
   *
   * @param run the run (its samples, its engine metrics, its steps and price)
   * @param window the measured window, or null when none was measured
   * @param measured the measured requests with their figures
   * @param metrics their pooled figures
   * @param hardware the hardware figures (the window's GPU energy)
   * @return the attribution, or null when no request was measured
   */
  public static Attribution of(
      RunResult run,
      MeasuredWindow window,
      List<MeasuredRequest> measured,
      RunMetrics metrics,
      HardwareFigures hardware) {
    if (window == null || measured.isEmpty()) {
      return null;
    }
    Double energy = hardware.gpu() == null ? null : hardware.gpu().energyJoules();
    Pieces p = Pieces.of(run.hardware(), window, measured, energy);
    PhaseSplit byTime = null;
    PhaseSplit byTokens = null;
    Long prompt = p.promptTokensKnown ? p.promptTokens : null;
    if (energy != null) {
      byTime = split(p.prefillByTime, p.decodeByTime, p.idleByTime, prompt, p.decodeTokens);
      if (p.promptTokensKnown) {
        byTokens =
            split(p.prefillByTokens, p.decodeByTokens, p.idleByTokens, prompt, p.decodeTokens);
      }
    }
    Price price = run.meta().price();
    List<RequestShare> shares = new ArrayList<>(measured.size());
    for (int i = 0; i < measured.size(); i++) {
      Double byT = energy == null ? null : p.requestJoulesByTime[i];
      Double byTok = byTokens == null ? null : p.requestJoulesByTokens[i];
      shares.add(
          new RequestShare(
              measured.get(i).id(),
              Math.round(p.requestNanos[i]),
              byT,
              byTok,
              usd(price, p.requestNanos[i], byT)));
    }
    SpeculativeEnergy spec = null;
    if (byTime != null) {
      Long drafted =
          EngineView.counterBetween(
              run.engineMetrics(),
              EngineKind.Figure.SPEC_DRAFT_TOKENS,
              window.startNanos(),
              window.endNanos());
      Long accepted =
          EngineView.counterBetween(
              run.engineMetrics(),
              EngineKind.Figure.SPEC_ACCEPTED_TOKENS,
              window.startNanos(),
              window.endNanos());
      if (drafted != null && drafted > 0) {
        long acc = accepted == null ? 0 : accepted;
        spec =
            new SpeculativeEnergy(
                drafted,
                acc,
                byTime.decodeJoules(),
                byTime.decodeJoules() / drafted,
                acc > 0 ? byTime.decodeJoules() / acc : null);
      }
    }
    List<StepFigures> steps = new ArrayList<>(run.meta().steps().size());
    for (Step s : run.meta().steps()) {
      steps.add(step(s, measured, shares));
    }
    Cost cost = price == null ? null : cost(price, window, energy, byTime, p, metrics);
    return new Attribution(
        window.startNanos(),
        window.endNanos(),
        energy,
        byTime,
        byTokens,
        p.idleNanos,
        prompt,
        p.decodeTokens,
        spec,
        shares,
        steps,
        cost);
  }

  private static PhaseSplit split(
      double prefill, double decode, double idle, Long promptTokens, long decodeTokens) {
    return new PhaseSplit(
        prefill,
        decode,
        idle,
        promptTokens == null || promptTokens == 0 ? null : prefill / promptTokens,
        decodeTokens == 0 ? null : decode / decodeTokens);
  }

  private static final double NANOS_PER_HOUR = 3.6e12;
  private static final double JOULES_PER_KWH = 3.6e6;

  private static Double usd(Price price, double nanos, Double joules) {
    if (price == null) {
      return null;
    }
    if (price.usdPerHour() != null) {
      return price.usdPerHour() * nanos / NANOS_PER_HOUR;
    }
    return joules == null ? null : price.usdPerKwh() * joules / JOULES_PER_KWH;
  }

  private static Cost cost(
      Price price,
      MeasuredWindow window,
      Double energy,
      PhaseSplit byTime,
      Pieces p,
      RunMetrics metrics) {
    Double total;
    Double idle;
    if (price.usdPerHour() != null) {
      total = price.usdPerHour() * window.lengthNanos() / NANOS_PER_HOUR;
      idle = price.usdPerHour() * p.idleNanos / NANOS_PER_HOUR;
    } else if (energy != null) {
      total = price.usdPerKwh() * energy / JOULES_PER_KWH;
      idle = price.usdPerKwh() * byTime.idleJoules() / JOULES_PER_KWH;
    } else {
      return new Cost(
          price, null, null, null, null, "no GPU energy measured: price it per hour instead");
    }
    long tokens = metrics.outputTokensTotal();
    return new Cost(
        price,
        total,
        tokens > 0 ? total / tokens * 1e6 : null,
        metrics.ok() > 0 ? total / metrics.ok() : null,
        idle,
        null);
  }

  private static StepFigures step(
      Step s, List<MeasuredRequest> measured, List<RequestShare> shares) {
    List<Integer> unknown = new ArrayList<>();
    // A set, not the step's list: a step may name thousands of a run's requests.
    java.util.Set<Integer> named =
        s.requestIds() == null ? null : new java.util.HashSet<>(s.requestIds());
    if (named != null) {
      java.util.Set<Integer> ids = new java.util.HashSet<>();
      for (MeasuredRequest r : measured) {
        ids.add(r.id());
      }
      for (int id : s.requestIds()) {
        if (!ids.contains(id)) {
          unknown.add(id);
        }
      }
    }
    int n = 0;
    int completed = 0;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    long prompt = 0;
    boolean promptKnown = true;
    long output = 0;
    double nanos = 0;
    double byTime = 0;
    double byTokens = 0;
    double usd = 0;
    boolean timeKnown = true;
    boolean tokensKnown = true;
    boolean usdKnown = true;
    for (int i = 0; i < measured.size(); i++) {
      MeasuredRequest r = measured.get(i);
      long send = r.trace().sendNanos();
      boolean holds =
          named != null ? named.contains(r.id()) : send >= s.startNanos() && send < s.endNanos();
      if (!holds) {
        continue;
      }
      n++;
      start = Math.min(start, r.trace().sendNanos());
      end = Math.max(end, r.trace().endNanos());
      Usage u = r.trace().usage();
      if (u != null && u.promptTokens() != null) {
        prompt += u.promptTokens();
      } else {
        promptKnown = false;
      }
      if (r.ok()) {
        completed++;
        output += r.metrics().outputTokens();
      }
      RequestShare share = shares.get(i);
      nanos += share.attributedNanos();
      timeKnown &= share.joulesByTime() != null;
      tokensKnown &= share.joulesByTokens() != null;
      usdKnown &= share.usd() != null;
      byTime += share.joulesByTime() == null ? 0 : share.joulesByTime();
      byTokens += share.joulesByTokens() == null ? 0 : share.joulesByTokens();
      usd += share.usd() == null ? 0 : share.usd();
    }
    boolean any = n > 0;
    return new StepFigures(
        s,
        n,
        completed,
        any ? start : null,
        any ? end : null,
        any ? end - start : null,
        any && promptKnown ? prompt : null,
        output,
        Math.round(nanos),
        any && timeKnown ? byTime : null,
        any && tokensKnown ? byTokens : null,
        any && usdKnown ? usd : null,
        unknown);
  }

  /** The window cut into pieces, and what each piece's energy and time went to. */
  private static final class Pieces {
    double prefillByTime;
    double decodeByTime;
    double idleByTime;
    double prefillByTokens;
    double decodeByTokens;
    double idleByTokens;
    long idleNanos;
    long promptTokens;
    boolean promptTokensKnown = true;
    long decodeTokens;
    double[] requestNanos;
    double[] requestJoulesByTime;
    double[] requestJoulesByTokens;

    static Pieces of(
        HardwareSamples h, MeasuredWindow w, List<MeasuredRequest> measured, Double energy) {
      Pieces out = new Pieces();
      int n = measured.size();
      long lo = w.startNanos();
      long hi = w.endNanos();
      // Each request's send, first text, last text and end, clipped to the window.
      long[][] at = new long[n][4];
      double[] promptRate = new double[n]; // tokens per nanosecond over its prefill
      double[] decodeRate = new double[n]; // over its first to last text event
      List<Long> cuts = new ArrayList<>(4 * n + 2);
      cuts.add(lo);
      cuts.add(hi);
      for (int i = 0; i < n; i++) {
        MeasuredRequest r = measured.get(i);
        RequestTrace t = r.trace();
        long send = clip(t.sendNanos(), lo, hi);
        long end = clip(t.endNanos(), lo, hi);
        int firstIndex = t.events().firstTextIndex();
        int lastIndex = t.events().lastTextIndex();
        long first = firstIndex < 0 ? end : clip(t.events().atNanos(firstIndex), send, end);
        long last = lastIndex < 0 ? end : clip(t.events().atNanos(lastIndex), first, end);
        at[i] = new long[] {send, first, last, end};
        cuts.add(send);
        cuts.add(first);
        cuts.add(last);
        cuts.add(end);
        Usage u = t.usage();
        Integer prompt = u == null ? null : u.promptTokens();
        if (prompt != null) {
          out.promptTokens += prompt;
          if (first > send) {
            promptRate[i] = prompt / (double) (first - send);
          }
        } else if (r.ok()) {
          out.promptTokensKnown = false;
        }
        long decoded = firstIndex < 0 ? 0 : Math.max(0, r.metrics().outputTokens() - 1);
        out.decodeTokens += decoded;
        if (last > first) {
          decodeRate[i] = decoded / (double) (last - first);
        }
      }
      Map<Integer, List<GpuSample>> byDevice =
          h.gpu() != null && h.gpu().available()
              ? GpuTick.samplesByDevice(h.gpu().samples())
              : Map.of();
      List<double[][]> power = new ArrayList<>(); // per device: {atNanos[], watts[]}
      for (List<GpuSample> samples : byDevice.values()) {
        List<double[]> points = new ArrayList<>();
        for (GpuSample s : samples) {
          if (s.powerWatts() != null && Double.isFinite(s.powerWatts())) {
            points.add(new double[] {s.atNanos(), s.powerWatts()});
            if (s.atNanos() > lo && s.atNanos() < hi) {
              cuts.add(s.atNanos());
            }
          }
        }
        if (!points.isEmpty()) {
          double[][] series = new double[2][points.size()];
          for (int k = 0; k < points.size(); k++) {
            series[0][k] = points.get(k)[0];
            series[1][k] = points.get(k)[1];
          }
          power.add(series);
        }
      }
      long[] b = cuts.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
      int pieces = Math.max(0, b.length - 1);
      // Difference arrays over the pieces: requests in prefill and decode, token rates.
      double[] inPrefill = new double[pieces + 1];
      double[] inDecode = new double[pieces + 1];
      double[] prefillRate = new double[pieces + 1];
      double[] decodeRateSum = new double[pieces + 1];
      int[][] idx = new int[n][4];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < 4; k++) {
          idx[i][k] = Arrays.binarySearch(b, at[i][k]);
        }
        add(inPrefill, idx[i][0], idx[i][1], 1);
        add(inDecode, idx[i][1], idx[i][3], 1);
        add(prefillRate, idx[i][0], idx[i][1], promptRate[i]);
        add(decodeRateSum, idx[i][1], idx[i][2], decodeRate[i]);
      }
      double[] joules = pieceJoules(b, power, energy, lo, hi);
      // Running sums of each piece's energy and time per request in flight, and energy per token
      // worked on, so a request's share is a difference of two entries.
      double[] perRequestJoules = new double[pieces + 1];
      double[] perRequestNanos = new double[pieces + 1];
      double[] perToken = new double[pieces + 1];
      double pre = 0;
      double dec = 0;
      double preRate = 0;
      double decRate = 0;
      for (int k = 0; k < pieces; k++) {
        pre += inPrefill[k];
        dec += inDecode[k];
        preRate += prefillRate[k];
        decRate += decodeRateSum[k];
        long dt = b[k + 1] - b[k];
        double e = joules[k];
        double inFlight = Math.round(pre + dec);
        if (inFlight > 0) {
          out.prefillByTime += e * Math.round(pre) / inFlight;
          out.decodeByTime += e * Math.round(dec) / inFlight;
          perRequestJoules[k + 1] = perRequestJoules[k] + e / inFlight;
          perRequestNanos[k + 1] = perRequestNanos[k] + dt / inFlight;
        } else {
          out.idleByTime += e;
          out.idleNanos += dt;
          perRequestJoules[k + 1] = perRequestJoules[k];
          perRequestNanos[k + 1] = perRequestNanos[k];
        }
        double rate = Math.max(0, preRate) + Math.max(0, decRate);
        if (rate > 1e-300) {
          out.prefillByTokens += e * Math.max(0, preRate) / rate;
          out.decodeByTokens += e * Math.max(0, decRate) / rate;
          perToken[k + 1] = perToken[k] + e / rate;
        } else {
          out.idleByTokens += e;
          perToken[k + 1] = perToken[k];
        }
      }
      out.requestNanos = new double[n];
      out.requestJoulesByTime = new double[n];
      out.requestJoulesByTokens = new double[n];
      for (int i = 0; i < n; i++) {
        int s = idx[i][0];
        int f = idx[i][1];
        int l = idx[i][2];
        int e = idx[i][3];
        out.requestNanos[i] = perRequestNanos[e] - perRequestNanos[s];
        out.requestJoulesByTime[i] = perRequestJoules[e] - perRequestJoules[s];
        // A request's energy per token worked on, times the tokens it worked on in each piece.
        out.requestJoulesByTokens[i] =
            tokenShare(perToken, s, f, promptRate[i]) + tokenShare(perToken, f, l, decodeRate[i]);
      }
      return out;
    }

    /**
     * A request's energy by token share over pieces [from, to) at its constant rate: in each piece
     * it works on rate·dt of the piece's R·dt tokens, so it takes rate × e/R, and {@code perToken}
     * holds the running sum of e/R.
     */
    private static double tokenShare(double[] perToken, int from, int to, double rate) {
      return rate == 0 || to <= from ? 0 : rate * (perToken[to] - perToken[from]);
    }

    private static void add(double[] diff, int from, int to, double v) {
      if (to > from) {
        diff[from] += v;
        diff[to] -= v;
      }
    }

    private static long clip(long t, long lo, long hi) {
      return Math.max(lo, Math.min(hi, t));
    }

    /**
     * Each piece's energy: the devices' power integrated (trapezoid, exact for linear series with a
     * cut at every reading), scaled to the window's energy; spread evenly in time when no power was
     * read; zeros when the window's energy is unknown.
     */
    private static double[] pieceJoules(
        long[] b, List<double[][]> power, Double energy, long lo, long hi) {
      int pieces = Math.max(0, b.length - 1);
      double[] joules = new double[pieces];
      if (energy == null || pieces == 0) {
        return joules;
      }
      double sum = 0;
      for (double[][] series : power) {
        double prev = powerAt(series, b[0]);
        for (int k = 0; k < pieces; k++) {
          double next = powerAt(series, b[k + 1]);
          double e = (prev + next) / 2 * (b[k + 1] - b[k]) / 1e9;
          joules[k] += e;
          sum += e;
          prev = next;
        }
      }
      if (sum > 0) {
        double scale = energy / sum;
        for (int k = 0; k < pieces; k++) {
          joules[k] *= scale;
        }
      } else if (hi > lo) {
        for (int k = 0; k < pieces; k++) {
          joules[k] = energy * (b[k + 1] - b[k]) / (double) (hi - lo);
        }
      }
      return joules;
    }

    /** Power at t: linear between readings, the nearest held beyond them. */
    private static double powerAt(double[][] series, long t) {
      double[] at = series[0];
      double[] w = series[1];
      int n = at.length;
      if (t <= at[0]) {
        return w[0];
      }
      if (t >= at[n - 1]) {
        return w[n - 1];
      }
      int lo = 0;
      int hi = n - 1;
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (at[mid] <= t) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      return at[hi] == at[lo] ? w[hi] : w[lo] + (w[hi] - w[lo]) * (t - at[lo]) / (at[hi] - at[lo]);
    }
  }
}
