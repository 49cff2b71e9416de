package io.inferscope.sim;

import static io.inferscope.sim.Json.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The capacity model over loopback HTTP: slots, the queue, prefill and step growth. Assertions are
 * about order and causality, and lower bounds (the engine is never early); none bounds how fast a
 * busy host runs.
 */
class CapacityTest {

  private static final long MS = 1_000_000;
  private static final String CHAT = "/v1/chat/completions";
  private static final String STREAM =
      "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

  /** Long enough that a request holds its slot for the whole test. */
  private static final int ENDLESS = 100_000;

  private HttpClient client;
  private SimEngine engine;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void setUp() {
    client = SseStream.client();
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (engine != null) {
      engine.close();
    }
    client.close();
  }

  private String start(SimConfig config) throws IOException {
    engine = SimEngine.start(config);
    return engine.baseUrl() + CHAT;
  }

  private static SimConfig timed(long ttftMillis, long itlMillis, int tokens) {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(ttftMillis), Duration.ofMillis(itlMillis), Duration.ZERO)
        .withOutputTokens(tokens);
  }

  /** Opens a stream and waits for its role chunk: the engine has admitted it (slot or queue). */
  private SseStream admitted(String url, String body) {
    SseStream stream = SseStream.open(client, url, body);
    stream.awaitEvents(1);
    return stream;
  }

  /** When the client received text token {@code index} (after the role chunk). */
  private static long tokenNanos(SseStream stream, int index) {
    return stream.data().get(1 + index).receivedNanos();
  }

  private static void assertComplete(SseStream stream, int tokens) {
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.failure()).isNull();
    assertThat(stream.endedWithDone()).isTrue();
    List<Map<String, Object>> events = stream.events();
    assertThat(events).hasSize(1 + tokens + 2);
    assertThat(object(events.getLast().get("usage")).get("completion_tokens"))
        .isEqualTo((long) tokens);
  }

  @Test
  void requestsBeyondTheSlotsWaitForASlotHoldersLastToken() throws Exception {
    int tokens = 10;
    String url = start(timed(50, 5, tokens).withCapacity(2, null, Duration.ZERO, Duration.ZERO));
    SseStream first = admitted(url, STREAM);
    SseStream second = admitted(url, STREAM);
    SseStream third = admitted(url, STREAM);
    SseStream fourth = admitted(url, STREAM);

    for (SseStream stream : List.of(first, second, third, fourth)) {
      assertComplete(stream.awaitEnd(), tokens);
    }
    long firstHolderDone = Math.min(tokenNanos(first, tokens - 1), tokenNanos(second, tokens - 1));
    long bothHoldersDone = Math.max(tokenNanos(first, tokens - 1), tokenNanos(second, tokens - 1));
    long thirdStarts = tokenNanos(third, 0);
    long fourthStarts = tokenNanos(fourth, 0);
    assertThat(Math.min(thirdStarts, fourthStarts)).isGreaterThan(firstHolderDone);
    assertThat(Math.max(thirdStarts, fourthStarts)).isGreaterThan(bothHoldersDone);
    // No catching up: a waiting request's tokens follow its slot's timeline, counted from the
    // first holder's arrival (its slot freed no earlier than ttft + 9 gaps after that).
    for (SseStream waited : List.of(third, fourth)) {
      for (int i = 0; i < tokens; i++) {
        assertThat(tokenNanos(waited, i) - first.sentNanos())
            .as("token %d", i)
            .isGreaterThanOrEqualTo((50 + 9 * 5 + 50 + 5L * i) * MS);
      }
      // The prefill is the prompt's time, not the wait: as llama.cpp's prompt_ms.
      Map<String, Object> timings = object(waited.events().getLast().get("timings"));
      assertThat(timings.get("prompt_ms")).isEqualTo(50.0);
      assertThat((Double) timings.get("predicted_ms")).isGreaterThanOrEqualTo(45.0);
    }
    // Every event written was booked against the step clock.
    int events = 0;
    for (SseStream stream : List.of(first, second, third, fourth)) {
      events += stream.data().size();
    }
    // Booked when its write returns, which can be after the client has read it: wait for the
    // last bookings (bounded), then the count must be exact.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (schedule().events() < events && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(schedule().events()).isEqualTo(events);
  }

  @Test
  void aFullQueueIsRefusedAtOnceWithRetryAfter() throws Exception {
    String url = start(timed(20, 5, ENDLESS).withCapacity(1, 1, Duration.ZERO, Duration.ZERO));
    SseStream holder = admitted(url, STREAM);
    SseStream waiter = admitted(url, STREAM);

    HttpResponse<String> refused =
        client.send(SseStream.post(url, STREAM), HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
    assertThat(refused.headers().firstValue("content-type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(Json.object(refused.body()))
        .isEqualTo(
            Map.of(
                "error",
                Map.of(
                    "code",
                    503L,
                    "message",
                    "server busy: queue full",
                    "type",
                    "unavailable_error")));
    assertThat(holder.status()).isEqualTo(200);
    assertThat(waiter.status()).isEqualTo(200);
    assertThat(gauges()).isEqualTo(new Gauges(1, 1));
  }

  @Test
  void ofThreeRequestsOneIsRefusedAndTheOthersComplete() throws Exception {
    int tokens = 20;
    String url = start(timed(20, 5, tokens).withCapacity(1, 1, Duration.ZERO, Duration.ZERO));
    SseStream holder = admitted(url, STREAM);
    SseStream waiter = admitted(url, STREAM);
    SseStream third = SseStream.read(client, url, STREAM);

    assertThat(third.status()).isEqualTo(503);
    assertThat(third.headers().firstValue("retry-after")).hasValue("1");
    assertComplete(holder.awaitEnd(), tokens);
    assertComplete(waiter.awaitEnd(), tokens);
    assertThat(tokenNanos(waiter, 0)).isGreaterThan(tokenNanos(holder, tokens - 1));
    assertThat(gauges()).isEqualTo(new Gauges(0, 0));
  }

  @Test
  void wholeResponsesWaitForTheirSlotToo() throws Exception {
    int tokens = 10;
    String url = start(timed(30, 5, tokens).withCapacity(1, null, null, null));
    SseStream holder = admitted(url, STREAM);

    HttpResponse<String> whole =
        client.send(
            SseStream.post(url, "{\"max_tokens\":3}"), HttpResponse.BodyHandlers.ofString());
    long answeredNanos = System.nanoTime();

    assertComplete(holder.awaitEnd(), tokens);
    assertThat(whole.statusCode()).isEqualTo(200);
    Map<String, Object> json = Json.object(whole.body());
    assertThat(object(json.get("usage")).get("completion_tokens")).isEqualTo(3L);
    assertThat(object(json.get("timings")).get("prompt_ms")).isEqualTo(30.0);
    assertThat(answeredNanos).isGreaterThan(tokenNanos(holder, tokens - 1));
  }

  @Test
  void stepsGrowWithTheRequestsDecodingInThem() throws Exception {
    int tokens = 20;
    String url = start(timed(50, 5, tokens).withCapacity(null, null, null, Duration.ofMillis(20)));
    SseStream alone = SseStream.read(client, url, STREAM);
    // Admitted one after another within the prefill of the first: they decode side by side.
    List<SseStream> together = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      together.add(admitted(url, STREAM));
    }

    assertComplete(alone, tokens);
    double aloneGap = meanGapNanos(alone, tokens);
    double togetherGap = 0;
    double togetherPredictedMillis = 0;
    for (SseStream stream : together) {
      assertComplete(stream.awaitEnd(), tokens);
      togetherGap += meanGapNanos(stream, tokens) / together.size();
      togetherPredictedMillis += predictedMillis(stream) / together.size();
    }
    assertThat(togetherGap).isGreaterThan(aloneGap);
    // The engine's own account agrees.
    assertThat(togetherPredictedMillis).isGreaterThan(predictedMillis(alone));
  }

  private static double predictedMillis(SseStream stream) {
    return (Double) object(stream.events().getLast().get("timings")).get("predicted_ms");
  }

  private static double meanGapNanos(SseStream stream, int tokens) {
    return (tokenNanos(stream, tokens - 1) - tokenNanos(stream, 0)) / (double) (tokens - 1);
  }

  @Test
  void longerPromptsTakeLongerToPrefill() throws Exception {
    String url = start(timed(10, 1, 2).withCapacity(null, null, Duration.ofMillis(1), null));
    String longPrompt = "word ".repeat(200);
    SseStream shortOne =
        SseStream.read(
            client, url, "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    SseStream longOne =
        SseStream.read(
            client,
            url,
            "{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\""
                + longPrompt
                + "\"}]}");

    long shortTtft = tokenNanos(shortOne, 0) - shortOne.sentNanos();
    long longTtft = tokenNanos(longOne, 0) - longOne.sentNanos();
    assertThat(longTtft).isGreaterThan(shortTtft).isGreaterThanOrEqualTo(210 * MS);
    Map<String, Object> timings = object(longOne.events().getLast().get("timings"));
    assertThat(timings.get("prompt_n")).isEqualTo(200L);
    assertThat(timings.get("prompt_ms")).isEqualTo(210.0);
  }

  @Test
  void aClientThatLeavesFreesItsSlot() throws Exception {
    int tokens = 5;
    String url = start(timed(20, 5, tokens).withCapacity(1, null, null, null));
    Socket leaver =
        rawStream("{\"stream\":true,\"max_tokens\":" + ENDLESS + ",\"ignore_eos\":true}", 3);
    SseStream next = admitted(url, STREAM);
    assertThat(gauges()).isEqualTo(new Gauges(1, 1));

    leaver.close();

    // The endless holder would never end by itself: the next request completes only if its
    // slot was freed.
    assertComplete(next.awaitEnd(), tokens);
    assertThat(gauges()).isEqualTo(new Gauges(0, 0));
  }

  @Test
  void aClientThatLeavesTheQueueIsDroppedFromIt() throws Exception {
    String url = start(timed(20, 5, ENDLESS).withCapacity(1, 1, null, null));
    admitted(url, STREAM);
    Socket leaver = rawStream(STREAM, 1); // the role chunk: it waits in the queue
    assertThat(gauges()).isEqualTo(new Gauges(1, 1));

    leaver.close();
    awaitGauges(new Gauges(1, 0));

    // Its place is free again: the next request waits rather than being refused.
    SseStream next = admitted(url, STREAM);
    assertThat(next.status()).isEqualTo(200);
    assertThat(gauges()).isEqualTo(new Gauges(1, 1));
  }

  @Test
  void gaugesCountSlotHoldersAndWaitingRequests() throws Exception {
    String url = start(timed(20, 5, ENDLESS).withCapacity(2, null, null, null));
    assertThat(gauges()).isEqualTo(new Gauges(0, 0));
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clients.add(rawStream(STREAM, 1));
    }
    assertThat(gauges()).isEqualTo(new Gauges(2, 3));
    String metrics = metrics();
    assertThat(metrics)
        .contains("# TYPE llamacpp:requests_processing gauge\n")
        .contains("# TYPE llamacpp:requests_deferred gauge\n");

    for (Socket socket : clients) {
      socket.close();
    }
    awaitGauges(new Gauges(0, 0));
  }

  @Test
  void manyStreamsShareFewerSlots() throws Exception {
    int streams = 256;
    int tokens = 20;
    String url =
        start(timed(5, 2, tokens).withCapacity(64, null, Duration.ZERO, Duration.ofMillis(0)));
    List<SseStream> opened = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      opened.add(SseStream.open(client, url, STREAM));
    }

    for (SseStream stream : opened) {
      assertComplete(stream.awaitEnd(), tokens);
    }
    assertThat(engine.requestsReceived()).isEqualTo(streams);
    assertThat(gauges()).isEqualTo(new Gauges(0, 0));
  }

  /**
   * A streamed chat request on a plain socket, read up to its {@code events}-th event; closing the
   * socket is the client leaving.
   */
  private Socket rawStream(String body, int events) throws IOException {
    Socket socket = new Socket("127.0.0.1", engine.port());
    sockets.add(socket);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(RawHttp.post(CHAT, body).getBytes(StandardCharsets.UTF_8));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
    for (int seen = 0; seen < events; ) {
      String line = in.readLine();
      assertThat(line).as("the stream goes on").isNotNull();
      if (line.startsWith("data: ")) {
        seen++;
      }
    }
    return socket;
  }

  record Gauges(long processing, long deferred) {}

  private Gauges gauges() throws Exception {
    String metrics = metrics();
    return new Gauges(sample(metrics, "requests_processing"), sample(metrics, "requests_deferred"));
  }

  /** Waits for the gauges to reach {@code expected}: the engine notices a client leave soon. */
  private void awaitGauges(Gauges expected) throws Exception {
    long deadline = System.nanoTime() + SseStream.TIMEOUT.toNanos();
    Gauges now = gauges();
    while (!now.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      now = gauges();
    }
    assertThat(now).isEqualTo(expected);
  }

  private String metrics() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static long sample(String metrics, String name) {
    Matcher m =
        Pattern.compile("(?m)^llamacpp:" + Pattern.quote(name) + " (\\d+)$").matcher(metrics);
    assertThat(m.find()).as(name).isTrue();
    return Long.parseLong(m.group(1));
  }

  private ScheduleReport schedule() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(engine.baseUrl() + ScheduleReport.PATH)).build(),
            HttpResponse.BodyHandlers.ofString());
    return ScheduleReport.parse(response.body());
  }
}
