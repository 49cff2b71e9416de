package io.inferscope.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real OTLP/HTTP receiver on loopback: it takes {@code /v1/traces} and {@code /v1/metrics} as an
 * OpenTelemetry Collector does and decodes each body with the official protobuf messages. It can
 * answer with an error status, or hold every request until released (a slow receiver).
 */
final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  final List<ExportTraceServiceRequest> traces = Collections.synchronizedList(new ArrayList<>());
  final List<ExportMetricsServiceRequest> metrics = Collections.synchronizedList(new ArrayList<>());

  /** Each request's headers, in arrival order. */
  final List<Map<String, List<String>>> headers = Collections.synchronizedList(new ArrayList<>());

  /** Counted down when a request arrives. */
  final CountDownLatch arrived = new CountDownLatch(1);

  /** Released when a held request may be answered. */
  private final CountDownLatch release = new CountDownLatch(1);

  private volatile int status = 200;
  private volatile boolean hold;

  private OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
    server.setExecutor(executor);
    server.createContext(
        "/v1/traces",
        ex -> handle(ex, body -> traces.add(ExportTraceServiceRequest.parseFrom(body))));
    server.createContext(
        "/v1/metrics",
        ex -> handle(ex, body -> metrics.add(ExportMetricsServiceRequest.parseFrom(body))));
    server.start();
  }

  static OtlpReceiver start() throws IOException {
    return new OtlpReceiver();
  }

  /** Answers every later request with {@code code}. */
  OtlpReceiver answering(int code) {
    status = code;
    return this;
  }

  /** Holds every later request until {@link #release()} (or close). */
  OtlpReceiver holding() {
    hold = true;
    return this;
  }

  void release() {
    release.countDown();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private interface Decoder {
    void decode(byte[] body) throws IOException;
  }

  private void handle(HttpExchange ex, Decoder decoder) throws IOException {
    try (ex;
        InputStream in = ex.getRequestBody()) {
      byte[] body = in.readAllBytes();
      headers.add(Map.copyOf(ex.getRequestHeaders()));
      arrived.countDown();
      if (hold) {
        try {
          // Bounded only against a hang of the test itself.
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (status == 200) {
        if (!"application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
          throw new IOException("not protobuf: " + ex.getRequestHeaders().getFirst("Content-Type"));
        }
        decoder.decode(body);
      }
      ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      ex.sendResponseHeaders(status, -1);
    }
  }

  /** Every span received, in order. */
  List<Span> spans() {
    synchronized (traces) {
      return traces.stream()
          .flatMap(r -> r.getResourceSpansList().stream())
          .flatMap(r -> r.getScopeSpansList().stream())
          .flatMap(s -> s.getSpansList().stream())
          .toList();
    }
  }

  /** Every metric received (a long gauge may come in several pieces), in order. */
  List<Metric> metricsNamed(String name) {
    synchronized (metrics) {
      return metrics.stream()
          .flatMap(r -> r.getResourceMetricsList().stream())
          .flatMap(r -> r.getScopeMetricsList().stream())
          .flatMap(s -> s.getMetricsList().stream())
          .filter(m -> m.getName().equals(name))
          .toList();
    }
  }

  /** The resource attributes of the first trace request. */
  List<KeyValue> resource() {
    return traces.getFirst().getResourceSpans(0).getResource().getAttributesList();
  }

  /** The value of attribute {@code key}, or null. */
  static AnyValue attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
