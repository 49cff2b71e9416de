package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.RunClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseBodyTest {
  private final RunClock clock = RunClock.startNow();

  /**
   * The events of {@code stream}, which must be the same whether its bytes arrive at once, one by
   * one, or in pieces of every size up to 7: a line may span any number of reads.
   */
  private List<SseEvent> read(String stream) throws IOException {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    List<SseEvent> whole = readInPieces(bytes, bytes.length);
    for (int piece = 1; piece <= 7; piece++) {
      assertThat(readInPieces(bytes, piece))
          .as("in pieces of %d bytes", piece)
          .usingRecursiveFieldByFieldElementComparatorIgnoringFields("atNanos")
          .isEqualTo(whole);
    }
    return whole;
  }

  private List<SseEvent> readInPieces(byte[] bytes, int piece) {
    List<SseEvent> out = new ArrayList<>();
    SseBody body =
        new SseBody(
            ev -> {
              out.add(copy(ev));
              return true;
            });
    for (int i = 0; i < bytes.length; i += piece) {
      byte[] part = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece));
      body.feed(part, 0, part.length, clock.nowNanos());
    }
    body.end(clock.nowNanos());
    return out;
  }

  /** The event with its data copied out of the reader's buffer, which the next event reuses. */
  private static SseEvent copy(SseEvent ev) {
    byte[] data =
        ev.data() == null
            ? null
            : java.util.Arrays.copyOfRange(
                ev.data(), ev.dataOffset(), ev.dataOffset() + ev.dataLength());
    return new SseEvent(ev.atNanos(), ev.type(), data, 0, ev.dataLength(), ev.comment());
  }

  private static String data(SseEvent ev) {
    return ev.data() == null
        ? null
        : new String(ev.data(), ev.dataOffset(), ev.dataLength(), StandardCharsets.UTF_8);
  }

  @Test
  void dataWithAndWithoutSpace() throws IOException {
    List<SseEvent> evs = read("data: {\"a\":1}\n\ndata:{\"b\":2}\n\n");
    assertThat(evs).extracting(SseBodyTest::data).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void onlyOneLeadingSpaceIsDropped() throws IOException {
    assertThat(read("data:  x\n\n")).extracting(SseBodyTest::data).containsExactly(" x");
  }

  @Test
  void multiLineDataIsJoinedWithNewlines() throws IOException {
    List<SseEvent> evs = read("data: {\"a\":\ndata: 1}\ndata:\n\ndata: next\n\n");
    assertThat(evs).extracting(SseBodyTest::data).containsExactly("{\"a\":\n1}\n", "next");
  }

  @Test
  void eventTypeIdAndUnknownFields() throws IOException {
    List<SseEvent> evs = read("event: error\nid: 7\nretry: 10\nfoo: bar\ndata: {}\n\ndata: {}\n\n");
    assertThat(evs).hasSize(2);
    assertThat(evs.get(0).type()).isEqualTo("error");
    assertThat(data(evs.get(0))).isEqualTo("{}");
    assertThat(evs.get(1).type()).isNull();
  }

  @Test
  void commentLinesMakeAKeepAliveEvent() throws IOException {
    List<SseEvent> evs = read(": ping\n\n:\n\ndata: x\n: inside\n\n");
    assertThat(evs).hasSize(3);
    assertThat(evs.get(0).hasData()).isFalse();
    assertThat(evs.get(0).comment()).isTrue();
    assertThat(evs.get(1).comment()).isTrue();
    assertThat(data(evs.get(2))).isEqualTo("x");
  }

  @Test
  void crlfLineEndings() throws IOException {
    List<SseEvent> evs = read("data: a\r\n\r\ndata: b\r\ndata: c\r\n\r\n");
    assertThat(evs).extracting(SseBodyTest::data).containsExactly("a", "b\nc");
  }

  @Test
  void lastEventWithoutBlankLineIsDispatchedAtEof() throws IOException {
    assertThat(read("data: a\n\ndata: [DONE]"))
        .extracting(SseBodyTest::data)
        .containsExactly("a", "[DONE]");
    assertThat(read("data: a\n\ndata: [DONE]\n"))
        .extracting(SseBodyTest::data)
        .containsExactly("a", "[DONE]");
  }

  @Test
  void extraBlankLinesDispatchNothing() throws IOException {
    assertThat(read("\n\n\ndata: a\n\n\n\n")).hasSize(1);
    assertThat(read("")).isEmpty();
  }

  @Test
  void fieldWithoutColonIsAnEmptyValue() throws IOException {
    List<SseEvent> evs = read("data\n\n");
    assertThat(evs).hasSize(1);
    assertThat(evs.get(0).hasData()).isTrue();
    assertThat(evs.get(0).dataLength()).isZero();
  }

  @Test
  void dataSurvivesTheLinesReadAfterItBeforeDispatch() throws IOException {
    List<SseEvent> evs =
        read("data: first\nid: 7\n: comment\nretry: 10\ndata: second\nevent: x\n\ndata: 3\n\n");
    assertThat(evs).extracting(SseBodyTest::data).containsExactly("first\nsecond", "3");
  }

  @Test
  void aHugeEventThenSmallOnesAllRead() throws IOException {
    String huge = "y".repeat(200_000);
    List<SseEvent> evs = read("data: a\n\ndata: " + huge + "\n\ndata: b\n\ndata: c\n\n");
    assertThat(evs).extracting(SseBodyTest::data).containsExactly("a", huge, "b", "c");
  }

  @Test
  void byteOrderMarkIsSkipped() throws IOException {
    assertThat(read("\uFEFFdata: a\n\n")).extracting(SseBodyTest::data).containsExactly("a");
  }

  @Test
  void eachEventIsStampedWithTheReadThatCompletedIt() {
    List<SseEvent> out = new ArrayList<>();
    SseBody body =
        new SseBody(
            ev -> {
              out.add(copy(ev));
              return true;
            });
    feed(body, "data: a\n", 100);
    feed(body, "\ndata: b\n\nda", 200);
    feed(body, "ta: c\n\n", 300);
    assertThat(out).extracting(SseEvent::atNanos).containsExactly(200L, 200L, 300L);
    assertThat(out).extracting(SseBodyTest::data).containsExactly("a", "b", "c");
  }

  private static void feed(SseBody body, String text, long atNanos) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    body.feed(b, 0, b.length, atNanos);
  }

  @Test
  void nothingIsReadAfterTheSinkWantsNoMore() {
    List<String> seen = new ArrayList<>();
    SseBody body =
        new SseBody(
            ev -> {
              seen.add(data(copy(ev)));
              return seen.size() < 2;
            });
    byte[] b = "data: a\n\ndata: b\n\ndata: c\n\n".getBytes(StandardCharsets.UTF_8);
    assertThat(body.feed(b, 0, b.length, 1)).isFalse();
    assertThat(body.feed(b, 0, b.length, 2)).isFalse();
    body.end(3);
    assertThat(seen).containsExactly("a", "b");
    assertThat(body.stopped()).isTrue();
  }

  @Test
  void aLineOverTheLimitFails() {
    byte[] b = ("data: " + "x".repeat(100) + "\n\n").getBytes(StandardCharsets.UTF_8);
    SseBody body = new SseBody(ev -> true, 64);
    assertThatThrownBy(() -> body.feed(b, 0, b.length, 1))
        .isInstanceOf(SseBody.LineTooLongException.class)
        .hasMessage("a line of the stream exceeds 64 bytes");
  }

  @Test
  void readsCapturedStreamsEventByEvent() throws IOException {
    String s = new String(Fixtures.bytes("chat-stream-usage.txt"), StandardCharsets.UTF_8);
    List<SseEvent> evs = read(s);
    assertThat(evs).hasSize(36);
    assertThat(data(evs.getLast())).isEqualTo("[DONE]");
  }
}
