package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.RunClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private final RunClock clock = RunClock.startNow();

  private List<SseEvent> read(String stream) throws IOException {
    Buffer buf = new Buffer().writeUtf8(stream);
    SseReader reader = new SseReader(new OkioLineSource(buf), clock);
    List<SseEvent> out = new ArrayList<>();
    SseEvent ev;
    while ((ev = reader.next()) != null) {
      out.add(copy(ev));
    }
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
    assertThat(evs).extracting(SseReaderTest::data).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void onlyOneLeadingSpaceIsDropped() throws IOException {
    assertThat(read("data:  x\n\n")).extracting(SseReaderTest::data).containsExactly(" x");
  }

  @Test
  void multiLineDataIsJoinedWithNewlines() throws IOException {
    List<SseEvent> evs = read("data: {\"a\":\ndata: 1}\ndata:\n\ndata: next\n\n");
    assertThat(evs).extracting(SseReaderTest::data).containsExactly("{\"a\":\n1}\n", "next");
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
    assertThat(evs).extracting(SseReaderTest::data).containsExactly("a", "b\nc");
  }

  @Test
  void lastEventWithoutBlankLineIsDispatchedAtEof() throws IOException {
    assertThat(read("data: a\n\ndata: [DONE]"))
        .extracting(SseReaderTest::data)
        .containsExactly("a", "[DONE]");
    assertThat(read("data: a\n\ndata: [DONE]\n"))
        .extracting(SseReaderTest::data)
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
    assertThat(evs).extracting(SseReaderTest::data).containsExactly("first\nsecond", "3");
  }

  @Test
  void aHugeEventThenSmallOnesAllRead() throws IOException {
    String huge = "y".repeat(200_000);
    List<SseEvent> evs = read("data: a\n\ndata: " + huge + "\n\ndata: b\n\ndata: c\n\n");
    assertThat(evs).extracting(SseReaderTest::data).containsExactly("a", huge, "b", "c");
  }

  @Test
  void byteOrderMarkIsSkipped() throws IOException {
    assertThat(read("\uFEFFdata: a\n\n")).extracting(SseReaderTest::data).containsExactly("a");
  }

  @Test
  void eachEventIsStampedWhenItsBlankLineIsRead() throws IOException {
    List<String> lines = List.of("data: a", "", ": c", "data: b", "");
    List<Long> readAt = new ArrayList<>();
    LineSource src =
        new LineSource() {
          int i;
          byte[] current;

          @Override
          public int readLine() {
            if (i == lines.size()) {
              return -1;
            }
            readAt.add(clock.nowNanos());
            current = lines.get(i++).getBytes(StandardCharsets.UTF_8);
            return current.length;
          }

          @Override
          public byte[] line() {
            return current;
          }
        };
    SseReader reader = new SseReader(src, clock);
    SseEvent a = reader.next();
    long afterA = clock.nowNanos();
    SseEvent b = reader.next();
    assertThat(reader.next()).isNull();
    assertThat(a.atNanos()).isGreaterThanOrEqualTo(readAt.get(1)).isLessThanOrEqualTo(afterA);
    assertThat(b.atNanos()).isGreaterThanOrEqualTo(readAt.get(4));
    assertThat(b.atNanos()).isGreaterThan(a.atNanos());
  }

  @Test
  void aLineOverTheLimitFails() {
    Buffer buf = new Buffer().writeUtf8("data: " + "x".repeat(100) + "\n\n");
    SseReader reader = new SseReader(new OkioLineSource(buf, 64), clock);
    assertThatThrownBy(reader::next).isInstanceOf(OkioLineSource.LineTooLongException.class);
  }

  @Test
  void readsCapturedStreamsEventByEvent() throws IOException {
    String s = new String(Fixtures.bytes("chat-stream-usage.txt"), StandardCharsets.UTF_8);
    List<SseEvent> evs = read(s);
    assertThat(evs).hasSize(36);
    assertThat(data(evs.getLast())).isEqualTo("[DONE]");
  }
}
