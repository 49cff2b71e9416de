package io.inferscope.probe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Asks an engine what it serves ({@code GET /v1/models}) before a run: to pick the model when none
 * was given, and to fail early with a clear sentence when the engine is not there.
 */
public final class EngineProbe {
  /** Default bound of each wait of the probe: an engine that is up answers this at once. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  private EngineProbe() {}

  /**
   * Does what the first probe would otherwise do on the caller's way to its first request: OkHttp's
   * first call asks the JDK for its security providers (to see whether Conscrypt comes first),
   * which loads every one of them, and its first URL and client load the IDN normalizer and the
   * proxy selector. Sends nothing; never throws. Run by {@link ReaderSetUp}'s thread, before the
   * reader's set-up, which a run needs later.
   */
  static void setUpFirstCall() {
    try {
      java.security.Security.getProviders();
      HttpUrl.get("http://localhost/v1/models");
      HttpClients.shutdown(HttpClients.simple(DEFAULT_TIMEOUT, "http"));
    } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
      // cold, not broken: the probe pays what is left
    }
  }

  /**
   * The engine's model ids, in its order ({@link #probe(URI, String, Duration)}'s {@code
   * modelIds}).
   *
   * @throws EngineUnreachableException as {@link #probe(URI, String, Duration)}
   */
  public static List<String> listModels(URI baseUrl, String apiKey, Duration timeout) {
    return probe(baseUrl, apiKey, timeout).modelIds();
  }

  /** {@link #probe(URI, String, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public static EngineInfo probe(URI baseUrl, String apiKey) {
    return probe(baseUrl, apiKey, DEFAULT_TIMEOUT);
  }

  /**
   * Lists the engine's models.
   *
   * @param baseUrl the engine, with or without a trailing {@code /v1}
   * @param apiKey bearer token, or null
   * @param timeout bound of connecting and of each read
   * @throws EngineUnreachableException when the engine cannot be reached, refuses the key, or
   *     answers with an error
   * @throws IllegalArgumentException when the key has characters a header cannot carry
   */
  public static EngineInfo probe(URI baseUrl, String apiKey, Duration timeout) {
    HttpClients.checkApiKey(apiKey);
    String root = RequestBodies.root(baseUrl);
    HttpUrl url = HttpUrl.parse(root + "/v1/models");
    if (url == null) {
      throw new EngineUnreachableException(
          "not an http:// or https:// URL: " + Excerpts.oneLine(root, 120) + " — check --url");
    }
    OkHttpClient client = HttpClients.simple(timeout, url.scheme());
    try {
      Request.Builder rb =
          new Request.Builder().url(url).get().header("Accept", "application/json");
      if (apiKey != null) {
        rb.header("Authorization", "Bearer " + apiKey);
      }
      try (Response response = client.newCall(rb.build()).execute()) {
        int status = response.code();
        String server = response.header("Server");
        if (status == 401 || status == 403) {
          throw new EngineUnreachableException(
              apiKey == null
                  ? "the engine requires an API key (HTTP "
                      + status
                      + "): set INFERSCOPE_API_KEY or --api-key-file"
                  : "the engine refused the API key (HTTP "
                      + status
                      + "): set INFERSCOPE_API_KEY or --api-key-file");
        }
        byte[] body = readBody(response);
        // A web page where an engine answers JSON: a static or other HTTP server at --url.
        if (isHtml(response.header("Content-Type"), body)) {
          throw new EngineUnreachableException(
              root
                  + " is not an OpenAI-compatible engine: GET /v1/models answered HTTP "
                  + status
                  + " with an HTML page"
                  + (server == null ? "" : " (server: " + Excerpts.oneLine(server, 60) + ")")
                  + " — check --url");
        }
        if (status == 404) {
          // Reachable but without a model list (some engines): nothing to default from.
          return new EngineInfo(root, List.of(), server);
        }
        if (status < 200 || status >= 300) {
          throw new EngineUnreachableException(
              "the engine at "
                  + root
                  + " answered GET /v1/models with HTTP "
                  + status
                  + (body.length == 0 ? "" : ": " + Excerpts.oneLine(body, 0, body.length, 160)));
        }
        return new EngineInfo(root, modelIds(body), server);
      }
    } catch (EngineUnreachableException e) {
      throw e;
    } catch (IOException e) {
      throw new EngineUnreachableException(
          "cannot reach "
              + root
              + ": "
              + reason(e, timeout)
              + " — is the engine running, and is --url right?",
          e);
    } finally {
      HttpClients.shutdown(client);
    }
  }

  private static boolean isHtml(String contentType, byte[] body) {
    if (contentType != null
        && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")) {
      return true;
    }
    int i = 0;
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    String start =
        new String(body, i, Math.min(body.length - i, 15), java.nio.charset.StandardCharsets.UTF_8)
            .toLowerCase(java.util.Locale.ROOT);
    return start.startsWith("<!doctype html") || start.startsWith("<html");
  }

  private static byte[] readBody(Response response) throws IOException {
    okio.Buffer buf = new okio.Buffer();
    okio.BufferedSource source = response.body().source();
    while (buf.size() < MAX_BODY_BYTES && source.read(buf, MAX_BODY_BYTES - buf.size()) != -1) {
      // read to the end, or to the limit
    }
    return buf.readByteArray();
  }

  private static String reason(IOException e, Duration timeout) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof ConnectException) {
        String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("refused")) {
          return "connection refused";
        }
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof SSLException) {
        return "TLS failed (" + Failures.describe(t) + ")";
      }
      if (t instanceof InterruptedIOException) {
        return "no answer within " + timeout.toMillis() + " ms";
      }
    }
    return Failures.describe(e);
  }

  /** The {@code id}s of {@code data[]}; falls back to {@code models[].name} (Ollama's shape). */
  static List<String> modelIds(byte[] body) {
    try {
      return ModelList.ids(body);
    } catch (ModelList.Malformed e) {
      throw notAList(body, e.getMessage());
    }
  }

  private static EngineUnreachableException notAList(byte[] body, String why) {
    return new EngineUnreachableException(
        "GET /v1/models did not answer a model list ("
            + why
            + "): "
            + Excerpts.oneLine(body, 0, body.length, 160)
            + " — is --url an OpenAI-compatible engine?");
  }
}
