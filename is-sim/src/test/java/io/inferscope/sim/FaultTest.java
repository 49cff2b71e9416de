package io.inferscope.sim;

import static io.inferscope.sim.Json.choice;
import static io.inferscope.sim.Json.delta;
import static io.inferscope.sim.Json.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.sim.SimConfig.Fault;
import io.inferscope.sim.SimConfig.RoleChunk;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each fault lands on exactly the requests it should, in the shape it should. */
class FaultTest {

  private static final String STREAM =
      "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

  private HttpClient client;
  private SimEngine engine;

  @BeforeEach
  void setUp() {
    client = SseStream.client();
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    client.close();
  }

  /** Starts the engine under test; {@link CapacityFaultTest} runs these tests with slots. */
  SimEngine startEngine(SimConfig config) throws IOException {
    return SimEngine.start(config);
  }

  private String start(Fault fault) throws Exception {
    engine =
        startEngine(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(2), Duration.ofMillis(1), Duration.ZERO)
                .withOutputTokens(5)
                .withShape(RoleChunk.NULL_CONTENT, 1, 0, true)
                .withFault(fault, 2, 2));
    return engine.baseUrl() + "/v1/chat/completions";
  }

  /** Sends four streams one after another; only the second and fourth are faulted. */
  private List<SseStream> fourRequests(Fault fault) throws Exception {
    String url = start(fault);
    List<SseStream> streams = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      streams.add(SseStream.read(client, url, STREAM));
    }
    for (int i : new int[] {0, 2}) {
      SseStream healthy = streams.get(i);
      assertThat(healthy.status()).as("request %d", i + 1).isEqualTo(200);
      assertThat(healthy.failure()).as("request %d", i + 1).isNull();
      assertThat(healthy.endedWithDone()).as("request %d", i + 1).isTrue();
      assertThat(healthy.events()).as("request %d", i + 1).hasSize(1 + 5 + 2);
    }
    assertThat(engine.requestsReceived()).isEqualTo(4);
    return List.of(streams.get(1), streams.get(3));
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"HTTP_503", "HTTP_500"})
  void httpErrorsAnswerWithAJsonErrorBody(Fault fault) throws Exception {
    int status = fault == Fault.HTTP_503 ? 503 : 500;
    for (SseStream faulted : fourRequests(fault)) {
      assertThat(faulted.status()).isEqualTo(status);
      assertThat(faulted.headers().firstValue("content-type"))
          .hasValue("application/json; charset=utf-8");
      assertThat(faulted.lines()).hasSize(1);
      Map<String, Object> error =
          object(Json.object(faulted.lines().getFirst().text()).get("error"));
      assertThat(error.get("code")).isEqualTo((long) status);
      assertThat(error.get("type"))
          .isEqualTo(fault == Fault.HTTP_503 ? "unavailable_error" : "server_error");
      assertThat(error.get("message")).isInstanceOf(String.class);
    }
  }

  @Test
  void errorEventEndsTheStreamWithoutDone() throws Exception {
    for (SseStream faulted : fourRequests(Fault.ERROR_EVENT)) {
      assertThat(faulted.status()).isEqualTo(200);
      assertThat(faulted.failure()).isNull(); // the body ends cleanly
      assertThat(faulted.endedWithDone()).isFalse();
      List<Map<String, Object>> events = faulted.events();
      assertThat(events).hasSize(1 + 2 + 1);
      assertThat(delta(events.get(1))).containsKey("content");
      assertThat(delta(events.get(2))).containsKey("content");
      assertThat(events.getLast())
          .isEqualTo(
              Map.of(
                  "error",
                  Map.of(
                      "code",
                      500L,
                      "message",
                      "simulated engine failure",
                      "type",
                      "server_error")));
    }
  }

  @Test
  void truncateEndsTheBodyAbruptlyAfterTheTokens() throws Exception {
    for (SseStream faulted : fourRequests(Fault.TRUNCATE)) {
      assertThat(faulted.status()).isEqualTo(200);
      assertThat(faulted.failure()).isNotNull(); // the chunked body never ended properly
      assertThat(faulted.endedWithDone()).isFalse();
      List<Map<String, Object>> events = faulted.events();
      assertThat(events).hasSize(1 + 2);
      assertThat(events).noneMatch(e -> choice(e).get("finish_reason") != null);
    }
  }

  @Test
  void aTruncatedStreamDeliversEveryByteWrittenThenEndsWithFin() throws Exception {
    start(Fault.TRUNCATE);
    try (RawHttp http = new RawHttp(engine.port())) {
      http.send(RawHttp.post("/v1/chat/completions", "{\"stream\":true}"));
      assertThat(http.read().chunks()).hasSize(1 + 5 + 1 + 1); // the first request is whole
      http.send(RawHttp.post("/v1/chat/completions", "{\"stream\":true}"));

      // A reset instead of a clean end would fail this read (and could discard the events).
      String truncated = http.readToEnd();

      assertThat(truncated).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("[DONE]");
      String body = truncated.substring(truncated.indexOf("\r\n\r\n") + 4);
      assertThat(body.split("data: ", -1)).as(body).hasSize(1 + 1 + 2);
      assertThat(body).endsWith("\n\n\r\n").doesNotContain("\r\n0\r\n");
    }
  }

  @Test
  void malformedChunkIsFollowedByTheRestOfTheStream() throws Exception {
    for (SseStream faulted : fourRequests(Fault.MALFORMED_JSON)) {
      assertThat(faulted.failure()).isNull();
      assertThat(faulted.endedWithDone()).isTrue();
      List<String> data = faulted.data().stream().map(SseStream.Line::text).toList();
      assertThat(data).hasSize(1 + 5 + 1 + 2 + 1);
      assertThat(data.get(3)).isEqualTo("{\"choices\":[{\"delta\":{\"content\":\"x\"");
      List<String> valid = new ArrayList<>(data);
      valid.remove(3);
      valid.removeLast();
      valid.forEach(Json::object);
    }
  }

  @Test
  void stallHoldsTheStreamOpenUntilTheEngineCloses() throws Exception {
    String url = start(Fault.STALL);

    SseStream first = SseStream.read(client, url, STREAM);
    SseStream stalled = SseStream.open(client, url, STREAM);
    // Role chunk and the two tokens before the stall.
    stalled.awaitEvents(3);
    SseStream third = SseStream.read(client, url, STREAM);
    SseStream stalledToo = SseStream.open(client, url, STREAM);
    stalledToo.awaitEvents(3);
    assertThat(stalled.silentFor(Duration.ofMillis(200))).isTrue();

    engine.close();
    // close() waits for every connection thread, a few seconds at most: none is left, so it woke
    // the stalled streams rather than waiting them out.
    assertThat(engine.openConnections()).isZero();
    stalled.awaitEnd();
    stalledToo.awaitEnd();

    assertThat(first.endedWithDone()).isTrue();
    assertThat(third.endedWithDone()).isTrue();
    for (SseStream stream : List.of(stalled, stalledToo)) {
      assertThat(stream.endedWithDone()).isFalse();
      assertThat(stream.events()).hasSize(3);
    }
  }

  @Test
  void wholeResponsesAreFaultedToo() throws Exception {
    String url = start(Fault.ERROR_EVENT);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(
          client
              .send(SseStream.post(url, "{\"stream\":false}"), HttpResponse.BodyHandlers.ofString())
              .statusCode());
    }
    assertThat(statuses).containsExactly(200, 500, 200, 500);
  }

  @Test
  void faultCountIncludesStreamedAndWholeRequests() throws Exception {
    String url = start(Fault.HTTP_503);

    int whole =
        client.send(SseStream.post(url, "{}"), HttpResponse.BodyHandlers.ofString()).statusCode();
    SseStream streamed = SseStream.read(client, url, STREAM);

    assertThat(whole).isEqualTo(200);
    assertThat(streamed.status()).isEqualTo(503);
  }
}
