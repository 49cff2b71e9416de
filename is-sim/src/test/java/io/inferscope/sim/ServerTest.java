package io.inferscope.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.sim.SimConfig.Fault;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP behaviour: routing, errors, keep-alive, concurrency and shutdown. */
class ServerTest {

  private HttpClient client;
  private SimEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    client = SseStream.client();
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(2), Duration.ofMillis(1), Duration.ZERO)
                .withOutputTokens(5));
  }

  @AfterEach
  void tearDown() {
    engine.close();
    client.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(engine.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> error(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/json; charset=utf-8");
    return Json.object(Json.object(response.body()).get("error"));
  }

  @Test
  void bindsTheConfiguredLoopbackHost() {
    assertThat(engine.baseUrl()).isEqualTo("http://127.0.0.1:" + engine.port());
    assertThat(engine.port()).isPositive();
  }

  @Test
  void invalidJsonIsA400() throws Exception {
    for (String body :
        List.of("{bad", "", "[1,2]", "{\"max_tokens\":\"many\"}", "{\"stream\":1}")) {
      HttpResponse<String> response = send("POST", "/v1/chat/completions", body);

      assertThat(response.statusCode()).as(body).isEqualTo(400);
      Map<String, Object> error = error(response);
      assertThat(error.get("code")).isEqualTo(400L);
      assertThat(error.get("type")).isEqualTo("invalid_request_error");
      assertThat((String) error.get("message")).isNotBlank();
    }
    assertThat(send("POST", "/v1/completions", "{\"prompt\":\"x\"}").statusCode()).isEqualTo(200);
    assertThat(engine.requestsReceived()).isEqualTo(1);
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() throws Exception {
    HttpResponse<String> missing = send("GET", "/v2/nothing", "");
    HttpResponse<String> getChat = send("GET", "/v1/chat/completions", "");
    HttpResponse<String> postHealth = send("POST", "/health", "{}");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error(missing).get("code")).isEqualTo(404L);
    assertThat(getChat.statusCode()).isEqualTo(405);
    assertThat(getChat.headers().firstValue("allow")).hasValue("POST");
    assertThat(error(getChat).get("code")).isEqualTo(405L);
    assertThat(postHealth.statusCode()).isEqualTo(405);
    assertThat(postHealth.headers().firstValue("allow")).hasValue("GET");
  }

  @Test
  void modelsAndHealth() throws Exception {
    HttpResponse<String> models = send("GET", "/v1/models", "");
    HttpResponse<String> health = send("GET", "/health?probe=1", "");

    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(Json.object(models.body()))
        .isEqualTo(
            Map.of(
                "object",
                "list",
                "data",
                List.of(
                    Map.of("id", "sim-model", "object", "model", "owned_by", "inferscope-sim"))));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void metricsCountServedTokens() throws Exception {
    SseStream.read(
        client,
        engine.baseUrl() + "/v1/chat/completions",
        "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}");
    send("POST", "/v1/completions", "{\"prompt\":\"d e\",\"max_tokens\":2}");

    HttpResponse<String> metrics = send("GET", "/metrics", "");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4");
    String text = metrics.body();
    assertThat(text)
        .contains("# HELP llamacpp:prompt_tokens_total ")
        .contains("# TYPE llamacpp:prompt_tokens_total counter\n")
        .contains("# TYPE llamacpp:requests_processing gauge\n");
    assertThat(sample(text, "prompt_tokens_total")).isEqualTo(5.0);
    assertThat(sample(text, "tokens_predicted_total")).isEqualTo(7.0);
    assertThat(sample(text, "requests_processing")).isEqualTo(0.0);
    assertThat(sample(text, "n_tokens_max")).isEqualTo(8.0);
    assertThat(sample(text, "prompt_seconds_total")).isEqualTo(0.004);
    assertThat(sample(text, "tokens_predicted_seconds_total")).isEqualTo(0.005);
  }

  private static double sample(String metrics, String name) {
    Matcher matcher =
        Pattern.compile("(?m)^llamacpp:" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
    assertThat(matcher.find()).as(name).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  @Test
  void manyConcurrentStreamsAllComplete() throws Exception {
    int streams = 64;
    engine.close();
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(20), Duration.ofMillis(2), Duration.ofMillis(1))
                .withOutputTokens(20));
    List<SseStream> opened = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      opened.add(
          SseStream.open(
              client,
              engine.baseUrl() + "/v1/chat/completions",
              "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
    }

    Set<Object> ids = new HashSet<>();
    for (SseStream stream : opened) {
      stream.awaitEnd();
      assertThat(stream.failure()).isNull();
      assertThat(stream.endedWithDone()).isTrue();
      List<Map<String, Object>> events = stream.events();
      assertThat(events).hasSize(1 + 20 + 2);
      ids.add(events.getFirst().get("id"));
    }
    assertThat(ids).hasSize(streams);
    assertThat(engine.requestsReceived()).isEqualTo(streams);
  }

  @Test
  void keepAliveCarriesSeveralStreamsAndEachEventIsOneChunk() throws Exception {
    try (RawHttp http = new RawHttp(engine.port())) {
      for (int i = 0; i < 3; i++) {
        http.send(RawHttp.post("/v1/chat/completions", "{\"stream\":true}"));
        RawHttp.Response response = http.read();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers())
            .containsEntry("content-type", "text/event-stream")
            .containsEntry("transfer-encoding", "chunked")
            .doesNotContainKey("content-length")
            .doesNotContainKey("connection");
        assertThat(response.chunks()).hasSize(1 + 5 + 1 + 1);
        assertThat(response.chunks()).allMatch(c -> c.startsWith("data: ") && c.endsWith("\n\n"));
        assertThat(response.chunks().getLast()).isEqualTo("data: [DONE]\n\n");
      }
      http.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      RawHttp.Response health = http.read();
      assertThat(health.headers()).containsEntry("connection", "close");
      assertThat(http.closedByServer()).isTrue();
    }
    assertThat(engine.requestsReceived()).isEqualTo(3);
  }

  @Test
  void chunkedRequestBodiesAndExpectContinueAreUnderstood() throws Exception {
    try (RawHttp http = new RawHttp(engine.port())) {
      http.send(
          "POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "7\r\n{\"promp\r\n"
              + "d\r\nt\":\"a b c d\"}\r\n0\r\n\r\n");
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(200);
      Map<String, Object> usage = Json.object(Json.object(response.body()).get("usage"));
      assertThat(usage.get("prompt_tokens")).isEqualTo(4L);
    }
    HttpRequest expecting =
        HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/v1/completions"))
            .expectContinue(true)
            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\"}"))
            .build();
    assertThat(client.send(expecting, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void http10ClientsGetAStreamThatEndsWithTheConnection() throws Exception {
    try (RawHttp http = new RawHttp(engine.port())) {
      http.send(
          "POST /v1/chat/completions HTTP/1.0\r\nContent-Length: 15\r\n\r\n{\"stream\":true}");
      RawHttp.Response response = http.read();

      assertThat(response.headers()).doesNotContainKey("transfer-encoding");
      assertThat(response.body()).startsWith("data: {").endsWith("\n\ndata: [DONE]\n\n");
    }
  }

  @Test
  void malformedRequestHeadIsA400ThenClose() throws Exception {
    try (RawHttp http = new RawHttp(engine.port())) {
      http.send("NONSENSE\r\n\r\n");
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void closeEndsAStalledStreamAndFreesThePort() throws Exception {
    engine.close();
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(2), Duration.ofMillis(1), Duration.ZERO)
                .withFault(Fault.STALL, 1, 1));
    int port = engine.port();
    SseStream stalled =
        SseStream.open(client, engine.baseUrl() + "/v1/chat/completions", "{\"stream\":true}");
    stalled.awaitEvents(2); // the role chunk and the one token before the stall

    engine.close();
    // close() waits for every connection thread, a few seconds at most: none is left, so it woke
    // the stalled stream rather than waiting it out.
    assertThat(engine.openConnections()).isZero();
    stalled.awaitEnd();

    assertThat(stalled.endedWithDone()).isFalse();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
    engine.close(); // idempotent
  }
}
