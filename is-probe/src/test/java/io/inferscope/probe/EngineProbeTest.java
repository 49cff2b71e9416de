package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EngineProbeTest {

  @Test
  void listsTheModelsOfACapturedLlamaServer() throws Exception {
    Fixtures.Captured models = Fixtures.wholeResponse("models.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, models, 0))) {
      EngineInfo info = EngineProbe.probe(URI.create(server.baseUrl() + "/v1"), null);
      assertThat(info.modelIds()).containsExactly("tiny-llama");
      assertThat(info.defaultModel()).isEqualTo("tiny-llama");
      assertThat(info.server()).isEqualTo("llama.cpp");
      assertThat(info.root()).isEqualTo(server.baseUrl().toString());
      assertThat(server.received().get(0).path()).isEqualTo("/v1/models");
      assertThat(EngineProbe.listModels(server.baseUrl(), null, Duration.ofSeconds(2)))
          .containsExactly("tiny-llama");
    }
  }

  @Test
  void unreachableEngineSaysWhatToCheck() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> EngineProbe.probe(URI.create("http://127.0.0.1:" + port), null))
        .isInstanceOf(EngineUnreachableException.class)
        .hasMessage(
            "cannot reach http://127.0.0.1:"
                + port
                + ": connection refused — is the engine running, and is --url right?");
  }

  @Test
  void silentEngineTimesOut() throws Exception {
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    try (TestServer server = new TestServer(hold, (n, ex) -> hold.await())) {
      assertThatThrownBy(() -> EngineProbe.probe(server.baseUrl(), null, Duration.ofMillis(300)))
          .isInstanceOf(EngineUnreachableException.class)
          .hasMessageContaining("no answer within 300 ms");
    }
  }

  @Test
  void refusedKeyNamesTheFix() throws Exception {
    try (TestServer server =
        new TestServer((n, ex) -> TestServer.status(ex, n == 0 ? 401 : 403, "text/plain", "no"))) {
      assertThatThrownBy(() -> EngineProbe.probe(server.baseUrl(), "sk-wrong-key"))
          .isInstanceOf(EngineUnreachableException.class)
          .hasMessage(
              "the engine refused the API key (HTTP 401): set INFERSCOPE_API_KEY or --api-key-file");
      assertThatThrownBy(() -> EngineProbe.probe(server.baseUrl(), null))
          .hasMessage(
              "the engine requires an API key (HTTP 403): set INFERSCOPE_API_KEY or --api-key-file");
      assertThat(server.received().get(0).header("Authorization")).isEqualTo("Bearer sk-wrong-key");
    }
  }

  @Test
  void missingModelListIsNoError() throws Exception {
    try (TestServer server =
        new TestServer((n, ex) -> TestServer.status(ex, 404, "text/plain", ""))) {
      EngineInfo info = EngineProbe.probe(server.baseUrl(), null);
      assertThat(info.modelIds()).isEmpty();
      assertThat(info.defaultModel()).isNull();
    }
  }

  @Test
  void serverErrorAndNonListAreClear() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              if (n == 0) {
                TestServer.status(ex, 500, "application/json", "{\"error\":\"loading\"}");
              } else {
                TestServer.status(ex, 200, "text/html", "<html>hi</html>");
              }
            })) {
      assertThatThrownBy(() -> EngineProbe.probe(server.baseUrl(), null))
          .hasMessageContaining("HTTP 500")
          .hasMessageContaining("loading");
      assertThatThrownBy(() -> EngineProbe.probe(server.baseUrl(), null))
          .hasMessage(
              server.baseUrl()
                  + " is not an OpenAI-compatible engine: GET /v1/models answered HTTP 200 with an"
                  + " HTML page — check --url");
    }
  }

  /** A plain static file server, as {@code python3 -m http.server} answers. */
  @Test
  void aWebServerThatIsNotAnEngineIsNamedInOneLine() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) ->
                TestServer.status(
                    ex,
                    404,
                    "text/html;charset=utf-8",
                    "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head><title>Error response</title>"
                        + "</head>\n<body><h1>Error response</h1><p>Error code: 404</p></body>"
                        + "</html>\n"))) {
      assertThatThrownBy(() -> EngineProbe.probe(server.baseUrl(), null))
          .isInstanceOf(EngineUnreachableException.class)
          .hasMessage(
              server.baseUrl()
                  + " is not an OpenAI-compatible engine: GET /v1/models answered HTTP 404 with an"
                  + " HTML page — check --url")
          .message()
          .doesNotContain("\n");
    }
  }

  @Test
  void ollamaShapeFallsBackToNames() {
    assertThat(
            EngineProbe.modelIds(
                "{\"models\":[{\"name\":\"llama3:8b\"},{\"name\":\"qwen\"}]}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .containsExactly("llama3:8b", "qwen");
  }
}
