package io.inferscope.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.Timeline;
import io.inferscope.core.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hand-built run as spans and metrics, before any transport. */
class RunTelemetryTest {
  static final long MS = 1_000_000L;
  static final RunClock CLOCK = new RunClock(77, Instant.parse("2026-03-01T10:00:00.000000123Z"));

  /** Text events at the given offsets (ms) after a role chunk at send. */
  static RequestTrace ok(int id, boolean warmup, long sendMs, long endMs, long... textMs) {
    EventLog.Builder b = new EventLog.Builder().add(sendMs * MS, ChunkKind.ROLE, 0);
    for (long t : textMs) {
      b.add(t * MS, ChunkKind.CONTENT, 4);
    }
    return new RequestTrace(
        id,
        warmup,
        sendMs * MS,
        sendMs * MS,
        sendMs * MS + MS,
        endMs * MS,
        200,
        b.build(),
        new Usage(11, textMs.length, 11 + textMs.length, null, null),
        null,
        "length",
        null);
  }

  static RunResult run() {
    GpuDevice d0 = new GpuDevice(0, "NVIDIA H100", "GPU-aaaa", 80L << 30, 700.0);
    GpuDevice d1 = new GpuDevice(1, "NVIDIA H100", "GPU-bbbb", 80L << 30, 700.0);
    List<GpuTick> ticks =
        List.of(
            new GpuTick(
                100 * MS,
                List.of(
                    new GpuSample(
                        100 * MS, 0, 90, 40, 1L << 30, 350.5, 60, 1980, 2600, 1L, List.of()),
                    new GpuSample(
                        101 * MS, 1, 10, 5, 2L << 30, 120.0, 50, 1980, 2600, 1L, List.of()))),
            new GpuTick(
                200 * MS,
                List.of(
                    new GpuSample(
                        200 * MS, 0, 95, 41, 1L << 30, null, 61, 1980, 2600, 2L, List.of()))));
    HardwareSamples hw =
        new HardwareSamples(
            null, null, List.of(d0, d1), new Timeline<>("nvml", 100 * MS, ticks, null));
    List<RequestTrace> traces =
        List.of(
            ok(0, true, 0, 30, 20, 25),
            ok(1, false, 40, 200, 90, 100, 110, 120),
            ok(2, false, 50, 300, 80, 290),
            new RequestTrace(
                3,
                false,
                60 * MS,
                61 * MS,
                null,
                70 * MS,
                500,
                EventLog.empty(),
                null,
                null,
                null,
                new Failure.Http(500, "boom")));
    return new RunResult(
        new RunMeta(
            "1.2.3",
            "run",
            List.of("run"),
            "http://engine.test:8000",
            "completions",
            "tiny",
            Map.of("max_tokens", "4")),
        CLOCK,
        traces,
        400 * MS,
        false,
        null,
        hw);
  }

  @Test
  void oneSpanForTheRunAndAChildPerMeasuredRequestAtTheRunsWallTimes() {
    RunAnalysis a = RunAnalysis.of(run());
    List<SpanData> spans = RunTelemetry.spans(a, Resource.empty(), false, IdGenerator.random());

    assertThat(spans).hasSize(a.requests().size() + 1).hasSize(4);
    SpanData root = spans.getFirst();
    assertThat(root.getName()).isEqualTo("inferscope run");
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    assertThat(root.getStartEpochNanos()).isEqualTo(CLOCK.epochNanosAt(0));
    assertThat(root.getEndEpochNanos()).isEqualTo(CLOCK.epochNanosAt(400 * MS));
    assertThat(root.getAttributes().get(AttributeKey.longKey("inferscope.warmup_requests")))
        .isEqualTo(1);

    SpanData first = spans.get(1);
    assertThat(first.getName()).isEqualTo("text_completion tiny");
    assertThat(first.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(first.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(first.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(first.getStartEpochNanos()).isEqualTo(CLOCK.epochNanosAt(40 * MS));
    assertThat(first.getEndEpochNanos()).isEqualTo(CLOCK.epochNanosAt(200 * MS));
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    Attributes at = first.getAttributes();
    assertThat(at.get(AttributeKey.stringKey("gen_ai.operation.name")))
        .isEqualTo("text_completion");
    assertThat(at.get(AttributeKey.stringKey("server.address"))).isEqualTo("engine.test");
    assertThat(at.get(AttributeKey.longKey("server.port"))).isEqualTo(8000);
    assertThat(at.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(11);
    assertThat(at.get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(4);
    assertThat(at.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("length");
    assertThat(at.get(AttributeKey.longKey("inferscope.ttft_ns")))
        .isEqualTo(a.requests().getFirst().metrics().ttftNanos())
        .isEqualTo(50 * MS);
    assertThat(at.get(AttributeKey.doubleKey("inferscope.tpot_ns")))
        .isEqualTo(a.requests().getFirst().metrics().tpotNanos());
    assertThat(first.getEvents())
        .extracting(EventData::getName, EventData::getEpochNanos)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("first_token", CLOCK.epochNanosAt(90 * MS)),
            org.assertj.core.groups.Tuple.tuple("last_token", CLOCK.epochNanosAt(120 * MS)));

    SpanData failed = spans.get(3);
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getStatus().getDescription()).isEqualTo("http_500");
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("http_500");
    assertThat(failed.getEvents()).isEmpty();
  }

  @Test
  void tokenEventsAddOneEventPerTextEvent() {
    List<SpanData> spans =
        RunTelemetry.spans(RunAnalysis.of(run()), Resource.empty(), true, IdGenerator.random());
    assertThat(spans.get(1).getEvents())
        .extracting(EventData::getName)
        .containsExactly("first_token", "token", "token", "token", "token", "last_token");
    assertThat(spans.get(1).getEvents().get(4).getEpochNanos())
        .isEqualTo(CLOCK.epochNanosAt(120 * MS));
  }

  @Test
  void histogramsCountTheRunsRequestsInTheirBuckets() {
    RunAnalysis a = RunAnalysis.of(run());
    List<ExportedMetric> metrics = RunTelemetry.metrics(a, Resource.empty());
    HistogramPointData ttft = histogram(metrics, "gen_ai.server.time_to_first_token").getFirst();
    assertThat(ttft.getCount()).isEqualTo(a.metrics().ttftNanos().count()).isEqualTo(2);
    assertThat(ttft.getBoundaries()).isEqualTo(RunTelemetry.TTFT_BOUNDARIES_SECONDS);
    // TTFTs of 50 ms and 30 ms: (0.04, 0.06] and (0.02, 0.04].
    assertThat(ttft.getCounts().get(5)).isEqualTo(1);
    assertThat(ttft.getCounts().get(4)).isEqualTo(1);
    assertThat(ttft.getSum()).isEqualTo(0.08, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(ttft.getStartEpochNanos()).isEqualTo(CLOCK.epochNanosAt(0));
    assertThat(ttft.getEpochNanos()).isEqualTo(CLOCK.epochNanosAt(400 * MS));

    List<HistogramPointData> duration = histogram(metrics, "gen_ai.client.operation.duration");
    assertThat(duration).hasSize(2);
    assertThat(duration.get(0).getCount()).isEqualTo(a.metrics().ok());
    assertThat(duration.get(1).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("http_500");
    assertThat(duration.get(1).getCount()).isEqualTo(1);

    List<HistogramPointData> usage = histogram(metrics, "gen_ai.client.token.usage");
    assertThat(usage)
        .extracting(p -> p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type")))
        .containsExactly("input", "output");
    assertThat(usage.get(1).getSum()).isEqualTo(a.metrics().outputTokensTotal());
  }

  @Test
  void gpuGaugesArePerDeviceAtEachSamplesTime() {
    List<ExportedMetric> metrics = RunTelemetry.metrics(RunAnalysis.of(run()), Resource.empty());
    MetricData util =
        metrics.stream()
            .filter(m -> m.getName().equals("inferscope.gpu.utilization"))
            .findFirst()
            .orElseThrow();
    assertThat(util.getType()).isEqualTo(MetricDataType.LONG_GAUGE);
    assertThat(util.getLongGaugeData().getPoints())
        .extracting(
            LongPointData::getEpochNanos,
            LongPointData::getValue,
            p -> p.getAttributes().get(AttributeKey.stringKey("inferscope.gpu.uuid")))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CLOCK.epochNanosAt(100 * MS), 90L, "GPU-aaaa"),
            org.assertj.core.groups.Tuple.tuple(CLOCK.epochNanosAt(200 * MS), 95L, "GPU-aaaa"),
            org.assertj.core.groups.Tuple.tuple(CLOCK.epochNanosAt(101 * MS), 10L, "GPU-bbbb"));
    MetricData power =
        metrics.stream()
            .filter(m -> m.getName().equals("inferscope.gpu.power"))
            .findFirst()
            .orElseThrow();
    // The second tick had no power reading: absent, not zero.
    assertThat(power.getDoubleGaugeData().getPoints()).hasSize(2);
  }

  @Test
  void batchesKeepOrderAndStayUnderTheLimitByWeight() {
    List<Integer> items = java.util.stream.IntStream.range(0, 25).boxed().toList();
    List<OtlpExport.Batch<Integer>> b =
        OtlpExport.batches(items, i -> OtlpExport.MAX_ITEMS_PER_REQUEST / 10);
    assertThat(b).extracting(OtlpExport.Batch::count).containsExactly(10, 10, 5);
    assertThat(b.stream().flatMap(x -> x.items().stream()).toList()).isEqualTo(items);
  }

  private static List<HistogramPointData> histogram(List<ExportedMetric> metrics, String name) {
    return metrics.stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getHistogramData()
        .getPoints()
        .stream()
        .toList();
  }
}
