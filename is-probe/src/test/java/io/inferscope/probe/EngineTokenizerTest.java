package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inferscope.core.RunFacts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's tokenizer in its two forms, served by loopback servers that answer as llama.cpp and
 * vLLM do; and synthetic prompts made exact with it.
 */
class EngineTokenizerTest {

  private HttpServer server;
  private final AtomicInteger tokenizeCalls = new AtomicInteger();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /**
   * Tokens of a text for the fake engines: a word of up to 6 letters is one token, a longer one two
   * (so a word count is not a token count), and {@code <|user|>}-style markers one each.
   */
  static int tokens(String text) {
    int n = 0;
    for (String w : text.strip().split("\\s+")) {
      if (!w.isEmpty()) {
        n += w.length() > 6 && !w.startsWith("<|") ? 2 : 1;
      }
    }
    return n;
  }

  /** A string field of a flat JSON body (the fake engines' bodies have no nesting to speak of). */
  private static String field(String body, String name) {
    int at = body.indexOf("\"" + name + "\":\"");
    if (at < 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = at + name.length() + 4; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\') {
        char next = body.charAt(++i);
        sb.append(next == 'n' ? '\n' : next);
      } else if (c == '"') {
        return sb.toString();
      } else {
        sb.append(c);
      }
    }
    return null;
  }

  private static void answer(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  private URI llamaCpp() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/tokenize",
        x -> {
          tokenizeCalls.incrementAndGet();
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String content = field(body, "content");
          StringBuilder ids = new StringBuilder();
          if (content != null) {
            // A start token when asked, as llama.cpp's add_special does.
            int n = tokens(content) + (body.contains("\"add_special\":true") ? 1 : 0);
            for (int i = 0; i < n; i++) {
              ids.append(i == 0 ? "" : ",").append(100 + i);
            }
          }
          answer(x, 200, "{\"tokens\":[" + ids + "]}");
        });
    server.createContext(
        "/apply-template",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String content = field(body, "content");
          answer(x, 200, "{\"prompt\":\"<|user|> " + content + " <|end|> <|assistant|>\"}");
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private URI vllm() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/tokenize",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (body.contains("\"messages\"")) {
            // The chat template: 5 tokens around the content, as vLLM counts them.
            answer(x, 200, "{\"count\":" + (tokens(field(body, "content")) + 5) + "}");
          } else if (field(body, "prompt") != null) {
            answer(
                x, 200, "{\"count\":" + tokens(field(body, "prompt")) + ",\"max_model_len\":4096}");
          } else {
            answer(x, 400, "{\"error\":\"prompt is required\"}");
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void llamaCppFormCountsTextAndItsTemplate() throws IOException {
    try (EngineTokenizer t = EngineTokenizer.detect(llamaCpp(), "m", null, Duration.ofSeconds(5))) {
      assertThat(t).isNotNull();
      assertThat(t.form()).isEqualTo(EngineTokenizer.Form.LLAMA_CPP);
      assertThat(t.count("a lighthouse keeper")).isEqualTo(4);
      // <|user|> ... <|end|> <|assistant|> plus the start token.
      assertThat(t.templateTokens(Endpoint.CHAT)).isEqualTo(4);
      assertThat(t.templateTokens(Endpoint.COMPLETIONS)).isEqualTo(1);
    }
  }

  @Test
  void vllmFormCountsTextAndItsTemplate() throws IOException {
    try (EngineTokenizer t = EngineTokenizer.detect(vllm(), "m", null, Duration.ofSeconds(5))) {
      assertThat(t).isNotNull();
      assertThat(t.form()).isEqualTo(EngineTokenizer.Form.VLLM);
      assertThat(t.count("a lighthouse keeper")).isEqualTo(4);
      assertThat(t.templateTokens(Endpoint.CHAT)).isEqualTo(5);
    }
  }

  @Test
  void anEngineWithoutATokenizerHasNone() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> answer(x, 404, "{\"error\":\"not found\"}"));
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    assertThat(EngineTokenizer.detect(url, null, null, Duration.ofSeconds(5))).isNull();
  }

  @Test
  void syntheticPromptsAreExactAsTheEngineCountsThem() throws IOException {
    SyntheticPrompts.Spec spec = new SyntheticPrompts.Spec(40, 300, 40, 64, 8, 50, 9);
    try (EngineTokenizer t = EngineTokenizer.detect(llamaCpp(), "m", null, Duration.ofSeconds(5))) {
      Workload w = SyntheticPrompts.build(spec, t, Endpoint.CHAT);
      assertThat(w.items()).hasSize(40);
      assertThat(w.ignoreEos()).isTrue();
      assertThat(w.facts().tokenCounting()).isEqualTo(RunFacts.TokenCounting.ENGINE_TOKENIZER);
      assertThat(w.facts().templateTokens()).isEqualTo(4);
      java.util.Random lengths = new java.util.Random(9);
      String shared = null;
      java.util.Set<String> distinct = new java.util.HashSet<>();
      int exact = 0;
      for (WorkItem item : w.items()) {
        int target = (int) Math.max(1, Math.round(300 + lengths.nextGaussian() * 40));
        lengths.nextGaussian(); // the output length's draw
        String text = PromptText.render(item.prompt());
        // The recorded count is the engine's count of the text plus its template, and it is the
        // target within a token: a word of two tokens can step over the target by one.
        assertThat(item.inputTokens()).isEqualTo(tokens(text) + 4);
        assertThat(item.inputTokens()).isBetween(target - 1, target + 1);
        exact += item.inputTokens() == target ? 1 : 0;
        // Every prompt starts with the same 50-token prefix, then goes its own way.
        String[] words = text.split(" ");
        Prompt.Generated g = (Prompt.Generated) item.prompt();
        String prefix = String.join(" ", java.util.Arrays.copyOf(words, g.sharedWords()));
        assertThat(tokens(prefix)).isEqualTo(50);
        if (shared == null) {
          shared = prefix;
        }
        assertThat(prefix).isEqualTo(shared);
        assertThat(distinct.add(text)).isTrue();
      }
      assertThat(exact).isGreaterThan(30);
      assertThat(w.facts().inputTokensMean()).isBetween(280.0, 320.0);
    }
  }

  @Test
  void withoutATokenizerAWordIsATokenAndTheCountsAreEstimates() {
    Workload w =
        SyntheticPrompts.build(
            new SyntheticPrompts.Spec(3, 100, 0, null, 0, 0, 1), null, Endpoint.CHAT);
    for (WorkItem item : w.items()) {
      assertThat(PromptText.render(item.prompt()).split(" ")).hasSize(100);
      assertThat(item.maxTokens()).isNull();
    }
    assertThat(w.ignoreEos()).isFalse();
    assertThat(w.facts().tokenCounting()).isEqualTo(RunFacts.TokenCounting.ESTIMATE);
  }
}
