package io.inferscope.probe;

import java.time.Duration;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * OkHttp clients for one-off requests (the engine probe): nothing hidden, nothing retried. The
 * streams of a run are read by {@link StreamClient}.
 */
final class HttpClients {
  private HttpClients() {}

  /** A small client for one-off requests (engine probe) to a URL of {@code scheme}. */
  static OkHttpClient simple(Duration timeout, String scheme) {
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .connectTimeout(clamp(timeout))
            .readTimeout(clamp(timeout))
            .writeTimeout(clamp(timeout))
            // Not Duration.multipliedBy: it goes through BigDecimal, whose class set-up takes
            // about 20 ms on the way to the first request (see ModelList).
            .callTimeout(clamp(timeout.plus(timeout)))
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .protocols(List.of(Protocol.HTTP_1_1));
    if ("http".equalsIgnoreCase(scheme)) {
      cleartextOnly(b);
    }
    return b.build();
  }

  /**
   * No TLS for an {@code http://} engine: a client that may speak TLS builds the platform's trust
   * manager and socket factory when it is made, about 100 ms of start-up before the first request.
   */
  private static void cleartextOnly(OkHttpClient.Builder b) {
    b.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
  }

  /**
   * The key goes into a header, where only visible ASCII may. The message never shows the key.
   *
   * @throws IllegalArgumentException when the key cannot be sent
   */
  static void checkApiKey(String apiKey) {
    if (apiKey == null) {
      return;
    }
    if (apiKey.isEmpty()) {
      throw new IllegalArgumentException("the API key is empty");
    }
    for (int i = 0; i < apiKey.length(); i++) {
      char c = apiKey.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "the API key has a character not allowed in an HTTP header (position "
                + (i + 1)
                + "): only visible ASCII, no spaces or line breaks");
      }
    }
  }

  /** Releases the client's threads and connections. */
  static void shutdown(OkHttpClient client) {
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private static Duration clamp(Duration d) {
    return Duration.ofMillis(clampMillis(d.toMillis()));
  }

  private static int clampMillis(long millis) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
  }
}
