package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  private static LoadSpec spec(
      Endpoint endpoint,
      String model,
      String prompt,
      Integer maxTokens,
      String extra,
      boolean usage) {
    return LoadSpec.builder(URI.create("http://127.0.0.1:1"), endpoint)
        .model(model)
        .prompt(prompt)
        .maxTokens(maxTokens)
        .extraBodyJson(extra)
        .requests(1)
        .seed(0)
        .includeUsage(usage)
        .build();
  }

  private static String body(LoadSpec s) {
    return new String(
        RequestBodies.body(
            s, RequestBodies.extraFields(s.extraBodyJson()), s.workload().items().getFirst()),
        StandardCharsets.UTF_8);
  }

  @Test
  void rootDropsTrailingSlashAndV1() {
    assertThat(RequestBodies.root(URI.create("http://h:8080"))).isEqualTo("http://h:8080");
    assertThat(RequestBodies.root(URI.create("http://h:8080/"))).isEqualTo("http://h:8080");
    assertThat(RequestBodies.root(URI.create("http://h:8080/v1"))).isEqualTo("http://h:8080");
    assertThat(RequestBodies.root(URI.create("http://h:8080/v1/"))).isEqualTo("http://h:8080");
    assertThat(RequestBodies.root(URI.create("https://h/llm/v1"))).isEqualTo("https://h/llm");
    assertThat(RequestBodies.url(URI.create("http://h:8080/v1/"), Endpoint.CHAT))
        .isEqualTo("http://h:8080/v1/chat/completions");
    assertThat(RequestBodies.url(URI.create("http://h:8080"), Endpoint.COMPLETIONS))
        .isEqualTo("http://h:8080/v1/completions");
  }

  @Test
  void chatBody() {
    assertThat(body(spec(Endpoint.CHAT, "m", "say \"hi\"\n", 16, null, true)))
        .isEqualTo(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"say \\\"hi\\\"\\n\"}],"
                + "\"stream\":true,\"max_tokens\":16,\"stream_options\":{\"include_usage\":true}}");
  }

  @Test
  void completionsBodyWithoutOptionalFields() {
    assertThat(body(spec(Endpoint.COMPLETIONS, null, "ден", null, null, false)))
        .isEqualTo("{\"prompt\":\"ден\",\"stream\":true}");
  }

  @Test
  void extraFieldsOverrideOursAndFollowThem() {
    assertThat(
            body(
                spec(
                    Endpoint.CHAT,
                    "m",
                    "p",
                    16,
                    " {\"max_tokens\": 7, \"ignore_eos\": true, \"stop\": [\"a\", {\"b\": null}]} ",
                    false)))
        .isEqualTo(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"p\"}],\"stream\":true,"
                + "\"max_tokens\":7,\"ignore_eos\":true,\"stop\":[\"a\",{\"b\":null}]}");
  }

  @Test
  void blankExtraIsNone() {
    assertThat(RequestBodies.extraFields("  ")).isEmpty();
    assertThat(RequestBodies.extraFields(null)).isEmpty();
  }

  @Test
  void extraMustBeOneJsonObject() {
    assertThatThrownBy(() -> RequestBodies.extraFields("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("extra body JSON must be a JSON object")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> RequestBodies.extraFields("{\"a\":1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("extra body JSON is not valid JSON")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> RequestBodies.extraFields("{\"a\":1} x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void createRejectsBadExtraBodyAndKeys() {
    assertThatThrownBy(
            () ->
                LoadRunner.create(
                    spec(Endpoint.CHAT, null, "p", null, "\"temperature\"", false),
                    io.inferscope.core.RunClock.startNow()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
    LoadSpec withBadKey =
        LoadSpec.builder(URI.create("http://127.0.0.1:1"), Endpoint.CHAT)
            .prompt("p")
            .requests(1)
            .includeUsage(false)
            .apiKey("sk-secret-key\n")
            .build();
    assertThatThrownBy(() -> LoadRunner.create(withBadKey, io.inferscope.core.RunClock.startNow()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("sk-secret-key");
    LoadSpec notHttp =
        LoadSpec.builder(URI.create("ftp://h/"), Endpoint.CHAT)
            .prompt("p")
            .duration(Duration.ofSeconds(1))
            .includeUsage(false)
            .build();
    assertThatThrownBy(() -> LoadRunner.create(notHttp, io.inferscope.core.RunClock.startNow()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp://h/");
  }

  @Test
  void specToStringHidesKeyAndUrlCredentials() {
    LoadSpec spec =
        TestSpecs.to(java.net.URI.create("http://user:hunter2@127.0.0.1:9/v1"))
            .apiKey("sk-not-for-printing")
            .build();
    org.assertj.core.api.Assertions.assertThat(spec.toString())
        .contains("***@127.0.0.1:9")
        .doesNotContain("hunter2")
        .doesNotContain("sk-not-for-printing");
  }
}
