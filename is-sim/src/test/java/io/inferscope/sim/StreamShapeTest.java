package io.inferscope.sim;

import static io.inferscope.sim.Json.choice;
import static io.inferscope.sim.Json.delta;
import static io.inferscope.sim.Json.list;
import static io.inferscope.sim.Json.number;
import static io.inferscope.sim.Json.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.sim.SimConfig.RoleChunk;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bytes of streamed and whole responses, checked against llama.cpp's shapes. */
class StreamShapeTest {

  private static final String CHAT_USAGE =
      "{\"model\":\"m1\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"one two  three\"},"
          + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"four\"}]}]}";

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

  private static SimConfig fast() {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(2), Duration.ofMillis(1), Duration.ZERO)
        .withOutputTokens(5);
  }

  private SseStream chat(SimConfig config, String body) throws Exception {
    engine = SimEngine.start(config);
    return SseStream.read(client, engine.baseUrl() + "/v1/chat/completions", body);
  }

  private static String tokens(SimConfig config, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(TokenVocabulary.token(config.seed(), i));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @EnumSource(RoleChunk.class)
  void chatStreamHasLlamaCppShape(RoleChunk roleChunk) throws Exception {
    SimConfig config = fast().withShape(roleChunk, 1, 0, true);
    long beforeSeconds = System.currentTimeMillis() / 1000;

    SseStream stream = chat(config, CHAT_USAGE);

    assertThat(stream.failure()).isNull();
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
    stream.assertEventFraming();
    assertThat(stream.endedWithDone()).isTrue();
    List<Map<String, Object>> events = new ArrayList<>(stream.events());
    for (Map<String, Object> event : events) {
      assertThat(event.get("id")).isEqualTo("chatcmpl-sim-0");
      assertThat(event.get("object")).isEqualTo("chat.completion.chunk");
      assertThat(event.get("model")).isEqualTo("m1");
      assertThat(number(event.get("created")))
          .isBetween(beforeSeconds, System.currentTimeMillis() / 1000);
    }
    if (roleChunk != RoleChunk.NONE) {
      Map<String, Object> role = events.removeFirst();
      Map<String, Object> expectedDelta = new HashMap<>();
      expectedDelta.put("role", "assistant");
      expectedDelta.put("content", roleChunk == RoleChunk.NULL_CONTENT ? null : "");
      assertThat(role.keySet()).containsExactly("id", "object", "created", "model", "choices");
      assertThat(list(role.get("choices"))).hasSize(1);
      assertThat(choice(role).keySet()).containsExactly("index", "delta", "finish_reason");
      assertThat(choice(role).get("index")).isEqualTo(0L);
      assertThat(choice(role).get("finish_reason")).isNull();
      assertThat(delta(role)).isEqualTo(expectedDelta);
    }
    assertThat(events).hasSize(5 + 2);
    StringBuilder content = new StringBuilder();
    for (Map<String, Object> chunk : events.subList(0, 5)) {
      assertThat(delta(chunk).keySet()).containsExactly("content");
      assertThat(choice(chunk).get("finish_reason")).isNull();
      content.append(delta(chunk).get("content"));
    }
    assertThat(content.toString()).isEqualTo(tokens(config, 0, 5));
    Map<String, Object> finish = events.get(5);
    assertThat(delta(finish)).isEmpty();
    assertThat(choice(finish).get("finish_reason")).isEqualTo("stop");
    Map<String, Object> usage = events.get(6);
    assertThat(list(usage.get("choices"))).isEmpty();
    assertThat(object(usage.get("usage")))
        .isEqualTo(Map.of("prompt_tokens", 4L, "completion_tokens", 5L, "total_tokens", 9L));
    Map<String, Object> timings = object(usage.get("timings"));
    assertThat(timings.get("prompt_n")).isEqualTo(4L);
    assertThat(timings.get("predicted_n")).isEqualTo(5L);
    assertThat((Double) timings.get("prompt_ms")).isEqualTo(2.0);
    assertThat((Double) timings.get("predicted_ms")).isEqualTo(4.0);
    assertThat((Double) timings.get("predicted_per_second")).isEqualTo(1000.0);
  }

  @Test
  void usageChunkOnlyWhenAskedAndEnabled() throws Exception {
    SimConfig config = fast();
    engine = SimEngine.start(config);
    String url = engine.baseUrl() + "/v1/chat/completions";

    SseStream notAsked = SseStream.read(client, url, "{\"stream\":true}");
    SseStream askedFalse =
        SseStream.read(
            client, url, "{\"stream\":true,\"stream_options\":{\"include_usage\":false}}");

    for (SseStream stream : List.of(notAsked, askedFalse)) {
      assertThat(stream.endedWithDone()).isTrue();
      assertThat(stream.events()).hasSize(1 + 5 + 1).noneMatch(e -> e.containsKey("usage"));
    }
    engine.close();

    engine = SimEngine.start(config.withShape(RoleChunk.NULL_CONTENT, 1, 0, false));
    SseStream disabled =
        SseStream.read(client, engine.baseUrl() + "/v1/chat/completions", CHAT_USAGE);
    assertThat(disabled.events()).hasSize(1 + 5 + 1).noneMatch(e -> e.containsKey("usage"));
  }

  @Test
  void completionsStreamHasTextChunksAndNoRoleChunk() throws Exception {
    SimConfig config = fast();
    engine = SimEngine.start(config);

    SseStream stream =
        SseStream.read(
            client,
            engine.baseUrl() + "/v1/completions",
            "{\"prompt\":\"a b c\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    assertThat(stream.failure()).isNull();
    assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
    stream.assertEventFraming();
    assertThat(stream.endedWithDone()).isTrue();
    List<Map<String, Object>> events = stream.events();
    assertThat(events).hasSize(5 + 2);
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> chunk : events.subList(0, 5)) {
      assertThat(chunk.get("id")).isEqualTo("cmpl-sim-0");
      assertThat(chunk.get("object")).isEqualTo("text_completion");
      assertThat(chunk.get("model")).isEqualTo("sim-model");
      assertThat(choice(chunk).keySet())
          .containsExactly("index", "text", "logprobs", "finish_reason");
      assertThat(choice(chunk).get("finish_reason")).isNull();
      text.append(choice(chunk).get("text"));
    }
    assertThat(text.toString()).isEqualTo(tokens(config, 0, 5));
    assertThat(choice(events.get(5)).get("text")).isEqualTo("");
    assertThat(choice(events.get(5)).get("finish_reason")).isEqualTo("stop");
    assertThat(object(events.get(6).get("usage")).get("prompt_tokens")).isEqualTo(3L);
    assertThat(list(events.get(6).get("choices"))).isEmpty();
  }

  @Test
  void tokensAreGroupedIntoChunks() throws Exception {
    SimConfig config = fast().withOutputTokens(10).withShape(RoleChunk.NONE, 3, 0, true);

    SseStream stream = chat(config, CHAT_USAGE);

    List<Map<String, Object>> events = stream.events();
    List<Map<String, Object>> textChunks =
        events.stream()
            .filter(
                e ->
                    e.containsKey("choices")
                        && !list(e.get("choices")).isEmpty()
                        && choice(e).get("finish_reason") == null)
            .toList();
    assertThat(textChunks).hasSize(4); // ceil(10 / 3)
    assertThat(textChunks.stream().map(c -> (String) delta(c).get("content")).toList())
        .containsExactly(
            tokens(config, 0, 3),
            tokens(config, 3, 6),
            tokens(config, 6, 9),
            tokens(config, 9, 10));
    assertThat(object(events.getLast().get("usage")).get("completion_tokens")).isEqualTo(10L);
  }

  @Test
  void reasoningTokensGoToReasoningContent() throws Exception {
    SimConfig config = fast().withOutputTokens(6).withShape(RoleChunk.NONE, 2, 3, true);

    SseStream stream = chat(config, "{\"stream\":true}");

    List<Map<String, Object>> deltas = stream.events().stream().map(Json::delta).toList();
    assertThat(deltas)
        .containsExactly(
            Map.of("reasoning_content", tokens(config, 0, 2)),
            Map.of("reasoning_content", tokens(config, 2, 3), "content", tokens(config, 3, 4)),
            Map.of("content", tokens(config, 4, 6)),
            Map.of());
  }

  @Test
  void maxTokensCapsTheOutput() throws Exception {
    engine = SimEngine.start(fast().withOutputTokens(8));
    String url = engine.baseUrl() + "/v1/chat/completions";
    record Case(String limit, long tokens, String finishReason) {}
    List<Case> cases =
        List.of(
            new Case("", 8, "stop"),
            new Case(",\"max_tokens\":3", 3, "length"),
            new Case(",\"max_tokens\":8", 8, "stop"),
            new Case(",\"max_tokens\":20", 8, "stop"),
            new Case(",\"max_completion_tokens\":2", 2, "length"),
            new Case(",\"max_tokens\":-1", 8, "stop"),
            new Case(",\"max_tokens\":0", 0, "length"),
            // ignore_eos: exactly max_tokens, past the engine's own length too.
            new Case(",\"max_tokens\":20,\"ignore_eos\":true", 20, "length"),
            new Case(",\"max_tokens\":8,\"ignore_eos\":true", 8, "length"),
            new Case(",\"max_tokens\":3,\"ignore_eos\":true", 3, "length"),
            new Case(",\"max_tokens\":20,\"ignore_eos\":false", 8, "stop"),
            new Case(",\"ignore_eos\":true", 8, "stop"));

    for (Case c : cases) {
      SseStream stream =
          SseStream.read(
              client,
              url,
              "{\"stream\":true,\"stream_options\":{\"include_usage\":true}" + c.limit() + "}");
      List<Map<String, Object>> events = stream.events();
      assertThat(events).as(c.toString()).hasSize(1 + (int) c.tokens() + 2);
      assertThat(choice(events.get(events.size() - 2)).get("finish_reason"))
          .as(c.toString())
          .isEqualTo(c.finishReason());
      assertThat(object(events.getLast().get("usage")).get("completion_tokens"))
          .as(c.toString())
          .isEqualTo(c.tokens());
    }
  }

  @Test
  void ignoreEosHoldsForWholeResponsesAndIsChecked() throws Exception {
    engine = SimEngine.start(fast());
    String url = engine.baseUrl() + "/v1/completions";

    HttpResponse<String> forced =
        client.send(
            SseStream.post(url, "{\"prompt\":\"x\",\"max_tokens\":12,\"ignore_eos\":true}"),
            HttpResponse.BodyHandlers.ofString());

    assertThat(forced.statusCode()).isEqualTo(200);
    Map<String, Object> json = Json.object(forced.body());
    assertThat(choice(json).get("text")).isEqualTo(tokens(fast(), 0, 12));
    assertThat(choice(json).get("finish_reason")).isEqualTo("length");
    assertThat(object(json.get("usage")).get("completion_tokens")).isEqualTo(12L);
    for (String body :
        List.of(
            "{\"ignore_eos\":\"yes\"}",
            "{\"max_tokens\":"
                + (CompletionRequest.MAX_FORCED_TOKENS + 1)
                + ",\"ignore_eos\":true}")) {
      HttpResponse<String> refused =
          client.send(SseStream.post(url, body), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(body).isEqualTo(400);
      assertThat(object(Json.object(refused.body()).get("error")).get("type"))
          .isEqualTo("invalid_request_error");
    }
  }

  @Test
  void wholeResponsesCarryTheTextAndUsage() throws Exception {
    SimConfig config = fast().withShape(RoleChunk.NULL_CONTENT, 1, 2, true);
    engine = SimEngine.start(config);

    HttpResponse<String> chat =
        client.send(
            SseStream.post(
                engine.baseUrl() + "/v1/chat/completions",
                "{\"model\":\"q \\\"x\\\" \\u00fc\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}"),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> completion =
        client.send(
            SseStream.post(
                engine.baseUrl() + "/v1/completions", "{\"prompt\":\"x\",\"stream\":false}"),
            HttpResponse.BodyHandlers.ofString());

    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.headers().firstValue("content-type"))
        .hasValue("application/json; charset=utf-8");
    Map<String, Object> chatJson = Json.object(chat.body());
    assertThat(chatJson.get("object")).isEqualTo("chat.completion");
    assertThat(chatJson.get("id")).isEqualTo("chatcmpl-sim-0");
    assertThat(chatJson.get("model")).isEqualTo("q \"x\" ü");
    assertThat(choice(chatJson).get("finish_reason")).isEqualTo("length");
    assertThat(object(choice(chatJson).get("message")))
        .isEqualTo(
            Map.of(
                "role", "assistant",
                "reasoning_content", tokens(config, 0, 2),
                "content", tokens(config, 2, 4)));
    assertThat(object(chatJson.get("usage")))
        .isEqualTo(Map.of("prompt_tokens", 2L, "completion_tokens", 4L, "total_tokens", 6L));

    Map<String, Object> completionJson = Json.object(completion.body());
    assertThat(completionJson.get("object")).isEqualTo("text_completion");
    assertThat(completionJson.get("id")).isEqualTo("cmpl-sim-1");
    assertThat(choice(completionJson).get("text")).isEqualTo(tokens(config, 0, 5));
    assertThat(choice(completionJson).get("finish_reason")).isEqualTo("stop");
    assertThat(object(completionJson.get("usage")).get("completion_tokens")).isEqualTo(5L);
    assertThat(engine.requestsReceived()).isEqualTo(2);
  }

  @Test
  void tokenTextsAreDeterministicPerSeed() {
    List<String> first = IntStream.range(0, 50).mapToObj(i -> TokenVocabulary.token(7, i)).toList();
    List<String> again = IntStream.range(0, 50).mapToObj(i -> TokenVocabulary.token(7, i)).toList();
    List<String> other = IntStream.range(0, 50).mapToObj(i -> TokenVocabulary.token(8, i)).toList();

    assertThat(first).isEqualTo(again).isNotEqualTo(other).allMatch(t -> t.startsWith(" "));
    assertThat(first.stream().distinct().count()).isGreaterThan(10);
  }
}
