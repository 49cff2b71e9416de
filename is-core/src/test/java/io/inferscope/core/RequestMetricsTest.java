package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RequestMetricsTest {

  private static final long MS = 1_000_000L;

  /** llama.cpp shape: a role-only chunk long before the first token must not count as TTFT. */
  @Test
  void ttftIgnoresRoleOnlyChunkAndUsesUsageTokens() {
    EventLog ev =
        new EventLog.Builder()
            .add(101 * MS, ChunkKind.ROLE, 0)
            .add(150 * MS, ChunkKind.CONTENT, 4)
            .add(160 * MS, ChunkKind.CONTENT, 4)
            .add(175 * MS, ChunkKind.CONTENT, 4)
            .add(190 * MS, ChunkKind.CONTENT, 4)
            .add(191 * MS, ChunkKind.FINISH, 0)
            .add(192 * MS, ChunkKind.USAGE, 0)
            .add(193 * MS, ChunkKind.DONE, 0)
            .build();
    RequestTrace t =
        new RequestTrace(
            0,
            false,
            90 * MS,
            100 * MS,
            101 * MS,
            193 * MS,
            200,
            ev,
            new Usage(10, 4, 14, null, null),
            null,
            "length",
            null);
    RequestMetrics m = RequestMetrics.of(t);
    assertThat(m.ttftNanos()).isEqualTo(50 * MS);
    assertThat(m.ttftFromIntendedNanos()).isEqualTo(60 * MS);
    assertThat(m.firstContentNanos()).isEqualTo(50 * MS);
    assertThat(m.e2eNanos()).isEqualTo(93 * MS);
    assertThat(m.e2eFromIntendedNanos()).isEqualTo(103 * MS);
    assertThat(m.sendLagNanos()).isEqualTo(10 * MS);
    assertThat(m.textChunks()).isEqualTo(4);
    assertThat(m.outputTokens()).isEqualTo(4);
    assertThat(m.tokenSource()).isEqualTo(TokenSource.USAGE);
    assertThat(m.decodeNanos()).isEqualTo(40 * MS);
    // (4 - 1) tokens over 40 ms = 75 tok/s; TPOT = 40/3 ms
    assertThat(m.decodeTokensPerSecond()).isCloseTo(75.0, within(1e-9));
    assertThat(m.tpotNanos()).isCloseTo(40.0 * MS / 3, within(1e-3));
    assertThat(m.chunkGapsNanos()).containsExactly(10 * MS, 15 * MS, 15 * MS);
  }

  /** vLLM-style batching: usage says 9 tokens over 3 chunks; rates use tokens, ITL uses chunks. */
  @Test
  void usageTokensDriveDecodeRateWhenChunksCarrySeveralTokens() {
    EventLog ev =
        new EventLog.Builder()
            .add(0, ChunkKind.ROLE, 0)
            .add(20 * MS, ChunkKind.CONTENT, 12)
            .add(40 * MS, ChunkKind.CONTENT, 12)
            .add(60 * MS, ChunkKind.CONTENT, 12)
            .add(61 * MS, ChunkKind.USAGE, 0)
            .build();
    RequestTrace t =
        new RequestTrace(
            1,
            false,
            0,
            0,
            1L,
            61 * MS,
            200,
            ev,
            new Usage(5, 9, 14, null, null),
            null,
            "stop",
            null);
    RequestMetrics m = RequestMetrics.of(t);
    assertThat(m.textChunks()).isEqualTo(3);
    assertThat(m.outputTokens()).isEqualTo(9);
    assertThat(m.decodeTokensPerSecond()).isCloseTo(8 / 0.040, within(1e-9));
    assertThat(m.chunkGapsNanos()).containsExactly(20 * MS, 20 * MS);
  }

  /** Reasoning text counts for TTFT; first content is later. Without usage, chunks count. */
  @Test
  void reasoningCountsForTtftButNotForFirstContent() {
    EventLog ev =
        new EventLog.Builder()
            .add(5 * MS, ChunkKind.REASONING, 3)
            .add(15 * MS, ChunkKind.REASONING, 3)
            .add(30 * MS, ChunkKind.CONTENT, 3)
            .add(31 * MS, ChunkKind.DONE, 0)
            .build();
    RequestTrace t =
        new RequestTrace(2, false, 0, 0, null, 31 * MS, 200, ev, null, null, "stop", null);
    RequestMetrics m = RequestMetrics.of(t);
    assertThat(m.ttftNanos()).isEqualTo(5 * MS);
    assertThat(m.firstContentNanos()).isEqualTo(30 * MS);
    assertThat(m.tokenSource()).isEqualTo(TokenSource.CHUNKS);
    assertThat(m.usageTokens()).isNull();
    assertThat(m.outputTokens()).isEqualTo(3);
    assertThat(m.decodeTokensPerSecond()).isCloseTo(2 / 0.025, within(1e-9));
  }

  @Test
  void noTextMeansAbsentFiguresNotZero() {
    EventLog ev =
        new EventLog.Builder()
            .add(5 * MS, ChunkKind.ROLE, 0)
            .add(6 * MS, ChunkKind.DONE, 0)
            .build();
    RequestMetrics m =
        RequestMetrics.of(
            new RequestTrace(3, false, 0, 0, null, 6 * MS, 200, ev, null, null, null, null));
    assertThat(m.ttftNanos()).isNull();
    assertThat(m.firstContentNanos()).isNull();
    assertThat(m.decodeNanos()).isNull();
    assertThat(m.decodeTokensPerSecond()).isNull();
    assertThat(m.tpotNanos()).isNull();
    assertThat(m.chunkGapsNanos()).isEmpty();
  }

  @Test
  void singleTokenHasTtftButNoDecodeRate() {
    EventLog ev = new EventLog.Builder().add(5 * MS, ChunkKind.CONTENT, 1).build();
    RequestMetrics m =
        RequestMetrics.of(
            new RequestTrace(4, false, 0, 0, null, 6 * MS, 200, ev, null, null, "stop", null));
    assertThat(m.ttftNanos()).isEqualTo(5 * MS);
    assertThat(m.decodeTokensPerSecond()).isNull();
  }

  @Test
  void equalFiguresCompareEqual() {
    EventLog ev =
        new EventLog.Builder()
            .add(5 * MS, ChunkKind.CONTENT, 1)
            .add(9 * MS, ChunkKind.CONTENT, 1)
            .build();
    RequestTrace t =
        new RequestTrace(5, false, 0, 0, null, 10 * MS, 200, ev, null, null, "stop", null);
    assertThat(RequestMetrics.of(t))
        .isEqualTo(RequestMetrics.of(t))
        .hasSameHashCodeAs(RequestMetrics.of(t));
  }

  @Test
  void nonFiniteServerTimingsAreIgnored() {
    EventLog ev = new EventLog.Builder().add(5 * MS, ChunkKind.CONTENT, 1).build();
    RequestTrace t =
        new RequestTrace(
            6,
            false,
            0,
            0,
            null,
            10 * MS,
            200,
            ev,
            null,
            new ServerTimings(1, Double.NaN, 3, Double.NaN, null),
            "stop",
            null);
    RunMetrics m = RunMetrics.of(java.util.List.of(t));
    assertThat(m.serverPromptMillis()).isNull();
    assertThat(m.serverDecodeTokensPerSecond()).isNull();
  }

  /** Figures from the captured llama.cpp usage chunk: predicted_per_second 703.57 there. */
  @Test
  void serverDecodeRateMatchesLlamaCppOwnFigure() {
    ServerTimings st = new ServerTimings(1, 2.654, 32, 44.061, 33);
    assertThat(st.predictedTokensPerSecond()).isCloseTo(703.5700506116519, within(1e-9));
    assertThat(new ServerTimings(1, 1.0, 1, 5.0, 0).predictedTokensPerSecond()).isNull();
  }
}
