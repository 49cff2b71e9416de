package io.inferscope.sim;

import static io.inferscope.sim.Json.choice;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.sim.SimConfig.RoleChunk;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulated timeline. Lower bounds are tight (the engine must never be early); upper bounds are
 * loose, since a loaded CI machine may be late by a lot.
 */
class TimingTest {

  private static final long MS = 1_000_000;
  private static final long LATE_SLACK_NANOS = 3_000 * MS;

  private static SimConfig timed() {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(100), Duration.ofMillis(20), Duration.ZERO)
        .withOutputTokens(10);
  }

  /** Starts the engine under test; {@link CapacityTimingTest} runs these tests with slots. */
  SimEngine startEngine(SimConfig config) throws IOException {
    return SimEngine.start(config);
  }

  @Test
  void tokensArriveOnSchedule() throws Exception {
    try (SimEngine engine = startEngine(timed());
        HttpClient client = SseStream.client()) {
      SseStream stream =
          SseStream.read(client, engine.baseUrl() + "/v1/chat/completions", "{\"stream\":true}");

      assertThat(stream.endedWithDone()).isTrue();
      List<SseStream.Line> data = stream.data();
      // Role chunk, 10 text chunks, finish chunk, [DONE].
      assertThat(data).hasSize(13);
      SseStream.Line role = data.get(0);
      List<SseStream.Line> text = data.subList(1, 11);
      assertThat(role.receivedNanos()).isLessThan(text.getFirst().receivedNanos());
      for (int i = 0; i < text.size(); i++) {
        long dueNanos = (100 + 20L * i) * MS;
        long afterSendNanos = text.get(i).receivedNanos() - stream.sentNanos();
        assertThat(afterSendNanos).as("token %d", i).isGreaterThanOrEqualTo(dueNanos);
        assertThat(afterSendNanos).as("token %d", i).isLessThan(dueNanos + LATE_SLACK_NANOS);
      }
      assertThat(text.getLast().receivedNanos() - stream.sentNanos())
          .isGreaterThanOrEqualTo(280 * MS);
    }
  }

  @Test
  void groupedChunksGoOutWithTheirLastToken() throws Exception {
    SimConfig config = timed().withShape(RoleChunk.NONE, 4, 0, false);
    try (SimEngine engine = startEngine(config);
        HttpClient client = SseStream.client()) {
      SseStream stream =
          SseStream.read(client, engine.baseUrl() + "/v1/completions", "{\"stream\":true}");

      List<SseStream.Line> data = stream.data();
      assertThat(data).hasSize(3 + 1 + 1);
      long[] lastTokenDueMs = {100 + 3 * 20, 100 + 7 * 20, 100 + 9 * 20};
      for (int i = 0; i < 3; i++) {
        assertThat(data.get(i).receivedNanos() - stream.sentNanos())
            .as("chunk %d", i)
            .isGreaterThanOrEqualTo(lastTokenDueMs[i] * MS);
      }
    }
  }

  @Test
  void wholeResponseComesAfterTheWholeTimeline() throws Exception {
    try (SimEngine engine = startEngine(timed());
        HttpClient client = SseStream.client()) {
      long sentNanos = System.nanoTime();
      HttpResponse<String> response =
          client.send(
              SseStream.post(engine.baseUrl() + "/v1/chat/completions", "{}"),
              HttpResponse.BodyHandlers.ofString());
      long elapsedNanos = System.nanoTime() - sentNanos;

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(choice(Json.object(response.body())).get("finish_reason")).isEqualTo("stop");
      assertThat(elapsedNanos).isBetween(280 * MS, 280 * MS + LATE_SLACK_NANOS);
    }
  }

  @Test
  void stampsLieBetweenSendAndReceipt() throws Exception {
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(5), Duration.ofMillis(2), Duration.ZERO)
            .withOutputTokens(6)
            .withStampMonotonic(true);
    try (SimEngine engine = startEngine(config);
        HttpClient client = SseStream.client()) {
      SseStream stream =
          SseStream.read(
              client,
              engine.baseUrl() + "/v1/chat/completions",
              "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

      assertThat(stream.endedWithDone()).isTrue();
      List<SseStream.Line> data = stream.data();
      assertThat(data).hasSize(1 + 6 + 2 + 1);
      long previousStamp = Long.MIN_VALUE;
      for (SseStream.Line line : data.subList(0, data.size() - 1)) {
        Map<String, Object> event = Json.object(line.text());
        assertThat(event.get("x_inferscope_sent_ns")).isInstanceOf(Long.class);
        long stamp = (Long) event.get("x_inferscope_sent_ns");
        assertThat(stamp).isBetween(stream.sentNanos(), line.receivedNanos());
        assertThat(stamp).isGreaterThanOrEqualTo(previousStamp);
        previousStamp = stamp;
      }
    }
  }

  @Test
  void withoutStampingThereIsNoStampField() throws Exception {
    try (SimEngine engine =
            startEngine(timed().withTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO));
        HttpClient client = SseStream.client()) {
      SseStream stream =
          SseStream.read(client, engine.baseUrl() + "/v1/chat/completions", "{\"stream\":true}");

      assertThat(stream.events()).hasSize(12).noneMatch(e -> e.containsKey("x_inferscope_sent_ns"));
    }
  }

  @Test
  void jitterVariesGapsWithinBoundsAndRepeatsPerSeed() {
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(4));
    TokenSchedule first = TokenSchedule.plan(config, 200, 3);
    TokenSchedule again = TokenSchedule.plan(config, 200, 3);
    TokenSchedule otherRequest = TokenSchedule.plan(config, 200, 4);

    assertThat(first.dueNanos(0)).isEqualTo(50 * MS);
    boolean varied = false;
    boolean differs = false;
    for (int i = 1; i < 200; i++) {
      long gap = first.dueNanos(i) - first.dueNanos(i - 1);
      assertThat(gap).isBetween(6 * MS, 14 * MS);
      varied |= gap != 10 * MS;
      differs |= otherRequest.dueNanos(i) != first.dueNanos(i);
      assertThat(again.dueNanos(i)).isEqualTo(first.dueNanos(i));
    }
    assertThat(varied).isTrue();
    assertThat(differs).isTrue();
    assertThat(first.endNanos()).isEqualTo(first.dueNanos(199));
    assertThat(first.decodeNanos()).isEqualTo(first.dueNanos(199) - 50 * MS);
  }
}
