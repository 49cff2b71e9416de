package io.inferscope.otlp;

import io.inferscope.core.RunAnalysis;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a run to an OTLP/HTTP receiver: its spans to {@code v1/traces}, its metrics to {@code
 * v1/metrics}, in protobuf, through the OpenTelemetry SDK's exporters on the JDK's HttpClient (ADR
 * 0018). Every wait is bounded by the target's timeout, no request is retried (exporting the saved
 * run again with {@code report} is the retry), and a failure is returned as one line, never thrown
 * nor logged.
 */
public final class OtlpExport {

  /**
   * The SDK's own loggers: they would print a failed export, with its stack trace, on stderr, where
   * inferscope says it in one line instead. Held here, as the log manager keeps loggers weakly.
   */
  private static final Logger SDK_LOGS = Logger.getLogger("io.opentelemetry");

  /** Most spans (plus their events) or metric points in one request (ADR 0018). */
  static final int MAX_ITEMS_PER_REQUEST = 10_000;

  private OtlpExport() {}

  /**
   * What an export did.
   *
   * @param spans spans the receiver accepted
   * @param points metric points the receiver accepted
   * @param failure one line naming the failure (the signal, then why), or null when every request
   *     succeeded
   */
  public record Outcome(int spans, int points, String failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  /** Exports the run; returns what was accepted, and the first failure of each signal. */
  public static Outcome export(RunAnalysis analysis, OtlpTarget target) {
    SDK_LOGS.setLevel(Level.OFF);
    Resource resource = RunTelemetry.resource(analysis.run(), target.resourceAttributes());
    List<SpanData> spans =
        RunTelemetry.spans(analysis, resource, target.tokenEvents(), IdGenerator.random());
    List<MetricData> metrics = new ArrayList<>(RunTelemetry.metrics(analysis, resource));

    Sent traces;
    OtlpHttpSpanExporter spanExporter = spanExporter(target);
    try {
      traces =
          send(
              batches(spans, s -> 1 + s.getEvents().size()),
              spanExporter::export,
              target.timeout());
    } finally {
      spanExporter.shutdown();
    }
    // A receiver that did not answer (down, unreachable, too slow) would not answer the metrics
    // either: the run waits for it once, not once per signal.
    Sent sentMetrics;
    if (traces.failure() != null && !traces.answered()) {
      sentMetrics = new Sent(0, "not sent", false);
    } else {
      OtlpHttpMetricExporter metricExporter = metricExporter(target);
      try {
        sentMetrics =
            send(
                batches(metrics, m -> m.getData().getPoints().size()),
                metricExporter::export,
                target.timeout());
      } finally {
        metricExporter.shutdown();
      }
    }
    String failure = null;
    if (traces.failure() != null || sentMetrics.failure() != null) {
      failure =
          "traces: "
              + (traces.failure() == null ? "sent" : traces.failure())
              + "; metrics: "
              + (sentMetrics.failure() == null ? "sent" : sentMetrics.failure());
    }
    return new Outcome(traces.items(), sentMetrics.items(), failure);
  }

  private static OtlpHttpSpanExporter spanExporter(OtlpTarget t) {
    var b =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(t.signalUrl("v1/traces"))
            .setTimeout(t.timeout())
            .setConnectTimeout(t.timeout())
            // One attempt: the SDK's default retries would multiply the time a run waits.
            .setRetryPolicy(null)
            .setMeterProvider(MeterProvider.noop());
    t.headers().forEach(b::addHeader);
    return b.build();
  }

  private static OtlpHttpMetricExporter metricExporter(OtlpTarget t) {
    var b =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(t.signalUrl("v1/metrics"))
            .setTimeout(t.timeout())
            .setConnectTimeout(t.timeout())
            .setRetryPolicy(null)
            .setMeterProvider(MeterProvider.noop());
    t.headers().forEach(b::addHeader);
    return b.build();
  }

  /**
   * What one signal's requests did.
   *
   * @param items items the receiver accepted
   * @param failure why a request failed, or null
   * @param answered whether the receiver answered (an error status) rather than not at all
   */
  private record Sent(int items, String failure, boolean answered) {}

  private interface Exporter<T> {
    CompletableResultCode export(List<T> batch);
  }

  /** Sends the batches in order, stopping at the first that fails. */
  private static <T> Sent send(List<Batch<T>> batches, Exporter<T> exporter, Duration timeout) {
    int items = 0;
    for (Batch<T> b : batches) {
      CompletableResultCode r = exporter.export(b.items());
      // The sender bounds connecting and the answer by the timeout each; this guards the rest.
      r.join(2 * timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
      if (!r.isDone()) {
        return new Sent(items, "no answer within " + format(timeout), false);
      }
      if (!r.isSuccess()) {
        Throwable t = r.getFailureThrowable();
        if (t instanceof FailedExportException.HttpExportException h && h.getResponse() != null) {
          return new Sent(items, "HTTP " + h.getResponse().getStatusCode(), true);
        }
        return new Sent(items, reason(t, timeout), false);
      }
      items += b.count();
    }
    return new Sent(items, null, true);
  }

  /** Why a request got no answer, in a few words. */
  static String reason(Throwable t, Duration timeout) {
    Throwable c = t;
    while (c != null
        && c.getCause() != null
        && (c instanceof FailedExportException
            || c instanceof CompletionException
            || c instanceof ExecutionException
            || c instanceof UncheckedIOException)) {
      c = c.getCause();
    }
    if (c == null) {
      return "the exporter gave no reason";
    }
    if (c instanceof HttpConnectTimeoutException) {
      return "no connection within " + format(timeout);
    }
    if (c instanceof HttpTimeoutException) {
      return "no answer within " + format(timeout);
    }
    if (c instanceof ConnectException) {
      return "connection refused";
    }
    if (c instanceof UnknownHostException) {
      return "unknown host " + c.getMessage();
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName()
        + (m == null || m.isBlank() ? "" : ": " + m.replaceAll("\\s+", " ").strip());
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /**
   * Items sent in one request.
   *
   * @param count the items counted (spans or points)
   */
  record Batch<T>(List<T> items, int count) {}

  /**
   * The items in order, in requests of at most {@link #MAX_ITEMS_PER_REQUEST} by weight (an item
   * heavier than that goes alone).
   */
  static <T> List<Batch<T>> batches(List<T> items, ToIntFunction<T> weight) {
    List<Batch<T>> out = new ArrayList<>();
    List<T> current = new ArrayList<>();
    int load = 0;
    int count = 0;
    for (T item : items) {
      int w = weight.applyAsInt(item);
      if (!current.isEmpty() && load + w > MAX_ITEMS_PER_REQUEST) {
        out.add(new Batch<>(List.copyOf(current), count));
        current.clear();
        load = 0;
        count = 0;
      }
      current.add(item);
      load += w;
      count += item instanceof MetricData m ? m.getData().getPoints().size() : 1;
    }
    if (!current.isEmpty()) {
      out.add(new Batch<>(List.copyOf(current), count));
    }
    return out;
  }
}
