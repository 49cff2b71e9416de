package io.inferscope.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SimEngine#firstCompletionRequestAt()}: the wall-clock time of the first completion. */
class FirstRequestStampTest {

  private HttpClient client;
  private SimEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    client = SseStream.client();
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO)
                .withOutputTokens(2));
  }

  @AfterEach
  void tearDown() {
    engine.close();
    client.close();
  }

  private int send(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(engine.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void emptyUntilACompletionRequestArrives() throws Exception {
    assertThat(send("GET", "/v1/models", "")).isEqualTo(200);
    assertThat(send("GET", "/health", "")).isEqualTo(200);

    assertThat(engine.firstCompletionRequestAt()).isEmpty();
  }

  @Test
  void stampsTheFirstCompletionRequestAndKeepsIt() throws Exception {
    Instant before = Instant.now();
    assertThat(send("POST", "/v1/chat/completions", "{\"stream\":true,\"max_tokens\":2}"))
        .isEqualTo(200);
    Instant after = Instant.now();

    Instant first = engine.firstCompletionRequestAt().orElseThrow();
    assertThat(first).isBetween(before, after);

    assertThat(send("POST", "/v1/completions", "{\"stream\":true,\"max_tokens\":2}"))
        .isEqualTo(200);
    assertThat(engine.firstCompletionRequestAt()).hasValue(first);
    assertThat(engine.requestsReceived()).isEqualTo(2);
  }

  @Test
  void aRejectedCompletionRequestStillCountsAsReceived() throws Exception {
    Instant before = Instant.now();
    assertThat(send("POST", "/v1/chat/completions", "{bad")).isEqualTo(400);

    assertThat(engine.firstCompletionRequestAt().orElseThrow()).isAfterOrEqualTo(before);
  }
}
