package io.inferscope.sim;

import static io.inferscope.sim.Json.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's tokens: whitespace-separated words, the same count wherever a count is shown. */
class TokenizerTest {

  private HttpClient client;
  private SimEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    client = SseStream.client();
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO)
                .withOutputTokens(3));
  }

  @AfterEach
  void tearDown() {
    engine.close();
    client.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(engine.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private long promptTokens(String path, String body) throws Exception {
    HttpResponse<String> response = post(path, body);
    assertThat(response.statusCode()).as(body).isEqualTo(200);
    Map<String, Object> json = object(response.body());
    long usage = Json.number(object(json.get("usage")).get("prompt_tokens"));
    long timings = Json.number(object(json.get("timings")).get("prompt_n"));
    assertThat(timings).as("timings.prompt_n of " + body).isEqualTo(usage);
    return usage;
  }

  @Test
  void aTokenIsAWhitespaceSeparatedWord() {
    assertThat(SimTokenizer.count("the cat sat")).isEqualTo(3);
    assertThat(SimTokenizer.count("  the\tcat\n\nsat  ")).isEqualTo(3);
    assertThat(SimTokenizer.count("")).isZero();
    assertThat(SimTokenizer.count(" \n ")).isZero();
    assertThat(SimTokenizer.count("don't-stop, now!")).isEqualTo(2);
    assertThat(SimTokenizer.count("東京 café 🙂")).isEqualTo(3);
  }

  @Test
  void usageCountsThePromptsWords() throws Exception {
    assertThat(promptTokens("/v1/completions", "{\"prompt\":\"the cat sat\"}")).isEqualTo(3);
    assertThat(promptTokens("/v1/completions", "{\"prompt\":\"\"}")).isZero();
    assertThat(promptTokens("/v1/completions", "{}")).isZero();
    assertThat(promptTokens("/v1/completions", "{\"prompt\":[\"a b\",\"c\"]}")).isEqualTo(3);
    assertThat(promptTokens("/v1/completions", "{\"prompt\":[[1,2,3,4]]}")).isEqualTo(4);
    assertThat(
            promptTokens(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"the cat\"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"x y z\"}},"
                    + "{\"type\":\"text\",\"text\":\"sat\"}]}]}"))
        .isEqualTo(5);
    assertThat(promptTokens("/v1/chat/completions", "{\"messages\":[]}")).isZero();
  }

  @Test
  void anEmptyPromptStillHasValidTimings() throws Exception {
    HttpResponse<String> response = post("/v1/completions", "{\"prompt\":\" \"}");

    Map<String, Object> timings = object(object(response.body()).get("timings"));
    assertThat(timings.get("prompt_n")).isEqualTo(0L);
    assertThat(timings.get("prompt_per_token_ms")).isEqualTo(0.0);
  }

  @Test
  void metricsCountTheSameTokens() throws Exception {
    post("/v1/completions", "{\"prompt\":\"one two three four\"}");
    post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}");

    String metrics =
        client
            .send(
                HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics.lines().toList()).contains("llamacpp:prompt_tokens_total 4");
    assertThat(engine.requestsReceived()).isEqualTo(2);
  }

  private Map<String, Object> tokenize(String body) throws Exception {
    HttpResponse<String> response = post("/tokenize", body);
    assertThat(response.statusCode()).as(body).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/json; charset=utf-8");
    return object(response.body());
  }

  @Test
  void tokenizeAnswersInLlamaCppAndVllmForms() throws Exception {
    Map<String, Object> llamaCpp = tokenize("{\"content\":\"the cat sat\"}");
    Map<String, Object> vllm =
        tokenize(
            "{\"model\":\"sim-model\",\"prompt\":\"the cat sat\",\"add_special_tokens\":true}");
    Map<String, Object> both =
        tokenize("{\"content\":\"the cat sat\",\"prompt\":\"the cat sat\",\"add_special\":false}");
    Map<String, Object> chat =
        tokenize(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"the\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"cat sat\"}]}]}");

    assertThat(llamaCpp.get("count")).isEqualTo(3L);
    List<?> ids = Json.list(llamaCpp.get("tokens"));
    assertThat(ids).hasSize(3).allMatch(id -> (Long) id >= 0 && (Long) id < 32_000);
    // Deterministic: the same word has the same id wherever it appears.
    assertThat(ids.get(0))
        .isEqualTo(Json.list(tokenize("{\"content\":\"the\"}").get("tokens")).get(0));
    assertThat(ids.get(0)).isNotEqualTo(ids.get(1));
    assertThat(vllm).isEqualTo(llamaCpp);
    assertThat(both).isEqualTo(llamaCpp);
    assertThat(chat).isEqualTo(llamaCpp);
    assertThat(tokenize("{\"content\":\"\"}")).isEqualTo(Map.of("tokens", List.of(), "count", 0L));
  }

  @Test
  void tokenizeCountsWhatUsageCounts() throws Exception {
    String prompt = "count\\tthese  six\\nwords, please now";
    long count = Json.number(tokenize("{\"prompt\":\"" + prompt + "\"}").get("count"));

    assertThat(count).isEqualTo(6);
    assertThat(promptTokens("/v1/completions", "{\"prompt\":\"" + prompt + "\"}")).isEqualTo(count);
  }

  @Test
  void tokenizeRefusesBadBodiesWithAJsonError() throws Exception {
    for (String body : List.of("{bad", "[1]", "{\"content\":5}", "{\"model\":\"m\"}")) {
      HttpResponse<String> response = post("/tokenize", body);

      assertThat(response.statusCode()).as(body).isEqualTo(400);
      Map<String, Object> error = object(object(response.body()).get("error"));
      assertThat(error.get("code")).isEqualTo(400L);
      assertThat(error.get("type")).isEqualTo("invalid_request_error");
    }
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/tokenize")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(engine.requestsReceived()).as("tokenizing is no completion").isZero();
  }
}
