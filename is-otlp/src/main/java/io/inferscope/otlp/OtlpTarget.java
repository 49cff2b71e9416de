package io.inferscope.otlp;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and how a run is exported over OTLP/HTTP (protobuf).
 *
 * @param endpoint the receiver's base URL, e.g. {@code http://127.0.0.1:4318}: each signal's path
 *     ({@code v1/traces}, {@code v1/metrics}) is appended to it, as the OpenTelemetry specification
 *     says for {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * @param headers sent with every request (often an API key): never printed, see {@link #toString}
 * @param timeout the bound on each wait: connecting, and each request's answer
 * @param resourceAttributes resource attributes given by the user ({@code service.name} among them
 *     when given), laid over inferscope's own
 * @param tokenEvents whether each request's span carries one event per streamed text event
 */
public record OtlpTarget(
    URI endpoint,
    Map<String, String> headers,
    Duration timeout,
    Map<String, String> resourceAttributes,
    boolean tokenEvents) {

  public OtlpTarget {
    if (endpoint == null || timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("an endpoint and a positive timeout are required");
    }
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(resourceAttributes));
  }

  /**
   * The URL of one signal: the base endpoint with {@code path} (e.g. {@code v1/traces}) appended.
   */
  public String signalUrl(String path) {
    String base = endpoint.toString();
    return (base.endsWith("/") ? base : base + "/") + path;
  }

  /** Names the headers, never their values: they may hold credentials. */
  @Override
  public String toString() {
    return "OtlpTarget[endpoint="
        + endpoint
        + ", headers="
        + headers.keySet()
        + " (values hidden), timeout="
        + timeout
        + ", resourceAttributes="
        + resourceAttributes
        + ", tokenEvents="
        + tokenEvents
        + "]";
  }
}
