package io.inferscope.probe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** OkHttp clients configured for measurement: nothing hidden, nothing queued, nothing retried. */
final class HttpClients {
  /** Slack on the read timeout while waiting for headers; the watchdog is the real bound. */
  private static final long HEADER_WAIT_SLACK_MILLIS = 1_000;

  /**
   * How long an idle pooled connection is kept. Shorter than the 5 s idle timeout of llama.cpp
   * (cpp-httplib) and of uvicorn (vLLM, SGLang): OkHttp checks an idle connection for a close by
   * the server only after 10 s idle, and with retries off, reusing one the server had already
   * closed would fail a request the server never saw.
   */
  static final Duration POOL_KEEP_ALIVE = Duration.ofSeconds(4);

  private HttpClients() {}

  /** Streams per connection-pool shard: a pool this small is scanned in microseconds. */
  static final int STREAMS_PER_SHARD = 64;

  /**
   * Clients for a run of {@code concurrency} streams, sharing everything but their connection pool:
   * one per {@value #STREAMS_PER_SHARD} streams. OkHttp finds a pooled connection by scanning its
   * whole pool, taking each connection's lock, once per call; with thousands of streams in one pool
   * that scan was the client's largest user-space cost (docs/benchmarks.md). Each request uses the
   * client its thread's id falls to, so a closed-loop worker finds its kept-alive connection in a
   * small pool.
   */
  static OkHttpClient[] forRunSharded(
      String scheme, int concurrency, Timeouts t, Duration poolKeepAlive) {
    int n = Math.max(1, (concurrency + STREAMS_PER_SHARD - 1) / STREAMS_PER_SHARD);
    int perShard = Math.max(5, Math.min(concurrency, STREAMS_PER_SHARD));
    OkHttpClient first = client(scheme, perShard, concurrency, t, poolKeepAlive);
    OkHttpClient[] shards = new OkHttpClient[n];
    shards[0] = first;
    for (int i = 1; i < n; i++) {
      shards[i] =
          first
              .newBuilder()
              .connectionPool(
                  new ConnectionPool(perShard, poolKeepAlive.toMillis(), TimeUnit.MILLISECONDS))
              .build();
    }
    return shards;
  }

  /** Releases the threads and connections of every client of a run. */
  static void shutdown(OkHttpClient[] clients) {
    for (OkHttpClient c : clients) {
      shutdown(c);
    }
  }

  /**
   * One client of a run of {@code concurrency} streams, pooling up to {@code pooled} idle
   * connections. The read timeout is the idle bound between two reads of a body; the wait for the
   * response headers (queueing and prefill on the server) is bounded by the first-byte timeout
   * instead, so a slow prefill is not mistaken for a stall.
   */
  private static OkHttpClient client(
      String scheme, int pooled, int concurrency, Timeouts t, Duration poolKeepAlive) {
    // Synchronous calls on our own virtual threads never use the dispatcher's executor; limits are
    // raised anyway so that nothing is ever queued there (queue time would pass for latency).
    Dispatcher dispatcher = new Dispatcher(Executors.newVirtualThreadPerTaskExecutor());
    dispatcher.setMaxRequests(Math.max(64, concurrency));
    dispatcher.setMaxRequestsPerHost(Math.max(5, concurrency));
    int headerWaitMillis =
        clampMillis(
            Math.max(t.firstByte().toMillis(), t.idle().toMillis()) + HEADER_WAIT_SLACK_MILLIS);
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(
                new ConnectionPool(pooled, poolKeepAlive.toMillis(), TimeUnit.MILLISECONDS))
            .connectTimeout(clamp(t.connect()))
            .readTimeout(clamp(t.idle()))
            .writeTimeout(clamp(t.idle()))
            .callTimeout(clamp(t.total()))
            // A retry would hide a failure and fold two attempts into one latency.
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .eventListenerFactory(
                call -> {
                  RequestHandle h = call.request().tag(RequestHandle.class);
                  return h != null ? h : EventListener.NONE;
                })
            .addInterceptor(
                chain ->
                    chain
                        .withReadTimeout(headerWaitMillis, TimeUnit.MILLISECONDS)
                        .proceed(chain.request()));
    if ("http".equalsIgnoreCase(scheme)) {
      // Engines speak HTTP/1.1 in clear text; one connection per stream, as their clients do.
      b.protocols(List.of(Protocol.HTTP_1_1));
      cleartextOnly(b);
    }
    return b.build();
  }

  /** A small client for one-off requests (engine probe) to a URL of {@code scheme}. */
  static OkHttpClient simple(Duration timeout, String scheme) {
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .connectTimeout(clamp(timeout))
            .readTimeout(clamp(timeout))
            .writeTimeout(clamp(timeout))
            .callTimeout(clamp(timeout.multipliedBy(2)))
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
