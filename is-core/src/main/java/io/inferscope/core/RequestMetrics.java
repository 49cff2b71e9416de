package io.inferscope.core;

/**
 * Figures derived from one {@link RequestTrace}; see ADR 0002 for the definitions. Times in
 * nanoseconds; absent figures are null.
 *
 * @param ttftNanos send to first event carrying output text (content or reasoning); a role-only
 *     chunk never counts
 * @param ttftFromIntendedNanos the same measured from the intended send time
 * @param headersNanos send to the response headers: connecting, and whatever the server does before
 *     it answers; null when no headers arrived
 * @param headersToFirstTextNanos response headers to the first text event: what the server did
 *     after answering and before the first token (often queueing and prefill); null when either is
 *     missing
 * @param firstContentNanos send to first event carrying answer content (reasoning excluded)
 * @param e2eNanos send to end of the request
 * @param e2eFromIntendedNanos intended send to end of the request
 * @param sendLagNanos actual minus intended send time (the client's own lateness)
 * @param textChunks events that carried text
 * @param usageTokens the server's completion token count, or null
 * @param outputTokens the token count used for rates: {@code usageTokens} when given, else {@code
 *     textChunks}
 * @param tokenSource where {@code outputTokens} came from
 * @param decodeNanos first to last text event
 * @param decodeTokensPerSecond (outputTokens - 1) / decode time; null under 2 tokens or 0 time
 * @param tpotNanos decode time / (outputTokens - 1): mean time per output token after the first
 * @param chunkGapsNanos gaps between consecutive text events (chunk-level ITL)
 */
public record RequestMetrics(
    Long ttftNanos,
    Long ttftFromIntendedNanos,
    Long headersNanos,
    Long headersToFirstTextNanos,
    Long firstContentNanos,
    long e2eNanos,
    long e2eFromIntendedNanos,
    long sendLagNanos,
    int textChunks,
    Integer usageTokens,
    int outputTokens,
    TokenSource tokenSource,
    Long decodeNanos,
    Double decodeTokensPerSecond,
    Double tpotNanos,
    long[] chunkGapsNanos) {

  /** Derives the figures of one request. Pure. */
  public static RequestMetrics of(RequestTrace t) {
    EventLog ev = t.events();
    int first = ev.firstTextIndex();
    int last = ev.lastTextIndex();
    int firstContent = ev.firstIndexOf(ChunkKind.CONTENT);
    Long ttft = first < 0 ? null : ev.atNanos(first) - t.sendNanos();
    Long ttftIntended = first < 0 ? null : ev.atNanos(first) - t.intendedNanos();
    Long ttfc = firstContent < 0 ? null : ev.atNanos(firstContent) - t.sendNanos();
    int chunks = ev.textEventCount();
    Integer usageTokens = t.usage() == null ? null : t.usage().completionTokens();
    int tokens = usageTokens != null ? usageTokens : chunks;
    TokenSource source = usageTokens != null ? TokenSource.USAGE : TokenSource.CHUNKS;
    Long decode = first < 0 ? null : ev.atNanos(last) - ev.atNanos(first);
    Double rate = null;
    Double tpot = null;
    if (decode != null && decode > 0 && tokens >= 2) {
      rate = (tokens - 1) * 1e9 / decode;
      tpot = decode / (double) (tokens - 1);
    }
    Long headers = t.headersNanos() == null ? null : t.headersNanos() - t.sendNanos();
    Long headersToFirst =
        t.headersNanos() == null || first < 0 ? null : ev.atNanos(first) - t.headersNanos();
    return new RequestMetrics(
        ttft,
        ttftIntended,
        headers,
        headersToFirst,
        ttfc,
        t.endNanos() - t.sendNanos(),
        t.endNanos() - t.intendedNanos(),
        t.sendNanos() - t.intendedNanos(),
        chunks,
        usageTokens,
        tokens,
        source,
        decode,
        rate,
        tpot,
        ev.textGapsNanos());
  }

  // The gap array makes the generated equals compare identity; compare contents instead.
  @Override
  public boolean equals(Object o) {
    return o instanceof RequestMetrics m
        && java.util.Objects.equals(ttftNanos, m.ttftNanos)
        && java.util.Objects.equals(ttftFromIntendedNanos, m.ttftFromIntendedNanos)
        && java.util.Objects.equals(firstContentNanos, m.firstContentNanos)
        && e2eNanos == m.e2eNanos
        && e2eFromIntendedNanos == m.e2eFromIntendedNanos
        && sendLagNanos == m.sendLagNanos
        && textChunks == m.textChunks
        && java.util.Objects.equals(usageTokens, m.usageTokens)
        && outputTokens == m.outputTokens
        && tokenSource == m.tokenSource
        && java.util.Objects.equals(decodeNanos, m.decodeNanos)
        && java.util.Objects.equals(decodeTokensPerSecond, m.decodeTokensPerSecond)
        && java.util.Objects.equals(tpotNanos, m.tpotNanos)
        && java.util.Arrays.equals(chunkGapsNanos, m.chunkGapsNanos);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(ttftNanos, e2eNanos, textChunks, outputTokens)
        + 31 * java.util.Arrays.hashCode(chunkGapsNanos);
  }

  @Override
  public String toString() {
    return "RequestMetrics[ttftNanos="
        + ttftNanos
        + ", e2eNanos="
        + e2eNanos
        + ", outputTokens="
        + outputTokens
        + " ("
        + tokenSource
        + "), chunkGaps="
        + chunkGapsNanos.length
        + "]";
  }
}
