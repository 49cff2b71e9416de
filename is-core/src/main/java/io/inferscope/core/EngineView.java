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
 * @param specDraftedTokens speculative tokens drafted over the run, or null when the engine does
 *     not count them
 * @param specAcceptedTokens speculative tokens accepted over the run, or null
 * @param loraMax the most LoRA adapters the engine batches together, or null when it does not say
 * @param loraAdapters the LoRA adapters the engine reported running or waiting, by name
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
    Long specDraftedTokens,
    Long specAcceptedTokens,
    Integer loraMax,
    List<LoraAdapter> loraAdapters,
    int counterResets,
    Double ttftWaitingCorrelation,
    List<RequestState> requests) {

  public EngineView {
    points = List.copyOf(points);
    requests = List.copyOf(requests);
    loraAdapters = List.copyOf(loraAdapters);
  }

  /**
   * A LoRA adapter the engine reported during the run.
   *
   * @param name its name, as the engine gives it
   * @param runningReads reads that listed it running
   * @param waitingReads reads that listed it waiting
   * @param firstSeenNanos the first read that listed it
   * @param lastSeenNanos the last read that listed it
   */
  public record LoraAdapter(
      String name, int runningReads, int waitingReads, long firstSeenNanos, long lastSeenNanos) {}

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
          null,
          null,
          null,
          List.of(),
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
        drafted,
        accepted,
        r.loraMax(scrapes),
        r.lora(scrapes),
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

  /**
   * How much a counter rose between two moments of the run: its value read linearly between the
   * reads around each moment (held beyond the first and last read), resets counted as in the run's
   * figures; null when the engine does not give it or was not read.
   */
  static Long counterBetween(EngineMetrics e, EngineKind.Figure figure, long from, long to) {
    if (e == null || !e.scrapes().available()) {
      return null;
    }
    Reader r = new Reader(e);
    List<long[]> points = new ArrayList<>(); // {atNanos, rises so far}
    Double prev = null;
    double total = 0;
    for (EngineScrape s : e.scrapes().samples()) {
      Double v = r.value(s, figure);
      if (v == null || v.isNaN()) {
        continue;
      }
      if (prev != null) {
        total += v >= prev ? v - prev : v;
      }
      prev = v;
      points.add(new long[] {s.atNanos(), Math.round(total)});
    }
    if (points.isEmpty()) {
      return null;
    }
    return Math.round(valueAt(points, to) - valueAt(points, from));
  }

  private static double valueAt(List<long[]> points, long t) {
    if (t <= points.getFirst()[0]) {
      return points.getFirst()[1];
    }
    for (int i = 1; i < points.size(); i++) {
      long[] a = points.get(i - 1);
      long[] b = points.get(i);
      if (t <= b[0]) {
        return b[0] == a[0] ? b[1] : a[1] + (b[1] - a[1]) * (double) (t - a[0]) / (b[0] - a[0]);
      }
    }
    return points.getLast()[1];
  }

  /** The value of label {@code key} in a series' labels ({@code k="v",k="v"}), or null. */
  static String label(String labels, String key) {
    int i = 0;
    while (i < labels.length()) {
      int eq = labels.indexOf('=', i);
      if (eq < 0 || eq + 1 >= labels.length() || labels.charAt(eq + 1) != '"') {
        return null;
      }
      String k = labels.substring(i, eq);
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; j < labels.length() && labels.charAt(j) != '"'; j++) {
        char c = labels.charAt(j);
        if (c == '\\' && j + 1 < labels.length()) {
          char n = labels.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
      }
      if (k.equals(key)) {
        return v.toString();
      }
      i = j + 2; // past the closing quote and the comma
    }
    return null;
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

    /**
     * The LoRA info series current at a read: of those the read has, the one set last (the greatest
     * value); null when none.
     */
    private EngineSeries loraAt(EngineScrape s) {
      EngineSeries best = null;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int i : indices(EngineKind.Figure.LORA_INFO)) {
        Double v = s.value(i);
        if (v != null && !v.isNaN() && v > bestValue) {
          best = e.series().get(i);
          bestValue = v;
        }
      }
      return best;
    }

    Integer loraMax(List<EngineScrape> scrapes) {
      Integer max = null;
      for (EngineScrape s : scrapes) {
        EngineSeries cur = loraAt(s);
        String v = cur == null ? null : label(cur.labels(), "max_lora");
        if (v != null) {
          try {
            max = Integer.parseInt(v.trim());
          } catch (NumberFormatException ignored) {
            // not a number: say nothing rather than guess
          }
        }
      }
      return max;
    }

    List<LoraAdapter> lora(List<EngineScrape> scrapes) {
      java.util.Map<String, long[]> seen =
          new java.util.TreeMap<>(); // running, waiting, first, last
      for (EngineScrape s : scrapes) {
        EngineSeries cur = loraAt(s);
        if (cur == null) {
          continue;
        }
        for (int which = 0; which < 2; which++) {
          String list =
              label(cur.labels(), which == 0 ? "running_lora_adapters" : "waiting_lora_adapters");
          if (list == null) {
            continue;
          }
          for (String name : list.split(",")) {
            String n = name.trim();
            if (n.isEmpty()) {
              continue;
            }
            long[] a = seen.computeIfAbsent(n, k -> new long[] {0, 0, s.atNanos(), s.atNanos()});
            a[which]++;
            a[3] = s.atNanos();
          }
        }
      }
      List<LoraAdapter> out = new ArrayList<>(seen.size());
      for (java.util.Map.Entry<String, long[]> en : seen.entrySet()) {
        long[] a = en.getValue();
        out.add(new LoraAdapter(en.getKey(), (int) a[0], (int) a[1], a[2], a[3]));
      }
      return out;
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
