package io.inferscope.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's own view of the run, derived once from its scraped {@code /metrics} ({@link
 * EngineMetrics}) by the names of its {@link EngineKind}: requests running and waiting and KV-cache
 * usage over time, and what its counters say over the run. Counters are read from the first scrape
 * to the last (the first is taken before load, the last after it), summing their rises; a counter
 * that falls was reset (the engine restarted) and counts from zero again.
 *
 * @param engine whose names the figures were read by
 * @param unavailableReason why there are no engine metrics (e.g. "HTTP 404 at /metrics"), or null
 * @param scrapes reads made
 * @param failedReads reads that failed (counted by the sampler, not in {@code scrapes})
 * @param skippedReads reads not made because the one before overran its period
 * @param malformedLines lines skipped over all reads because they did not parse
 * @param points running, waiting and KV usage at each read, in time order
 * @param runningMax most requests running at a read, or null when the engine gives none
 * @param waitingMax most requests waiting at a read, or null
 * @param kvUsageMax highest KV-cache usage ratio at a read, or null
 * @param promptTokens prompt tokens the engine processed over the run, or null
 * @param generationTokens tokens the engine generated over the run, or null
 * @param clientOutputTokens output tokens the client received over the run (every request, warm-up
 *     and failed ones included: the engine generated them too)
 * @param preemptions requests the engine preempted over the run, or null
 * @param prefixHitRatio prefix-cache hits over queries over the run (or the engine's own ratio at
 *     the last read, where it gives no counters), or null
 * @param specAcceptRatio speculative tokens accepted over drafted, or null when none were drafted
 * @param counterResets counters that fell between two reads (an engine restart)
 * @param ttftWaitingCorrelation Pearson's r between each completed measured request's TTFT and the
 *     requests waiting at the last read before its send; null with fewer than 5 such requests or no
 *     variation
 */
public record EngineView(
    EngineKind engine,
    String unavailableReason,
    int scrapes,
    int failedReads,
    int skippedReads,
    int malformedLines,
    List<Point> points,
    Double runningMax,
    Double waitingMax,
    Double kvUsageMax,
    Long promptTokens,
    Long generationTokens,
    long clientOutputTokens,
    Long preemptions,
    Double prefixHitRatio,
    Double specAcceptRatio,
    int counterResets,
    Double ttftWaitingCorrelation,
    List<RequestState> requests) {

  public EngineView {
    points = List.copyOf(points);
    requests = List.copyOf(requests);
  }

  /**
   * The engine's state around one measured request.
   *
   * @param id the request
   * @param waitingAtSend requests waiting at the last read before its send, or null
   * @param kvUsageAtSend KV-cache usage at that read, or null
   * @param waitingMaxInPrefill most requests waiting at a read between its send and its first
   *     token, or null when no read fell there (or it had no first token)
   */
  public record RequestState(
      int id, Double waitingAtSend, Double kvUsageAtSend, Double waitingMaxInPrefill) {}

  /**
   * The engine's gauges at one read.
   *
   * @param atNanos the read's moment (midpoint of send and receive)
   * @param running requests running, or null
   * @param waiting requests waiting, or null
   * @param kvUsage KV-cache usage ratio, or null
   */
  public record Point(long atNanos, Double running, Double waiting, Double kvUsage) {}

  /**
   * Derives the view. Pure.
   *
   * @param traces every request (the client's tokens count warm-up and failed ones too)
   * @param measured the measured requests with their figures, as the analysis derived them
   */
  public static EngineView of(
      EngineMetrics e, List<RequestTrace> traces, List<MeasuredRequest> measured) {
    long client = 0;
    for (RequestTrace t : traces) {
      client +=
          t.usage() != null && t.usage().completionTokens() != null
              ? t.usage().completionTokens()
              : t.events().textEventCount();
    }
    Timeline<EngineScrape> tl = e.scrapes();
    if (!tl.available()) {
      return new EngineView(
          e.engine(),
          tl.unavailableReason(),
          0,
          e.failedReads(),
          e.skippedReads(),
          0,
          List.of(),
          null,
          null,
          null,
          null,
          null,
          client,
          null,
          null,
          null,
          0,
          null,
          List.of());
    }
    List<EngineScrape> scrapes = tl.samples();
    Reader r = new Reader(e);
    int malformed = 0;
    List<Point> points = new ArrayList<>(scrapes.size());
    for (EngineScrape s : scrapes) {
      malformed += s.malformedLines();
      points.add(
          new Point(
              s.atNanos(),
              r.value(s, EngineKind.Figure.RUNNING),
              r.value(s, EngineKind.Figure.WAITING),
              r.value(s, EngineKind.Figure.KV_USAGE)));
    }
    int[] resets = new int[1];
    Long prompt = r.counter(scrapes, EngineKind.Figure.PROMPT_TOKENS, resets);
    Long generation = r.counter(scrapes, EngineKind.Figure.GENERATION_TOKENS, resets);
    Long preemptions = r.counter(scrapes, EngineKind.Figure.PREEMPTIONS, resets);
    Long queries = r.counter(scrapes, EngineKind.Figure.PREFIX_QUERIES, resets);
    Long hits = r.counter(scrapes, EngineKind.Figure.PREFIX_HITS, resets);
    Double prefix = null;
    if (hits != null && queries == null && prompt != null) {
      // llama.cpp counts the prompt tokens it computed apart from those it reused; SGLang's prompt
      // count holds both.
      queries = e.engine() == EngineKind.LLAMA_CPP ? prompt + hits : prompt;
    }
    if (hits != null && queries != null && queries > 0) {
      prefix = hits / (double) queries;
    } else if (!scrapes.isEmpty()) {
      prefix = r.value(scrapes.getLast(), EngineKind.Figure.PREFIX_HIT_RATIO);
    }
    Long drafted = r.counter(scrapes, EngineKind.Figure.SPEC_DRAFT_TOKENS, resets);
    Long accepted = r.counter(scrapes, EngineKind.Figure.SPEC_ACCEPTED_TOKENS, resets);
    Double spec =
        drafted != null && accepted != null && drafted > 0 ? accepted / (double) drafted : null;
    return new EngineView(
        e.engine(),
        null,
        scrapes.size(),
        e.failedReads(),
        e.skippedReads(),
        malformed,
        points,
        max(points, 0),
        max(points, 1),
        max(points, 2),
        prompt,
        generation,
        client,
        preemptions,
        prefix,
        spec,
        resets[0],
        correlation(measured, points),
        states(measured, points));
  }

  /** Each measured request's engine state at its send and during its prefill. */
  private static List<RequestState> states(List<MeasuredRequest> measured, List<Point> points) {
    List<RequestState> out = new ArrayList<>(measured.size());
    for (MeasuredRequest r : measured) {
      long send = r.trace().sendNanos();
      Point atSend = readAtOrBefore(points, send);
      Double inPrefill = null;
      Long ttft = r.metrics().ttftNanos();
      if (ttft != null) {
        for (Point p : points) {
          if (p.atNanos() > send + ttft) {
            break;
          }
          if (p.atNanos() > send && p.waiting() != null) {
            inPrefill = inPrefill == null ? p.waiting() : Math.max(inPrefill, p.waiting());
          }
        }
      }
      out.add(
          new RequestState(
              r.id(),
              atSend == null ? null : atSend.waiting(),
              atSend == null ? null : atSend.kvUsage(),
              inPrefill));
    }
    return out;
  }

  /** Whether the engine generated more tokens over the run than the client received. */
  public boolean otherTraffic() {
    return generationTokens != null
        && generationTokens > clientOutputTokens + Math.max(16, clientOutputTokens / 50);
  }

  private static Double max(List<Point> points, int which) {
    Double m = null;
    for (Point p : points) {
      Double v = which == 0 ? p.running() : which == 1 ? p.waiting() : p.kvUsage();
      if (v != null && !v.isNaN() && (m == null || v > m)) {
        m = v;
      }
    }
    return m;
  }

  /** The last read at or before {@code atNanos}, or null; {@code points} are in time order. */
  private static Point readAtOrBefore(List<Point> points, long atNanos) {
    int lo = 0;
    int hi = points.size() - 1;
    Point found = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (points.get(mid).atNanos() <= atNanos) {
        found = points.get(mid);
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** TTFT against the waiting count at the last read before each send. */
  private static Double correlation(List<MeasuredRequest> measured, List<Point> points) {
    List<double[]> pairs = new ArrayList<>();
    for (MeasuredRequest r : measured) {
      if (!r.ok()) {
        continue;
      }
      Long ttft = r.metrics().ttftNanos();
      Point p = readAtOrBefore(points, r.trace().sendNanos());
      Double waiting = p == null ? null : p.waiting();
      if (ttft != null && waiting != null && !waiting.isNaN()) {
        pairs.add(new double[] {ttft, waiting});
      }
    }
    if (pairs.size() < 5) {
      return null;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : pairs) {
      mx += p[0];
      my += p[1];
    }
    mx /= pairs.size();
    my /= pairs.size();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] p : pairs) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
      syy += (p[1] - my) * (p[1] - my);
    }
    return sxx == 0 || syy == 0 ? null : sxy / Math.sqrt(sxx * syy);
  }

  /** Reads canonical figures out of scrapes by the engine's names. */
  private static final class Reader {
    private final EngineMetrics e;

    Reader(EngineMetrics e) {
      this.e = e;
    }

    /** The indices of the series of the first of {@code figure}'s names that any series has. */
    private List<Integer> indices(EngineKind.Figure figure) {
      for (String name : e.engine().names(figure)) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < e.series().size(); i++) {
          if (e.series().get(i).name().equals(name)) {
            found.add(i);
          }
        }
        if (!found.isEmpty()) {
          return found;
        }
      }
      return List.of();
    }

    /** The figure at one read: its series summed; null when none is there. */
    Double value(EngineScrape s, EngineKind.Figure figure) {
      Double sum = null;
      for (int i : indices(figure)) {
        Double v = s.value(i);
        if (v != null) {
          sum = sum == null ? v : sum + v;
        }
      }
      return sum;
    }

    /** A counter's rise from the first read to the last, counting resets; null when absent. */
    Long counter(List<EngineScrape> scrapes, EngineKind.Figure figure, int[] resets) {
      Double prev = null;
      double total = 0;
      boolean seen = false;
      for (EngineScrape s : scrapes) {
        Double v = value(s, figure);
        if (v == null || v.isNaN()) {
          continue;
        }
        if (prev != null) {
          if (v >= prev) {
            total += v - prev;
          } else {
            total += v; // reset: it counts from zero again
            resets[0]++;
          }
        }
        prev = v;
        seen = true;
      }
      return seen ? Math.round(total) : null;
    }
  }
}
