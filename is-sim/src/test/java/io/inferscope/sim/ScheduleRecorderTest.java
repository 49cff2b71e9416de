package io.inferscope.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.sim.SimConfig.RoleChunk;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The engine's own account of how late it wrote its events against its schedule, and of each
 * stream's time to first token.
 */
class ScheduleRecorderTest {

  private static final long MS = 1_000_000;

  @Test
  void aPromptReaderHasEveryEventBookedAndLittleLateness() throws Exception {
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(20), Duration.ofMillis(5), Duration.ZERO)
            .withOutputTokens(20);
    try (SimEngine engine = SimEngine.start(config);
        HttpClient client = SseStream.client()) {
      // The window starts empty and a DELETE ends it.
      assertThat(schedule(engine, "GET").events()).isZero();
      SseStream stream =
          SseStream.read(client, engine.baseUrl() + "/v1/chat/completions", "{\"stream\":true}");

      assertThat(stream.endedWithDone()).isTrue();
      // The engine books a write once it has returned, which can be just after the client has
      // read it: wait for the last booking (bounded) before closing the window.
      long until = System.nanoTime() + 10_000_000_000L;
      while (schedule(engine, "GET").events() < stream.data().size() && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      ScheduleReport report = schedule(engine, "DELETE");
      // Role, 20 text chunks, finish and [DONE]: every event the client read was booked.
      assertThat(report.events()).isEqualTo(stream.data().size()).isEqualTo(23);
      assertThat(report.lateness().p50Nanos()).isNotNull().isGreaterThanOrEqualTo(0);
      assertThat(report.lateness().p99Nanos()).isGreaterThanOrEqualTo(report.lateness().p50Nanos());
      assertThat(report.lateness().maxNanos()).isGreaterThanOrEqualTo(report.lateness().p99Nanos());
      // Far below the stall of the other test: nothing held the writes back.
      assertThat(report.lateness().maxNanos()).isLessThan(STALL_MILLIS * MS);
      assertThat(schedule(engine, "GET"))
          .as("the DELETE started a new window")
          .extracting(ScheduleReport::lateness, ScheduleReport::ttft)
          .containsExactly(ScheduleReport.Spread.NONE, ScheduleReport.Spread.NONE);
      // The engine's JVM tells how long its compilers worked in the window.
      assertThat(report.jitMillis()).isNotNull().isNotNegative();
    }
  }

  private static final long STALL_MILLIS = 300;

  @Test
  void eachStreamsFirstTokenIsBookedBetweenItsScheduleAndWhatTheClientSaw() throws Exception {
    long ttftNanos = 20 * MS;
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ofNanos(ttftNanos), Duration.ofMillis(5), Duration.ZERO)
            .withOutputTokens(4);
    try (SimEngine engine = SimEngine.start(config);
        HttpClient client = SseStream.client()) {
      long clientTtftMax = 0;
      for (int i = 0; i < 2; i++) {
        SseStream stream =
            SseStream.read(
                client,
                engine.baseUrl() + "/v1/completions",
                "{\"stream\":true,\"prompt\":\"hi\"}");
        assertThat(stream.endedWithDone()).isTrue();
        // No role chunk on completions: the first event is the first token.
        clientTtftMax =
            Math.max(clientTtftMax, stream.data().getFirst().receivedNanos() - stream.sentNanos());
      }
      // Booked once the write has returned, which can be just after the client read it.
      long until = System.nanoTime() + 10_000_000_000L;
      while (schedule(engine, "GET").ttft().count() < 2 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      ScheduleReport.Spread ttft = schedule(engine, "DELETE").ttft();

      assertThat(ttft.count()).isEqualTo(2);
      // The max is exact: no first token before it was due, and none after the client had it
      // (the engine's clock starts when the request is read, the client's before it is sent).
      assertThat(ttft.maxNanos()).isBetween(ttftNanos, clientTtftMax);
      assertThat(ttft.p50Nanos()).isLessThanOrEqualTo(ttft.p99Nanos());
      assertThat(schedule(engine, "GET").ttft()).isEqualTo(ScheduleReport.Spread.NONE);
    }
  }

  @Test
  void aReaderThatStopsMakesTheEngineLate() throws Exception {
    // All tokens due at arrival, and far more bytes than the socket buffers hold: the last writes
    // can only return after the client reads again.
    int tokens = 100_000;
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO)
            .withShape(RoleChunk.NONE, 1, 0, false)
            .withOutputTokens(tokens);
    try (SimEngine engine = SimEngine.start(config);
        Socket socket = new Socket()) {
      socket.setReceiveBufferSize(8192);
      socket.connect(new InetSocketAddress("127.0.0.1", engine.port()));
      socket.setSoTimeout(30_000);
      String body = "{\"stream\":true}";
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      int first = in.read();
      // The engine had read the request before it answered: everything was due by now.
      long answeredNanos = System.nanoTime();
      assertThat(first).isEqualTo('H');
      Thread.sleep(STALL_MILLIS);
      long resumedNanos = System.nanoTime();
      long bytes = 1 + in.transferTo(OutputStream.nullOutputStream());

      assertThat(bytes).isGreaterThan(8L << 20);
      // The last writes are booked as they return, which can follow the client's read: wait for
      // them (bounded), then the count must be exact.
      long until = System.nanoTime() + 10_000_000_000L;
      while (schedule(engine, "GET").events() < tokens + 2 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      ScheduleReport report = schedule(engine, "GET");
      assertThat(report.events()).isEqualTo(tokens + 2); // text, finish, [DONE]
      assertThat(report.lateness().maxNanos()).isGreaterThanOrEqualTo(resumedNanos - answeredNanos);
    }
  }

  @Test
  void otherMethodsAreRefused() throws Exception {
    try (SimEngine engine = SimEngine.start(SimConfig.defaults());
        RawHttp http = new RawHttp(engine.port())) {
      http.send(RawHttp.post(ScheduleReport.PATH, "{}"));
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.headers().get("allow")).isEqualTo("GET, DELETE");
    }
  }

  @Test
  void reportsSurviveTheirJson() {
    ScheduleReport some =
        new ScheduleReport(
            new ScheduleReport.Spread(7, 1_000L, 52_000L, 9_000_000L),
            new ScheduleReport.Spread(2, 20_100_000L, 20_400_000L, 20_400_000L),
            37L);
    ScheduleReport none =
        new ScheduleReport(ScheduleReport.Spread.NONE, ScheduleReport.Spread.NONE, null);

    assertThat(ScheduleReport.parse(some.toJson())).isEqualTo(some);
    assertThat(ScheduleReport.parse(none.toJson())).isEqualTo(none);
    assertThatThrownBy(() -> ScheduleReport.parse("{\"status\":\"ok\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    // A report without the first tokens' spread is not read as one with none.
    assertThatThrownBy(
            () ->
                ScheduleReport.parse(
                    "{\"events\":1,\"lateness_ns\":{\"p50\":1,\"p99\":1,\"max\":1}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no first_tokens");
    String good = some.toJson();
    // Each defect named: a missing count, figures with no values, figures out of order, a number
    // past a long.
    assertThatThrownBy(() -> ScheduleReport.parse(good.replace("\"events\":7", "\"evts\":7")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no events");
    assertThatThrownBy(() -> ScheduleReport.parse(good.replace("\"events\":7", "\"events\":0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null exactly when there are no values");
    assertThatThrownBy(() -> ScheduleReport.parse(good.replace("\"p50\":1000,", "\"p50\":60000,")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p50 ≤ p99 ≤ max");
    assertThatThrownBy(
            () ->
                ScheduleReport.parse(
                    good.replace("\"jit_ms\":37", "\"jit_ms\":99999999999999999999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void bucketsHoldTheirValuesWithinTheirStatedShare() {
    ScheduleRecorder recorder = new ScheduleRecorder();
    for (long v = 1; v < 1L << 40; v = v * 3 + 1) {
      long lateness =
          ScheduleRecorder.bucketValue(
              ScheduleRecorder.bucket(v, ScheduleRecorder.LATENESS_SUB_BITS),
              ScheduleRecorder.LATENESS_SUB_BITS);
      long ttft =
          ScheduleRecorder.bucketValue(
              ScheduleRecorder.bucket(v, ScheduleRecorder.TTFT_SUB_BITS),
              ScheduleRecorder.TTFT_SUB_BITS);
      assertThat((double) Math.abs(lateness - v)).as("value %d", v).isLessThanOrEqualTo(v * 0.016);
      assertThat((double) Math.abs(ttft - v)).as("value %d", v).isLessThanOrEqualTo(v * 0.002);
      recorder.record(v);
    }
    recorder.record(-5);
    recorder.firstToken(20 * MS);
    ScheduleReport report = recorder.reset();
    assertThat(report.lateness().maxNanos()).isEqualTo(423_644_304_721L);
    assertThat(report.ttft().count()).isEqualTo(1);
    assertThat(report.ttft().maxNanos()).isEqualTo(20 * MS);
    assertThat((double) report.ttft().p50Nanos())
        .isCloseTo(20 * MS, org.assertj.core.api.Assertions.withinPercentage(0.2));
    assertThat(recorder.report().lateness()).isEqualTo(ScheduleReport.Spread.NONE);
    assertThat(recorder.report().ttft()).isEqualTo(ScheduleReport.Spread.NONE);
  }

  private static ScheduleReport schedule(SimEngine engine, String method) throws Exception {
    try (RawHttp http = new RawHttp(engine.port())) {
      http.send(method + " " + ScheduleReport.PATH + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("content-type")).startsWith("application/json");
      return ScheduleReport.parse(r.body());
    }
  }
}
