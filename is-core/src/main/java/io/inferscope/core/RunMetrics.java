package io.inferscope.core;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures pooled over the measured (non-warm-up) requests of a run; see ADR 0002. Latency figures
 * are taken over completed requests; failed and cancelled requests are counted beside them, never
 * dropped. Absent figures are null.
 *
 * @param requests measured requests (warm-up excluded)
 * @param ok requests that completed
 * @param failed requests that failed, cancelled ones excluded
 * @param cancelled requests the run itself stopped
 * @param failuresByCode count per {@link Failure#code()}, cancelled included, sorted by code
 * @param failureExamples the first detail line seen for each code
 * @param completenessPercent ok / requests * 100
 * @param windowNanos first send to last end over measured requests
 * @param ttftNanos TTFT ({@link RequestMetrics#ttftNanos}) of completed requests
 * @param ttftFromIntendedNanos TTFT from the intended send time
 * @param headersNanos TTFT's first part: send to response headers
 * @param headersToFirstTextNanos TTFT's second part: response headers to the first text event
 * @param sendLagNanos actual minus intended send time over every measured request, failed ones
 *     included: the client's lateness applies to every request it sent
 * @param outputTokensTotal output tokens of completed requests ({@link
 *     RequestMetrics#outputTokens})
 * @param textChunksTotal text events of completed requests
 * @param requestsWithUsage completed requests whose server sent {@code usage}
 * @param usageTokensTotal sum of {@code usage.completion_tokens} over those, or null if none
 * @param chunksOfUsageRequests text events of those same requests, to compare with the above
 * @param usageChunkMismatches completed requests whose usage count differs from their text events
 * @param outputTokensPerSecond output tokens of completed requests / window
 * @param requestsPerSecond completed requests / window
 * @param partialRequests measured requests that failed or were cancelled after streaming text:
 *     their data is kept here, never in the figures of completed requests
 * @param partialTtftNanos TTFT of those
 * @param partialTextChunks text events they streamed before they failed
 * @param observationDelayNanos receive minus send over every event of a measured request (failed
 *     ones included) that carried the engine's own send stamp on the same monotonic clock: the
 *     client's observation delay; null when no event carried a stamp
 */
public record RunMetrics(
    int requests,
    int ok,
    int failed,
    int cancelled,
    Map<String, Integer> failuresByCode,
    Map<String, String> failureExamples,
    Double completenessPercent,
    Long windowNanos,
    Summary ttftNanos,
    Summary ttftFromIntendedNanos,
    Summary headersNanos,
    Summary headersToFirstTextNanos,
    Summary firstContentNanos,
    Summary e2eNanos,
    Summary e2eFromIntendedNanos,
    Summary sendLagNanos,
    Summary tpotNanos,
    Summary decodeTokensPerSecond,
    Summary chunkItlNanos,
    Summary outputTokensPerRequest,
    Summary serverDecodeTokensPerSecond,
    Summary serverPromptMillis,
    long outputTokensTotal,
    long textChunksTotal,
    int requestsWithUsage,
    Long usageTokensTotal,
    long chunksOfUsageRequests,
    int usageChunkMismatches,
    Double outputTokensPerSecond,
    Double requestsPerSecond,
    int partialRequests,
    Summary partialTtftNanos,
    long partialTextChunks,
    Summary observationDelayNanos) {

  /**
   * Tokens per text chunk on the requests with usage (how many tokens a chunk carries on average),
   * or null when none had usage or none streamed a chunk.
   */
  public Double usageTokensPerChunk() {
    return usageTokensTotal == null || chunksOfUsageRequests == 0
        ? null
        : usageTokensTotal / (double) chunksOfUsageRequests;
  }

  /** Derives the run's figures from its traces. Pure. */
  public static RunMetrics of(List<RequestTrace> traces) {
    return of(MeasuredRequest.of(traces), MeasuredWindow.of(traces));
  }

  /**
   * Derives the run's figures from its measured requests and their window ({@link RunAnalysis}
   * derives both once). Pure.
   */
  public static RunMetrics of(List<MeasuredRequest> measured, MeasuredWindow measuredWindow) {
    Map<String, Integer> byCode = new TreeMap<>();
    Map<String, String> examples = new TreeMap<>();
    int ok = 0;
    int cancelled = 0;
    Summary.Values ttft = new Summary.Values();
    Summary.Values ttftIntended = new Summary.Values();
    Summary.Values headers = new Summary.Values();
    Summary.Values headersToFirst = new Summary.Values();
    Summary.Values ttfc = new Summary.Values();
    Summary.Values e2e = new Summary.Values();
    Summary.Values e2eIntended = new Summary.Values();
    Summary.Values lag = new Summary.Values();
    Summary.Values tpot = new Summary.Values();
    Summary.Values rate = new Summary.Values();
    Summary.Values itl = new Summary.Values();
    Summary.Values tokensPerReq = new Summary.Values();
    Summary.Values serverRate = new Summary.Values();
    Summary.Values serverPrompt = new Summary.Values();
    Summary.Values observation = new Summary.Values();
    Summary.Values partialTtft = new Summary.Values();
    int partial = 0;
    long partialChunks = 0;
    long tokens = 0;
    long chunks = 0;
    int withUsage = 0;
    long usageTokens = 0;
    long usageChunks = 0;
    int mismatches = 0;
    for (MeasuredRequest mr : measured) {
      RequestTrace t = mr.trace();
      lag.add(t.sendNanos() - t.intendedNanos());
      EventLog ev = t.events();
      if (ev.hasSentStamps()) {
        for (int i = 0; i < ev.size(); i++) {
          if (ev.hasSentNanos(i)) {
            observation.add(ev.observationDelayNanos(i));
          }
        }
      }
      if (!t.ok()) {
        Failure f = t.failure();
        byCode.merge(f.code(), 1, Integer::sum);
        examples.putIfAbsent(f.code(), f.detail());
        if (f instanceof Failure.Cancelled) {
          cancelled++;
        }
        RequestMetrics pm = mr.metrics();
        if (pm.textChunks() > 0) {
          partial++;
          partialChunks += pm.textChunks();
          addIfPresent(partialTtft, pm.ttftNanos());
        }
        continue;
      }
      ok++;
      RequestMetrics m = mr.metrics();
      addIfPresent(ttft, m.ttftNanos());
      addIfPresent(ttftIntended, m.ttftFromIntendedNanos());
      addIfPresent(headers, m.headersNanos());
      addIfPresent(headersToFirst, m.headersToFirstTextNanos());
      addIfPresent(ttfc, m.firstContentNanos());
      e2e.add(m.e2eNanos());
      e2eIntended.add(m.e2eFromIntendedNanos());
      if (m.tpotNanos() != null) {
        tpot.add(m.tpotNanos());
        rate.add(m.decodeTokensPerSecond());
      }
      for (long g : m.chunkGapsNanos()) {
        itl.add(g);
      }
      tokensPerReq.add(m.outputTokens());
      tokens += m.outputTokens();
      chunks += m.textChunks();
      if (m.usageTokens() != null) {
        withUsage++;
        usageTokens += m.usageTokens();
        usageChunks += m.textChunks();
        if (m.usageTokens() != m.textChunks()) {
          mismatches++;
        }
      }
      ServerTimings st = t.serverTimings();
      if (st != null) {
        Double r = st.predictedTokensPerSecond();
        if (r != null && Double.isFinite(r)) {
          serverRate.add(r);
        }
        if (st.promptMillis() != null && Double.isFinite(st.promptMillis())) {
          serverPrompt.add(st.promptMillis());
        }
      }
    }
    int n = measured.size();
    Long window = measuredWindow == null ? null : measuredWindow.lengthNanos();
    Double tps = window == null || window <= 0 ? null : tokens * 1e9 / window;
    Double rps = window == null || window <= 0 ? null : ok * 1e9 / window;
    return new RunMetrics(
        n,
        ok,
        n - ok - cancelled,
        cancelled,
        Collections.unmodifiableMap(byCode),
        Collections.unmodifiableMap(examples),
        n == 0 ? null : ok * 100.0 / n,
        window,
        ttft.summary(),
        ttftIntended.summary(),
        headers.summary(),
        headersToFirst.summary(),
        ttfc.summary(),
        e2e.summary(),
        e2eIntended.summary(),
        lag.summary(),
        tpot.summary(),
        rate.summary(),
        itl.summary(),
        tokensPerReq.summary(),
        serverRate.summary(),
        serverPrompt.summary(),
        tokens,
        chunks,
        withUsage,
        withUsage == 0 ? null : usageTokens,
        usageChunks,
        mismatches,
        tps,
        rps,
        partial,
        partialTtft.summary(),
        partialChunks,
        observation.summary());
  }

  private static void addIfPresent(Summary.Values list, Long v) {
    if (v != null) {
      list.add(v);
    }
  }
}
