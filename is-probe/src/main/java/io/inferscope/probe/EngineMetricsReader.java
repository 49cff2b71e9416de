package io.inferscope.probe;

import io.inferscope.core.EngineKind;
import io.inferscope.core.EngineScrape;
import io.inferscope.core.EngineSeries;
import io.inferscope.core.RunClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Reads the engine's {@code /metrics} once per call, stamped on the run clock (send and receive).
 * Keeps the series seen so far, in the order first seen, so every read is a row of values by series
 * index. One read at a time; made to run under a sampling loop of its own, off the load's threads,
 * so it never delays a request.
 */
public final class EngineMetricsReader implements AutoCloseable {

  /** Largest answer read: an engine's exposition is tens of kilobytes. */
  private static final long MAX_BYTES = 8L * 1024 * 1024;

  private final OkHttpClient client;
  private final HttpUrl url;
  private final String apiKey;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<EngineSeries> series = new ArrayList<>();

  private EngineMetricsReader(OkHttpClient client, HttpUrl url, String apiKey) {
    this.client = client;
    this.url = url;
    this.apiKey = apiKey;
  }

  /**
   * A reader of {@code metricsUrl}, or of the engine's {@code /metrics} when it is null.
   *
   * @param timeout bound of each read
   * @throws IllegalArgumentException when the URL is not http(s)
   */
  public static EngineMetricsReader open(
      URI baseUrl, URI metricsUrl, String apiKey, Duration timeout) {
    String u =
        metricsUrl != null ? metricsUrl.toString() : RequestBodies.root(baseUrl) + "/metrics";
    HttpUrl parsed = HttpUrl.parse(u);
    if (parsed == null) {
      throw new IllegalArgumentException("not an http:// or https:// URL: " + u);
    }
    return new EngineMetricsReader(HttpClients.simple(timeout, parsed.scheme()), parsed, apiKey);
  }

  /** Where it reads. */
  public String url() {
    return url.toString();
  }

  /**
   * One read.
   *
   * @throws IOException when the engine cannot be reached, answers other than 200, or answers
   *     something that is not a metrics exposition (an HTML page, no sample at all); the message is
   *     one line naming it
   */
  public EngineScrape read(RunClock clock) throws IOException {
    Request.Builder rb =
        new Request.Builder()
            .url(url)
            .get()
            .header("Accept", "text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5");
    if (apiKey != null) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    long sent = clock.nowNanos();
    String body;
    String type;
    int status;
    try (Response r = client.newCall(rb.build()).execute()) {
      status = r.code();
      type = r.header("Content-Type", "");
      okio.BufferedSource src = r.body().source();
      src.request(MAX_BYTES);
      body =
          src.getBuffer()
              .readString(Math.min(src.getBuffer().size(), MAX_BYTES), StandardCharsets.UTF_8);
    }
    long received = clock.nowNanos();
    if (status != 200) {
      throw new IOException("HTTP " + status + " at " + url.encodedPath());
    }
    if (type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")
        || body.stripLeading().toLowerCase(java.util.Locale.ROOT).startsWith("<")) {
      throw new IOException("an HTML page at " + url.encodedPath() + ", not metrics");
    }
    PrometheusText.Exposition x = PrometheusText.parse(body);
    if (x.samples().isEmpty()) {
      throw new IOException("no metric in the answer at " + url.encodedPath());
    }
    List<Double> values = new ArrayList<>(series.size() + 16);
    for (int i = 0; i < series.size(); i++) {
      values.add(null);
    }
    for (PrometheusText.Sample s : x.samples()) {
      String key = s.key();
      Integer i = index.get(key);
      if (i == null) {
        i = series.size();
        index.put(key, i);
        series.add(new EngineSeries(s.name(), s.labels(), x.typeOf(s.name())));
        values.add(null);
      }
      values.set(i, s.value());
    }
    return new EngineScrape(sent, received, values, x.malformedLines());
  }

  /** Every series seen so far, in the order first seen. */
  public List<EngineSeries> series() {
    return List.copyOf(series);
  }

  /** The engine whose names the series seen so far carry. */
  public EngineKind detect() {
    List<String> names = new ArrayList<>(series.size());
    for (EngineSeries s : series) {
      names.add(s.name());
    }
    return EngineKind.detect(names);
  }

  @Override
  public void close() {
    HttpClients.shutdown(client);
  }
}
