package io.inferscope.report;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Finding;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.RunResult;
import io.inferscope.core.Summary;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The report for a person at a terminal: plain text, no colour, at most {@value #WIDTH} columns.
 * The load, findings in plain words, request figures, then the engine's process tree and GPUs and
 * what they did during prefill and decode, when they were sampled. Absent figures print as {@code
 * -}, never as 0. Text that came from the server (error bodies, messages) is reduced to printable
 * single lines, so it cannot move the cursor or recolour the terminal.
 */
public final class TextReport {

  static final int WIDTH = 100;

  /** Below this client send lag, latency from the intended send time adds nothing; see below. */
  private static final double SEND_LAG_SHOWN_FROM_NANOS = 1e6;

  static final int KEY_WIDTH = 20;

  private TextReport() {}

  /** The full report, lines ending in {@code \n}. */
  public static String render(RunAnalysis a) {
    RunResult run = a.run();
    RunMetrics m = a.metrics();
    StringBuilder out = new StringBuilder(4096);
    header(out, run);
    if (a.sampleOnly()) {
      out.append("\nno load was sent (sample-only)\n");
    } else {
      load(out, a);
    }
    findings(out, a.findings());
    if (m.requests() > 0 && m.cancelled() == m.requests()) {
      out.append("\nNO MEASURED REQUEST COMPLETED: all ")
          .append(m.requests())
          .append(" cancelled (")
          .append(run.stopReason() == null ? "the drain timeout ran out" : run.stopReason())
          .append(")\n");
    } else if (m.requests() > 0 && m.ok() == 0) {
      out.append("\nALL MEASURED REQUESTS FAILED (")
          .append(m.requests())
          .append(" of ")
          .append(m.requests())
          .append("): no latency or token figures, see the failures above\n");
    } else if (m.ok() > 0) {
      latency(out, m);
      tokens(out, m);
      server(out, m);
    }
    partial(out, m);
    ShardsText.append(out, run.facts().merge());
    HardwareText.append(out, run.hardware(), a.hardware());
    engine(out, a.engine());
    AttributionText.append(out, a.attribution());
    HardwareText.correlation(out, a.correlation());
    client(out, run.client());
    String text = fitLines(out);
    // A terminal report ends its last line, so whatever is printed next starts on its own line.
    return text.endsWith("\n") ? text : text + "\n";
  }

  /** The attribution sections alone (energy by phase, steps, cost), for {@code cost}. */
  public static String attribution(RunAnalysis a) {
    StringBuilder out = new StringBuilder(1024);
    AttributionText.append(out, a.attribution());
    String text = fitLines(out);
    return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
  }

  /**
   * The run's headline figures on one line, for the end of a run, e.g. {@code 64/64 ok · TTFT p50
   * 52.10 ms p99 60.30 ms · 803.2 tok/s}. The caller appends where the report went.
   */
  public static String oneLineSummary(RunAnalysis a) {
    RunResult run = a.run();
    RunMetrics m = a.metrics();
    StringBuilder b = new StringBuilder();
    if (a.sampleOnly()) {
      b.append("no load sent (sample-only)");
      HardwareText.headline(b, a.hardware());
      if (run.partial()) {
        b.append(" · PARTIAL");
      }
      return b.toString();
    }
    b.append(m.ok()).append('/').append(m.requests()).append(" ok");
    if (m.failed() > 0 || m.cancelled() > 0) {
      b.append(" (").append(m.failed()).append(" failed");
      if (m.cancelled() > 0) {
        b.append(", ").append(m.cancelled()).append(" cancelled");
      }
      b.append(')');
    }
    Summary ttft = m.ttftNanos();
    b.append(" · TTFT p50 ")
        .append(ttft == null ? Fmt.ABSENT : time(ttft.p50()))
        .append(" p99 ")
        .append(ttft == null ? Fmt.ABSENT : time(ttft.p99()));
    b.append(" · ").append(Fmt.sig4(m.outputTokensPerSecond())).append(" tok/s");
    if (a.goodput() != null) {
      b.append(" · goodput ")
          .append(
              Fmt.percent(a.goodput().metRatio() == null ? null : a.goodput().metRatio() * 100));
    }
    if (run.partial()) {
      b.append(" · PARTIAL");
    }
    return b.toString();
  }

  /**
   * What inferscope itself cost, two lines (one would not fit the width), e.g. {@code client CPU
   * 12.3 % of one core (2 cores) · GC pauses 3, max 0.8 ms} then {@code scheduling lag p99 0.3 ms,
   * max 1.2 ms}; nothing when it was not measured.
   */
  private static void client(StringBuilder out, ClientOverhead c) {
    if (c == null) {
      return;
    }
    out.append("\nClient\n")
        .append("  client CPU ")
        .append(Fmt.percent(c.cpuPercent()))
        .append(" of one core (")
        .append(c.availableProcessors() == null ? Fmt.ABSENT : c.availableProcessors())
        .append(Integer.valueOf(1).equals(c.availableProcessors()) ? " core" : " cores")
        .append(") · GC pauses ")
        .append(c.gcPauses() == null ? Fmt.ABSENT : c.gcPauses())
        .append(", max ")
        .append(gcPauseMax(c))
        .append("\n  scheduling lag p99 ")
        .append(millis(c.schedulingLagP99Nanos()))
        .append(", max ")
        .append(millis(c.schedulingLagMaxNanos()))
        .append('\n');
  }

  /**
   * The longest GC pause. The JVM reports pauses in whole milliseconds, so pauses that read 0
   * (ZGC's always do) are shown as under a millisecond, not as none.
   */
  private static String gcPauseMax(ClientOverhead c) {
    return c.gcPausesUnderOneMilli() ? "< 1 ms" : millis(c.gcPauseMaxNanos());
  }

  /** Nanoseconds as milliseconds with one decimal and the unit, or the absent mark. */
  private static String millis(Long nanos) {
    return nanos == null ? Fmt.ABSENT : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static void header(StringBuilder out, RunResult run) {
    RunMeta meta = run.meta();
    out.append("inferscope ").append(text(meta.toolVersion())).append(" · run report\n");
    kv(out, "url", text(meta.url()));
    kv(out, "endpoint", text(meta.endpoint()));
    kv(out, "model", text(meta.model()));
    kv(out, "mode", text(meta.mode()));
    kv(out, "started", run.clock().originWall().truncatedTo(ChronoUnit.MILLIS).toString());
    kv(out, "duration", Fmt.duration(run.endNanos()));
    String load = loadShape(meta);
    if (load != null) {
      kv(out, "load", load);
    }
    workload(out, run.facts().workload());
    ShardsText.header(out, run.facts());
    if (run.facts().connectionReuse() == RunFacts.ConnectionReuse.PER_REQUEST) {
      // Worth saying: a new connection per request adds a connect to every TTFT.
      kv(
          out,
          "connections",
          "per-request (the engine closed kept-alive connections after answers)");
    }
    if (run.partial()) {
      kv(out, "PARTIAL", "run cut short: " + text(run.stopReason()));
    }
  }

  /**
   * Where the prompts came from, e.g. {@code workload mooncake trace.jsonl · 200 requests · input
   * 7,590 tok mean (engine tokenizer) · output 343 tok mean}; nothing for one prompt.
   */
  private static void workload(StringBuilder out, RunFacts.Workload w) {
    if (w == null || w.source() == RunFacts.WorkloadSource.PROMPT) {
      return;
    }
    StringBuilder b = new StringBuilder(w.source().name().toLowerCase(java.util.Locale.ROOT));
    b.append(" · ").append(w.items()).append(w.items() == 1 ? " request" : " requests");
    if (w.skippedLines() != null && w.skippedLines() > 0) {
      b.append(" (").append(w.skippedLines()).append(" skipped)");
    }
    if (w.file() != null) {
      // Last: a long path is what a narrow terminal cuts (the JSON keeps it whole).
      b.append(" · ").append(w.file());
    }
    kv(out, "workload", text(b.toString()));
    List<String> parts = new java.util.ArrayList<>();
    if (w.inputTokensMean() != null) {
      StringBuilder t = new StringBuilder();
      t.append("input ").append(Fmt.sig4(w.inputTokensMean())).append(" tok mean");
      t.append(
          w.tokenCounting() == RunFacts.TokenCounting.ENGINE_TOKENIZER
              ? " (engine tokenizer"
              : " (ESTIMATED: the engine has no /tokenize");
      if (w.templateTokens() != null && w.templateTokens() > 0) {
        t.append(", ").append(w.templateTokens()).append(" of them template");
      }
      parts.add(t.append(')').toString());
    }
    if (w.sharedPrefixTokens() != null) {
      parts.add("shared prefix " + w.sharedPrefixTokens() + " tok");
    }
    if (w.outputTokensMean() != null) {
      parts.add("max_tokens " + Fmt.sig4(w.outputTokensMean()) + " mean");
    }
    // As many parts on a line as fit; the rest continue below.
    String key = "tokens";
    StringBuilder line = new StringBuilder();
    for (String part : parts) {
      if (!line.isEmpty() && 2 + KEY_WIDTH + line.length() + 3 + part.length() > WIDTH) {
        kv(out, key, text(line.toString()));
        key = "";
        line.setLength(0);
      }
      line.append(line.isEmpty() ? "" : " · ").append(part);
    }
    if (!line.isEmpty()) {
      kv(out, key, text(line.toString()));
    }
  }

  /** The load settings in one line, e.g. {@code concurrency 4 · 64 requests · max_tokens 64}. */
  private static String loadShape(RunMeta meta) {
    Map<String, String> s = meta.settings();
    StringBuilder b = new StringBuilder();
    appendSetting(b, "concurrency ", s.get("concurrency"), "");
    appendSetting(b, "", s.get("requests"), " requests");
    appendSetting(b, "for ", s.get("duration"), "");
    appendSetting(b, "rate ", s.get("rate_per_second"), "/s");
    appendSetting(b, "", s.get("arrival"), " arrivals");
    appendSetting(b, "burstiness ", s.get("burstiness"), "");
    appendSetting(b, "max_tokens ", s.get("max_tokens"), "");
    return b.isEmpty() ? null : text(b.toString());
  }

  private static void appendSetting(StringBuilder b, String before, String value, String after) {
    if (value == null || value.isEmpty()) {
      return;
    }
    if (!b.isEmpty()) {
      b.append(" · ");
    }
    b.append(before).append(value).append(after);
  }

  private static void load(StringBuilder out, RunAnalysis a) {
    RunMetrics m = a.metrics();
    long warmups = a.warmupRequests();
    out.append("\nLoad\n");
    kv(out, "measured requests", m.requests() + " (" + warmups + " warm-up excluded)");
    kv(out, "ok", Integer.toString(m.ok()));
    kv(out, "failed", Integer.toString(m.failed()));
    kv(out, "cancelled", Integer.toString(m.cancelled()));
    kv(out, "completeness", Fmt.percent(m.completenessPercent()));
    kv(out, "window", Fmt.duration(m.windowNanos()));
    kv(out, "request rate", Fmt.sig4(m.requestsPerSecond()) + " req/s (completed)");
    kv(out, "output rate", Fmt.sig4(m.outputTokensPerSecond()) + " tok/s");
    goodput(out, a.goodput());
    if (!m.failuresByCode().isEmpty()) {
      out.append("  failures by code (first example of each)\n");
      int codeWidth = 0;
      for (String code : m.failuresByCode().keySet()) {
        codeWidth = Math.max(codeWidth, Math.min(24, code.length()));
      }
      for (Map.Entry<String, Integer> e : m.failuresByCode().entrySet()) {
        String example = m.failureExamples().get(e.getKey());
        out.append("    ")
            .append(Fmt.padRight(Fmt.fit(text(e.getKey()), 24), codeWidth))
            .append(Fmt.padLeft(Integer.toString(e.getValue()), 7))
            .append("  ")
            .append(text(example))
            .append('\n');
      }
    }
  }

  /** The engine's own view from its {@code /metrics}, or one line saying why there is none. */
  private static void engine(StringBuilder out, io.inferscope.core.EngineView e) {
    if (e.unavailableReason() != null) {
      if (!e.unavailableReason().equals("not read")) {
        out.append("\nEngine view: not available (")
            .append(text(e.unavailableReason()))
            .append(")\n");
      }
      return;
    }
    out.append("\nEngine view (")
        .append(e.engine().name().toLowerCase(java.util.Locale.ROOT))
        .append(" names, ")
        .append(e.scrapes())
        .append(" reads of /metrics");
    if (e.failedReads() > 0 || e.skippedReads() > 0) {
      out.append(", ")
          .append(e.failedReads())
          .append(" failed, ")
          .append(e.skippedReads())
          .append(" skipped");
    }
    out.append(")\n");
    if (e.engine() == io.inferscope.core.EngineKind.UNKNOWN) {
      out.append(
          "  names of no engine inferscope knows: the raw series are in the JSON (--engine"
              + " names one)\n");
      return;
    }
    kv(out, "running", "max " + Fmt.sig4(e.runningMax()));
    kv(out, "waiting", "max " + Fmt.sig4(e.waitingMax()));
    kv(out, "KV cache", "max " + Fmt.percent(e.kvUsageMax() == null ? null : e.kvUsageMax() * 100));
    kv(
        out,
        "prompt tokens",
        e.promptTokens() == null ? Fmt.ABSENT : e.promptTokens() + " over the run");
    kv(
        out,
        "output tokens",
        (e.generationTokens() == null ? Fmt.ABSENT : e.generationTokens().toString())
            + " generated over the run; the client received "
            + e.clientOutputTokens());
    kv(out, "preemptions", e.preemptions() == null ? Fmt.ABSENT : e.preemptions().toString());
    kv(
        out,
        "prefix cache hit",
        Fmt.percent(e.prefixHitRatio() == null ? null : e.prefixHitRatio() * 100));
    if (e.specAcceptRatio() != null) {
      kv(
          out,
          "spec. accepted",
          Fmt.percent(e.specAcceptRatio() * 100)
              + " of drafted tokens"
              + (e.specDraftedTokens() == null
                  ? ""
                  : " (" + e.specAcceptedTokens() + " of " + e.specDraftedTokens() + ")"));
    }
    if (!e.loraAdapters().isEmpty() || e.loraMax() != null) {
      kv(
          out,
          "LoRA adapters",
          (e.loraAdapters().isEmpty() ? "none reported" : e.loraAdapters().size() + " reported")
              + (e.loraMax() == null ? "" : "; at most " + e.loraMax() + " per batch"));
      for (io.inferscope.core.EngineView.LoraAdapter l : e.loraAdapters()) {
        out.append("    ")
            .append(Fmt.padRight(Fmt.fit(text(l.name()), KEY_WIDTH - 3), KEY_WIDTH - 2))
            .append("running at ")
            .append(l.runningReads())
            .append(" reads · waiting at ")
            .append(l.waitingReads())
            .append(" · seen ")
            .append(Fmt.seconds((double) l.firstSeenNanos()))
            .append("–")
            .append(Fmt.seconds((double) l.lastSeenNanos()))
            .append(" s\n");
      }
    }
    if (e.ttftWaitingCorrelation() != null) {
      kv(
          out,
          "TTFT ~ waiting",
          String.format(
              java.util.Locale.ROOT,
              "r = %.2f (TTFT against the requests waiting at the read before each send)",
              e.ttftWaitingCorrelation()));
    }
    if (e.counterResets() > 0) {
      kv(out, "counter resets", e.counterResets() + " (the engine restarted)");
    }
    if (e.malformedLines() > 0) {
      kv(out, "skipped lines", e.malformedLines() + " malformed lines over all reads");
    }
  }

  /**
   * e.g. {@code goodput 41 of 64 (64.06 %) · 3.2 req/s meeting ttft ≤ 200 ms, tpot ≤ 50 ms} and
   * which objective was missed most.
   */
  private static void goodput(StringBuilder out, io.inferscope.core.Goodput g) {
    if (g == null) {
      return;
    }
    io.inferscope.core.Slo slo = g.slo();
    StringBuilder bounds = new StringBuilder();
    appendSetting(
        bounds, "ttft ≤ ", slo.ttftNanos() == null ? null : Fmt.duration(slo.ttftNanos()), "");
    appendSetting(
        bounds, "tpot ≤ ", slo.tpotNanos() == null ? null : Fmt.duration(slo.tpotNanos()), "");
    appendSetting(
        bounds, "e2e ≤ ", slo.e2eNanos() == null ? null : Fmt.duration(slo.e2eNanos()), "");
    kv(
        out,
        "goodput",
        g.met()
            + " of "
            + g.requests()
            + " ("
            + Fmt.percent(g.metRatio() == null ? null : g.metRatio() * 100)
            + ") · "
            + Fmt.sig4(g.metPerSecond())
            + " req/s meeting "
            + bounds.toString().replace(" · ", ", "));
    if (!g.missed().isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (io.inferscope.core.Goodput.Miss miss : g.missed()) {
        appendSetting(
            b,
            "",
            miss.objective().name().toLowerCase(java.util.Locale.ROOT),
            " " + miss.requests());
      }
      kv(out, "missed", b + " (most missed first; failed = did not complete)");
    }
  }

  /** Findings in plain words, warnings first; "none" says the checks ran and found nothing. */
  private static void findings(StringBuilder out, List<Finding> findings) {
    out.append("\nFindings\n");
    if (findings.isEmpty()) {
      out.append("  none\n");
      return;
    }
    for (Finding f : findings) {
      String head = f.severity() == Finding.Severity.WARNING ? "  WARNING  " : "  info     ";
      HardwareText.wrapped(out, head, f.message());
    }
  }

  private static void latency(StringBuilder out, RunMetrics m) {
    out.append("\nLatency over ").append(m.ok()).append(" completed requests\n");
    SummaryTable t = new SummaryTable();
    t.time("TTFT", m.ttftNanos());
    // TTFT's two parts, when the server answered with headers before its first token.
    if (m.headersNanos() != null && m.headersToFirstTextNanos() != null) {
      t.time("  send → headers", m.headersNanos());
      t.time("  headers → 1st token", m.headersToFirstTextNanos());
    }
    // The rows from the intended send time matter only when the client fell behind its schedule
    // (coordinated omission); otherwise they repeat the rows above to display precision, so they
    // are shown only when the send lag reaches 1 ms, and a note says they were checked.
    Summary lag = m.sendLagNanos();
    boolean showIntended = lag != null && lag.max() >= SEND_LAG_SHOWN_FROM_NANOS;
    if (showIntended) {
      t.time("TTFT from intended", m.ttftFromIntendedNanos());
    }
    // First content differs from TTFT only when reasoning text came first.
    if (m.firstContentNanos() != null && !Objects.equals(m.firstContentNanos(), m.ttftNanos())) {
      t.time("first content token", m.firstContentNanos());
    }
    t.time("E2E", m.e2eNanos());
    if (showIntended) {
      t.time("E2E from intended", m.e2eFromIntendedNanos());
      t.time("send lag", lag);
    }
    t.time("TPOT", m.tpotNanos());
    t.time("chunk ITL", m.chunkItlNanos());
    t.row("decode rate (tok/s)", m.decodeTokensPerSecond());
    t.row("output tokens/request", m.outputTokensPerRequest());
    // Only an engine that stamps its events on this machine's clock (inferscope sim --stamp) gives
    // it: the time between the engine writing an event and the client reading it.
    if (m.observationDelayNanos() != null) {
      t.time("observation delay", m.observationDelayNanos());
    }
    t.appendTo(out);
    if (lag != null && !showIntended) {
      out.append("  client kept to schedule (send lag max ")
          .append(Fmt.ms(lag.max()))
          .append(" ms): latency from intended send time matches the above\n");
    }
  }

  /** Requests that streamed text and then failed: kept apart from the completed ones. */
  private static void partial(StringBuilder out, RunMetrics m) {
    if (m.partialRequests() == 0) {
      return;
    }
    out.append("\nPartial requests (streamed text, then failed or were cancelled; not above)\n");
    kv(out, "requests", Integer.toString(m.partialRequests()));
    kv(out, "text chunks", Long.toString(m.partialTextChunks()));
    Summary ttft = m.partialTtftNanos();
    kv(
        out,
        "TTFT",
        ttft == null
            ? Fmt.ABSENT
            : "p50 " + Fmt.ms(ttft.p50()) + " ms · max " + Fmt.ms(ttft.max()) + " ms");
  }

  private static void tokens(StringBuilder out, RunMetrics m) {
    out.append("\nTokens\n");
    String source =
        m.requestsWithUsage() == 0
            ? "counted from text chunks: the server sent no usage"
            : "usage on " + m.requestsWithUsage() + " of " + m.ok() + " requests";
    kv(out, "output tokens", m.outputTokensTotal() + " (" + source + ")");
    kv(out, "text chunks", Long.toString(m.textChunksTotal()));
    if (m.usageChunkMismatches() > 0) {
      // The same fact as the token_accounting finding, with its severity.
      out.append("  info: usage differs from text chunks on ")
          .append(m.usageChunkMismatches())
          .append(" of ")
          .append(m.requestsWithUsage())
          .append(" requests (")
          .append(Fmt.count(m.usageTokensTotal()))
          .append(" tokens in ")
          .append(m.chunksOfUsageRequests())
          .append(" chunks)\n")
          .append("  chunk ITL is per chunk, not per token (")
          .append(Fmt.sig4(m.usageTokensPerChunk()))
          .append(" tokens per chunk on average); TPOT is per token\n");
    }
  }

  private static void server(StringBuilder out, RunMetrics m) {
    if (m.serverDecodeTokensPerSecond() == null && m.serverPromptMillis() == null) {
      return;
    }
    out.append("\nServer view (the server's own timings beside the client's)\n");
    SummaryTable t = new SummaryTable();
    t.row("server decode (tok/s)", m.serverDecodeTokensPerSecond());
    t.row("client decode (tok/s)", m.decodeTokensPerSecond());
    t.row("server prompt (ms)", m.serverPromptMillis());
    t.appendTo(out);
  }

  /** A time figure with its unit: milliseconds, or seconds from 10 s. */
  private static String time(double nanos) {
    return nanos >= 10e9 ? Fmt.seconds(nanos) + " s" : Fmt.ms(nanos) + " ms";
  }

  static void kv(StringBuilder out, String key, String value) {
    out.append("  ").append(Fmt.padRight(key, KEY_WIDTH)).append(value).append('\n');
  }

  /** Outside text made safe for one line; absent prints as {@code -}. */
  static String text(String s) {
    return s == null ? Fmt.ABSENT : Fmt.singleLine(s);
  }

  /** Holds the width promise whatever the server or user put in names and messages. */
  private static String fitLines(StringBuilder out) {
    StringBuilder fitted = new StringBuilder(out.length());
    for (String line : out.toString().split("\n", -1)) {
      if (!fitted.isEmpty()) {
        fitted.append('\n');
      }
      fitted.append(Fmt.fit(line, WIDTH));
    }
    return fitted.toString();
  }
}
