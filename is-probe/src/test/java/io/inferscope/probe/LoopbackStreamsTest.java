package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The self-warm's events train the read path the run takes: each is read by the fast chunk reader
 * itself (an event it left to the general parser would train the wrong path), read as the general
 * parser reads it, and together they take the branches real engines' events take.
 */
class LoopbackStreamsTest {

  @Test
  void theFastReaderReadsEveryEventItselfAsTheGeneralParserDoes() {
    for (byte[] payload : payloads()) {
      String text = new String(payload, StandardCharsets.UTF_8);
      assertThatCode(() -> new FastChunkReader(payload, 0, payload.length).read())
          .as(text)
          .doesNotThrowAnyException();
      assertThat(ChunkParser.parse(payload, 0, payload.length))
          .as(text)
          .isEqualTo(ChunkParser.parseGeneral(payload, 0, payload.length));
    }
  }

  @Test
  void theEventsTakeTheBranchesEnginesEventsTake() {
    Set<ChunkKind> kinds = EnumSet.noneOf(ChunkKind.class);
    boolean twoBytes = false;
    boolean threeBytes = false;
    boolean surrogatePair = false;
    boolean escaped = false;
    boolean unicodeEscaped = false;
    boolean stamped = false;
    boolean unstamped = false;
    boolean completionsText = false;
    boolean skippedNested = false;
    boolean reasoningContent = false;
    boolean reasoning = false;
    for (byte[] payload : payloads()) {
      String text = new String(payload, StandardCharsets.UTF_8);
      Chunk c = ChunkParser.parse(payload, 0, payload.length);
      kinds.add(c.kind());
      twoBytes |= text.codePoints().anyMatch(cp -> cp > 0x7f && cp < 0x800);
      threeBytes |= text.codePoints().anyMatch(cp -> cp >= 0x800 && cp < 0x10000);
      surrogatePair |= text.codePoints().anyMatch(cp -> cp >= 0x10000);
      escaped |= text.contains("\\\\") && text.contains("\\\"") && text.contains("\\n");
      unicodeEscaped |= text.contains("\\u");
      stamped |= c.sentNanos() != null;
      unstamped |= c.sentNanos() == null;
      completionsText |= text.contains("\"text\":") && c.kind() == ChunkKind.CONTENT;
      skippedNested |= text.contains("\"logprobs\":{");
      reasoningContent |= text.contains("\"reasoning_content\":") && c.reasoningChars() > 0;
      reasoning |= text.contains("\"reasoning\":") && c.reasoningChars() > 0;
    }
    assertThat(kinds).contains(ChunkKind.ROLE, ChunkKind.CONTENT, ChunkKind.REASONING);
    assertThat(twoBytes).as("2-byte UTF-8 text").isTrue();
    assertThat(threeBytes).as("3-byte UTF-8 text").isTrue();
    assertThat(reasoningContent && reasoning).as("reasoning text under both names").isTrue();
    assertThat(surrogatePair).as("4-byte UTF-8 text").isTrue();
    assertThat(escaped).as("escapes").isTrue();
    assertThat(unicodeEscaped).as("unicode escapes").isTrue();
    assertThat(stamped && unstamped).as("with and without a send stamp").isTrue();
    assertThat(completionsText).as("the completions endpoint's text").isTrue();
    assertThat(skippedNested).as("nested values the reader skips").isTrue();
  }

  @Test
  void theClientReadsAWholeAnswerUnderEveryHead() throws Exception {
    byte[][] events = LoopbackStreams.ENGINE_EVENTS;
    byte[][] heads = LoopbackStreams.HEADS_KEEP_ALIVE;
    try (LoopbackStreams loopback =
        LoopbackStreams.open(
            "loopback-heads-test",
            heads.length,
            server -> {
              try {
                for (byte[] head : heads) {
                  try (SocketChannel ch = server.accept()) {
                    LoopbackStreams.readRequest(ch);
                    LoopbackStreams.write(ch, head);
                    for (byte[] e : events) {
                      LoopbackStreams.write(ch, e);
                    }
                    LoopbackStreams.write(ch, LoopbackStreams.tail(events.length));
                  }
                }
              } catch (IOException e) {
                // the test is over
              }
            },
            1)) {
      // All started at once: each on a connection of its own, answered in turn.
      List<CompletableFuture<RequestTrace>> answers = new ArrayList<>();
      for (int i = 0; i < heads.length; i++) {
        answers.add(loopback.start(i));
      }
      for (int i = 0; i < heads.length; i++) {
        RequestTrace t = answers.get(i).join();
        assertThat(t.ok()).as("answer %d: %s", i, t.failure()).isTrue();
        // The events, then the finish, the usage and [DONE].
        assertThat(t.events().size()).isEqualTo(events.length + 3);
        // The end is llama.cpp's, every field of its usage and timings read.
        assertThat(t.usage()).isEqualTo(new Usage(34, events.length, events.length + 34, null, 33));
        assertThat(t.serverTimings())
            .isEqualTo(new ServerTimings(1, 2.654, events.length, 44.061, 33, 703.5700506116519));
      }
    }
  }

  /** Each event's JSON, out of its HTTP chunk and SSE framing. */
  private static List<byte[]> payloads() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] chunk : LoopbackStreams.ENGINE_EVENTS) {
      String s = new String(chunk, StandardCharsets.UTF_8);
      int from = s.indexOf("data: ") + "data: ".length();
      int to = s.indexOf("\n\n", from);
      out.add(s.substring(from, to).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(out).hasSizeGreaterThan(10);
    return out;
  }
}
