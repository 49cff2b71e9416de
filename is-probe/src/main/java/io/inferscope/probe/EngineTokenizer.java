package io.inferscope.probe;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Counts tokens with the engine's own tokenizer, {@code POST /tokenize}, in the two forms engines
 * serve: llama.cpp's ({@code {"content": ...}} → {@code {"tokens": [...]}}, with {@code
 * /apply-template} for the chat template) and vLLM's ({@code {"prompt": ...}} or {@code
 * {"messages": [...]}} → {@code {"count": n, ...}}). Used before load only: never during a run.
 *
 * <p>{@link #detect} tries both forms once; an engine that serves neither has no tokenizer here,
 * and the workload's counts are then estimates, labelled so in the report.
 */
public final class EngineTokenizer implements AutoCloseable {

  private static final JsonFactory JSON = new JsonFactory();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  /** Requests in flight at once when counting many texts: enough to hide a round trip. */
  private static final int PARALLEL = 8;

  /** The engine's form of the endpoint. */
  enum Form {
    LLAMA_CPP,
    VLLM
  }

  private final OkHttpClient client;
  private final String root;
  private final String model;
  private final String apiKey;
  private final Form form;

  private EngineTokenizer(
      OkHttpClient client, String root, String model, String apiKey, Form form) {
    this.client = client;
    this.root = root;
    this.model = model;
    this.apiKey = apiKey;
    this.form = form;
  }

  /**
   * The engine's tokenizer, or null when it serves none that answers a count.
   *
   * @param timeout bound of each request
   * @throws EngineUnreachableException when the engine cannot be reached at all
   */
  public static EngineTokenizer detect(URI baseUrl, String model, String apiKey, Duration timeout) {
    HttpClients.checkApiKey(apiKey);
    String root = RequestBodies.root(baseUrl);
    OkHttpClient client = HttpClients.simple(timeout, baseUrl.getScheme());
    for (Form form : Form.values()) {
      EngineTokenizer t = new EngineTokenizer(client, root, model, apiKey, form);
      try {
        // Two words: a tokenizer answers 2 or more (some add a start token); 0 means it ignored
        // the form (llama.cpp answers [] to a body without "content").
        Integer n = t.tryCount("hello world", false);
        if (n != null && n >= 2) {
          return t;
        }
      } catch (IOException e) {
        HttpClients.shutdown(client);
        throw new EngineUnreachableException(
            "cannot reach " + root + " to count tokens: " + Failures.describe(e), e);
      }
    }
    HttpClients.shutdown(client);
    return null;
  }

  /** Tokens of {@code text} alone: no start token, no template. */
  public int count(String text) {
    try {
      Integer n = tryCount(text, false);
      if (n == null) {
        throw new IllegalStateException("the engine's /tokenize stopped answering");
      }
      return n;
    } catch (IOException e) {
      throw new IllegalStateException(
          "counting tokens with " + root + "/tokenize failed: " + Failures.describe(e), e);
    }
  }

  /** {@link #count} of each text, several requests in flight; in order. */
  public int[] countAll(List<String> texts) {
    int[] out = new int[texts.size()];
    Semaphore permits = new Semaphore(PARALLEL);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> futures = new ArrayList<>(texts.size());
      for (String t : texts) {
        futures.add(
            pool.submit(
                () -> {
                  permits.acquire();
                  try {
                    return count(t);
                  } finally {
                    permits.release();
                  }
                }));
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = futures.get(i).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting tokens", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
    return out;
  }

  /**
   * Tokens the engine adds around a prompt of {@code endpoint}: the chat template (chat) or the
   * start token (completions), as its tokenizer counts them; null when it cannot say.
   */
  public Integer templateTokens(Endpoint endpoint) {
    String probe = "hello world";
    try {
      Integer bare = tryCount(probe, false);
      if (bare == null) {
        return null;
      }
      if (endpoint == Endpoint.COMPLETIONS) {
        Integer special = tryCount(probe, true);
        return special == null ? null : Math.max(0, special - bare);
      }
      Integer chat = form == Form.LLAMA_CPP ? llamaChatCount(probe) : vllmChatCount(probe);
      return chat == null ? null : Math.max(0, chat - bare);
    } catch (IOException e) {
      return null;
    }
  }

  /** The engine's form (tests). */
  Form form() {
    return form;
  }

  @Override
  public void close() {
    HttpClients.shutdown(client);
  }

  // ---- requests

  private Integer tryCount(String text, boolean addSpecial) throws IOException {
    String body =
        json(
            g -> {
              if (form == Form.LLAMA_CPP) {
                g.writeStringProperty("content", text);
                g.writeBooleanProperty("add_special", addSpecial);
              } else {
                if (model != null) {
                  g.writeStringProperty("model", model);
                }
                g.writeStringProperty("prompt", text);
                g.writeBooleanProperty("add_special_tokens", addSpecial);
              }
            });
    return countOf(post("/tokenize", body));
  }

  /** llama.cpp: the chat template applied by {@code /apply-template}, then counted whole. */
  private Integer llamaChatCount(String text) throws IOException {
    String templated = stringField(post("/apply-template", messagesBody(text)), "prompt");
    if (templated == null) {
      return null;
    }
    String body =
        json(
            g -> {
              g.writeStringProperty("content", templated);
              g.writeBooleanProperty("add_special", true);
              g.writeBooleanProperty("parse_special", true);
            });
    return countOf(post("/tokenize", body));
  }

  /** vLLM: {@code /tokenize} takes the messages and applies the template itself. */
  private Integer vllmChatCount(String text) throws IOException {
    return countOf(post("/tokenize", messagesBody(text)));
  }

  private String messagesBody(String text) {
    return json(
        g -> {
          if (model != null) {
            g.writeStringProperty("model", model);
          }
          g.writeName("messages");
          g.writeStartArray();
          g.writeStartObject();
          g.writeStringProperty("role", "user");
          g.writeStringProperty("content", text);
          g.writeEndObject();
          g.writeEndArray();
        });
  }

  /**
   * The answer's body, or null when the engine answered other than 200. Tried twice: counting is
   * idempotent, and an engine may close a kept-alive connection just as it is reused (llama.cpp
   * does, see ADR 0004).
   */
  private byte[] post(String path, String body) throws IOException {
    try {
      return postOnce(path, body);
    } catch (IOException first) {
      return postOnce(path, body);
    }
  }

  private byte[] postOnce(String path, String body) throws IOException {
    Request.Builder rb =
        new Request.Builder().url(root + path).post(RequestBody.create(body, JSON_TYPE));
    if (apiKey != null) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    try (Response r = client.newCall(rb.build()).execute()) {
      if (r.code() != 200) {
        return null;
      }
      return r.body().bytes();
    }
  }

  /** {@code count}, else the length of {@code tokens}; null when the body has neither. */
  static Integer countOf(byte[] body) {
    if (body == null) {
      return null;
    }
    Integer count = null;
    Integer tokens = null;
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("count") && v == JsonToken.VALUE_NUMBER_INT) {
          count = p.getIntValue();
        } else if (name.equals("tokens") && v == JsonToken.START_ARRAY) {
          int n = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            n++;
          }
          tokens = n;
        } else {
          p.skipChildren();
        }
      }
    } catch (JacksonException e) {
      return null;
    }
    return count != null ? count : tokens;
  }

  private static String stringField(byte[] body, String field) {
    if (body == null) {
      return null;
    }
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(field) && v == JsonToken.VALUE_STRING) {
          return p.getString();
        }
        p.skipChildren();
      }
    } catch (JacksonException e) {
      return null;
    }
    return null;
  }

  private interface Fields {
    void write(JsonGenerator g);
  }

  private static String json(Fields fields) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    }
    return w.toString();
  }
}
