package io.inferscope.cli;

import static io.inferscope.cli.OtlpReceiver.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inferscope.core.EngineView;
import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.MeasuredRequest;
import io.inferscope.core.ProcessTreeSeries;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunResult;
import io.inferscope.core.Timeline;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run --otlp-endpoint} and {@code report --otlp-endpoint} against the simulated engine and a
 * real OTLP/HTTP receiver on loopback that decodes what it is sent with the official messages.
 */
class OtlpCliTest {

  @TempDir Path dir;

  private static final String SECRET = "sk-otlp-secret-4711";

  /** vLLM's /metrics names, so that the engine view has points; one request in four fails. */
  private static SimConfig sim() {
    return CliTest.fastSim()
        .withMetricsNames(SimConfig.MetricsNames.VLLM)
        .withFault(SimConfig.Fault.HTTP_500, 4, 0);
  }

  @Test
  void runExportsOneSpanPerMeasuredRequestAndMetricsAtTheRunsWallTimes() throws Exception {
    try (SimEngine engine = SimEngine.start(sim());
        OtlpReceiver receiver = OtlpReceiver.start()) {
      Path json = dir.resolve("run.json");
      Map<String, String> env =
          Map.of(
              "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20" + SECRET,
              "OTEL_SERVICE_NAME", "bench-svc",
              "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=ci,service.name=overridden");
      CliTest.Result r =
          run(
              env,
              "--url",
              engine.baseUrl(),
              "-c",
              "2",
              "-n",
              "8",
              "--warmup",
              "1",
              "--max-tokens",
              "8",
              "--engine-metrics-period",
              "50ms",
              "--json",
              json.toString(),
              "--progress",
              "off",
              "--otlp-endpoint",
              receiver.url());
      assertThat(r.code()).as(r.err()).isZero();
      RunAnalysis a = RunAnalysis.of(JsonReport.read(json));
      RunClock clock = a.run().clock();
      assertThat(a.metrics().failed()).as("the simulator's faults").isPositive();
      assertThat(r.err())
          .contains("inferscope: OTLP: " + (a.requests().size() + 1) + " spans and ")
          .contains(" sent to " + receiver.url())
          .doesNotContain(SECRET);
      assertThat(r.out()).doesNotContain(SECRET);
      assertThat(Files.readString(json)).doesNotContain(SECRET);
      assertThat(receiver.headers.getFirst().get("Authorization"))
          .containsExactly("Bearer " + SECRET);

      // Spans: the run, and a child per measured request.
      List<Span> spans = receiver.spans();
      assertThat(spans).hasSize(a.requests().size() + 1);
      Span root = spans.getFirst();
      assertThat(root.getName()).isEqualTo("inferscope run");
      assertThat(root.getParentSpanId()).isEqualTo(ByteString.EMPTY);
      assertThat(root.getStartTimeUnixNano()).isEqualTo(clock.epochNanosAt(0));
      assertThat(root.getEndTimeUnixNano()).isEqualTo(clock.epochNanosAt(a.run().endNanos()));
      assertThat(attribute(root.getAttributesList(), "inferscope.warmup_requests").getIntValue())
          .isEqualTo(1);
      Map<Long, MeasuredRequest> byId = new HashMap<>();
      a.requests().forEach(m -> byId.put((long) m.id(), m));
      int failed = 0;
      for (Span s : spans.subList(1, spans.size())) {
        assertThat(s.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(s.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(s.getName()).isEqualTo("chat sim-model");
        List<KeyValue> at = s.getAttributesList();
        MeasuredRequest m = byId.get(attribute(at, "inferscope.request_id").getIntValue());
        RequestTrace t = m.trace();
        assertThat(s.getStartTimeUnixNano()).isEqualTo(clock.epochNanosAt(t.sendNanos()));
        assertThat(s.getEndTimeUnixNano()).isEqualTo(clock.epochNanosAt(t.endNanos()));
        assertThat(attribute(at, "gen_ai.operation.name").getStringValue()).isEqualTo("chat");
        assertThat(attribute(at, "gen_ai.request.model").getStringValue()).isEqualTo("sim-model");
        assertThat(attribute(at, "server.address").getStringValue()).isEqualTo("127.0.0.1");
        assertThat(attribute(at, "server.port").getIntValue()).isEqualTo(engine.port());
        assertThat(attribute(at, "inferscope.warmup").getBoolValue()).isFalse();
        if (t.ok()) {
          assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
          assertThat(attribute(at, "inferscope.ttft_ns").getIntValue())
              .isEqualTo(m.metrics().ttftNanos());
          assertThat(attribute(at, "inferscope.tpot_ns").getDoubleValue())
              .isEqualTo(m.metrics().tpotNanos());
          assertThat(attribute(at, "gen_ai.usage.output_tokens").getIntValue()).isEqualTo(8);
          assertThat(attribute(at, "gen_ai.usage.input_tokens")).isNotNull();
          assertThat(
                  attribute(at, "gen_ai.response.finish_reasons")
                      .getArrayValue()
                      .getValues(0)
                      .getStringValue())
              .isEqualTo(t.finishReason());
          assertThat(s.getEventsList())
              .extracting(Span.Event::getName, Span.Event::getTimeUnixNano)
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple(
                      "first_token",
                      clock.epochNanosAt(t.events().atNanos(t.events().firstTextIndex()))),
                  org.assertj.core.groups.Tuple.tuple(
                      "last_token",
                      clock.epochNanosAt(t.events().atNanos(t.events().lastTextIndex()))));
        } else {
          failed++;
          assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
          assertThat(s.getStatus().getMessage())
              .isEqualTo(t.failure().code())
              .isEqualTo("http_500");
          assertThat(attribute(at, "error.type").getStringValue()).isEqualTo("http_500");
        }
      }
      assertThat(failed).isEqualTo(a.metrics().failed());

      List<KeyValue> resource = receiver.resource();
      assertThat(attribute(resource, "service.name").getStringValue()).isEqualTo("bench-svc");
      assertThat(attribute(resource, "deployment.environment").getStringValue()).isEqualTo("ci");

      // Histograms: the run's own counts, in the documented buckets.
      HistogramDataPoint ttft = onlyPoint(receiver, "gen_ai.server.time_to_first_token");
      assertThat(ttft.getCount()).isEqualTo(a.metrics().ttftNanos().count());
      assertThat(ttft.getExplicitBoundsList())
          .containsExactly(
              0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
              10.0);
      assertThat(ttft.getBucketCountsList().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(ttft.getCount());
      assertThat(ttft.getSum())
          .isCloseTo(
              a.metrics().ttftNanos().mean() * a.metrics().ttftNanos().count() / 1e9,
              org.assertj.core.data.Offset.offset(1e-9));
      assertThat(ttft.getStartTimeUnixNano()).isEqualTo(clock.epochNanosAt(0));
      assertThat(ttft.getTimeUnixNano()).isEqualTo(clock.epochNanosAt(a.run().endNanos()));
      assertThat(receiver.metricsNamed("gen_ai.server.time_to_first_token").getFirst().getUnit())
          .isEqualTo("s");
      assertThat(onlyPoint(receiver, "gen_ai.server.time_per_output_token").getCount())
          .isEqualTo(a.metrics().tpotNanos().count());
      List<HistogramDataPoint> durations =
          receiver
              .metricsNamed("gen_ai.client.operation.duration")
              .getFirst()
              .getHistogram()
              .getDataPointsList();
      assertThat(durations).hasSize(2);
      assertThat(durations.get(0).getCount()).isEqualTo(a.metrics().ok());
      assertThat(attribute(durations.get(1).getAttributesList(), "error.type").getStringValue())
          .isEqualTo("http_500");
      assertThat(durations.get(1).getCount()).isEqualTo(a.metrics().failed());
      List<HistogramDataPoint> usage =
          receiver
              .metricsNamed("gen_ai.client.token.usage")
              .getFirst()
              .getHistogram()
              .getDataPointsList();
      assertThat(usage)
          .extracting(p -> attribute(p.getAttributesList(), "gen_ai.token.type").getStringValue())
          .containsExactly("input", "output");
      assertThat(usage.get(1).getSum()).isEqualTo(a.metrics().outputTokensTotal());

      // Gauges: each point at its own sample's wall time.
      ProcessTreeSeries tree = a.hardware().processTree().series();
      List<NumberDataPoint> rss = gaugePoints(receiver, "inferscope.process_tree.memory.rss");
      assertThat(rss).hasSize(tree.sampleAtNanos().length).isNotEmpty();
      for (int i = 0; i < rss.size(); i++) {
        assertThat(rss.get(i).getTimeUnixNano())
            .isEqualTo(clock.epochNanosAt(tree.sampleAtNanos()[i]));
        assertThat(rss.get(i).getAsInt()).isEqualTo(tree.rssBytes()[i]);
      }
      assertThat(gaugePoints(receiver, "inferscope.process_tree.cpu")).isNotEmpty();
      List<EngineView.Point> points = a.engine().points();
      List<NumberDataPoint> running = gaugePoints(receiver, "inferscope.engine.requests.running");
      assertThat(running).hasSameSizeAs(points).isNotEmpty();
      for (int i = 0; i < running.size(); i++) {
        assertThat(running.get(i).getTimeUnixNano())
            .isEqualTo(clock.epochNanosAt(points.get(i).atNanos()));
        assertThat(running.get(i).getAsDouble()).isEqualTo(points.get(i).running());
      }
    }
  }

  @Test
  void reportExportsASavedRunWithItsOriginalTimesAndItsGpus() throws Exception {
    Path json = savedRunWithGpus();
    RunAnalysis a = RunAnalysis.of(JsonReport.read(json));
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      CliTest.Result r =
          report(
              Map.of(), json.toString(), "--otlp-endpoint", receiver.url(), "--otlp-token-events");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).as("no text report unless asked: the export is the output").isEmpty();
      List<Span> spans = receiver.spans();
      assertThat(spans).hasSize(a.requests().size() + 1);
      RunClock clock = a.run().clock();
      for (int i = 0; i < a.requests().size(); i++) {
        MeasuredRequest m = a.requests().get(i);
        Span s = spans.get(i + 1);
        assertThat(s.getStartTimeUnixNano()).isEqualTo(clock.epochNanosAt(m.trace().sendNanos()));
        assertThat(s.getEventsList().stream().filter(e -> e.getName().equals("token")).count())
            .isEqualTo(m.metrics().textChunks());
      }
      List<NumberDataPoint> util = gaugePoints(receiver, "inferscope.gpu.utilization");
      assertThat(util)
          .extracting(
              NumberDataPoint::getTimeUnixNano,
              NumberDataPoint::getAsInt,
              p -> attribute(p.getAttributesList(), "inferscope.gpu.uuid").getStringValue(),
              p -> attribute(p.getAttributesList(), "inferscope.gpu.index").getIntValue())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(clock.epochNanosAt(1_000_000), 70L, "GPU-0a", 0L),
              org.assertj.core.groups.Tuple.tuple(clock.epochNanosAt(3_000_000), 71L, "GPU-0a", 0L),
              org.assertj.core.groups.Tuple.tuple(
                  clock.epochNanosAt(2_000_000), 20L, "GPU-1b", 1L));
      assertThat(gaugePoints(receiver, "inferscope.gpu.power"))
          .extracting(NumberDataPoint::getAsDouble)
          .containsExactly(301.5, 302.5, 99.0);
      assertThat(gaugePoints(receiver, "inferscope.gpu.memory.used"))
          .extracting(NumberDataPoint::getAsInt)
          .containsExactly(1L << 30, 1L << 30, 2L << 30);
    }
  }

  @Test
  void reportIsNotExportedByTheEnvironmentAlone() throws Exception {
    Path json = savedRunWithGpus();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      CliTest.Result r =
          report(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url()), json.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("TTFT");
      assertThat(r.err()).doesNotContain("OTLP");
      assertThat(receiver.traces).isEmpty();
    }
  }

  @Test
  void aReceiverThatIsDownCostsOneLineAndNothingElse() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      Path json = dir.resolve("down.json");
      // The environment's endpoint turns export on for run.
      CliTest.Result r =
          run(
              Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port),
              small(engine, json));
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(JsonReport.read(json).traces()).hasSize(2);
      assertThat(r.out()).contains("TTFT");
      List<String> otlp = r.err().lines().filter(l -> l.contains("OTLP")).toList();
      assertThat(otlp)
          .containsExactly(
              "inferscope: OTLP export to http://127.0.0.1:"
                  + port
                  + " failed: traces: connection refused; metrics: not sent; the run's other"
                  + " outputs are intact");
      // The SDK's own log lines go to the process's stderr, not to this writer: JarIT checks them.
    }
  }

  @Test
  void anErrorStatusIsAWarningAndWithOtlpRequiredExitOne() throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim());
        OtlpReceiver receiver = OtlpReceiver.start().answering(500)) {
      Path json = dir.resolve("500.json");
      CliTest.Result warned = run(Map.of(), small(engine, json, "--otlp-endpoint", receiver.url()));
      assertThat(warned.code()).as(warned.err()).isZero();
      assertThat(warned.err())
          .contains(
              "inferscope: OTLP export to "
                  + receiver.url()
                  + " failed: traces: HTTP 500; metrics: HTTP 500; the run's other outputs are"
                  + " intact\n");
      assertThat(receiver.headers).as("both signals tried: the receiver answered").hasSize(2);

      Path json2 = dir.resolve("500-required.json");
      CliTest.Result required =
          run(Map.of(), small(engine, json2, "--otlp-endpoint", receiver.url(), "--otlp-required"));
      assertThat(required.code()).isEqualTo(ExitCodes.FAILURE);
      assertThat(required.err()).contains("failed: traces: HTTP 500").contains("--otlp-required");
      assertThat(JsonReport.read(json2).traces()).hasSize(2);
    }
  }

  @Test
  void aSlowReceiverIsGivenUpAfterTheTimeout() throws Exception {
    try (SimEngine engine = SimEngine.start(CliTest.fastSim());
        OtlpReceiver receiver = OtlpReceiver.start().holding()) {
      Path json = dir.resolve("slow.json");
      CliTest.Result r =
          run(
              Map.of(),
              small(engine, json, "--otlp-endpoint", receiver.url(), "--otlp-timeout", "300ms"));
      // The command returned while the receiver still held the request: it did not wait for it.
      assertThat(receiver.arrived.await(0, TimeUnit.SECONDS)).isTrue();
      assertThat(receiver.traces).isEmpty();
      receiver.release();
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err())
          .contains(
              "failed: traces: no answer within 300 ms; metrics: not sent; the run's other outputs"
                  + " are intact");
      assertThat(JsonReport.read(json).traces()).hasSize(2);
    }
  }

  @Test
  void badOtlpInputIsAOneLineUsageErrorBeforeAnyLoad() throws Exception {
    Path headers = Files.writeString(dir.resolve("headers"), "x-ok=1\n" + SECRET + "\n");
    Object[][] cases = {
      {Map.of(), new String[] {"--otlp-headers", "authorization=" + SECRET}, "--otlp-headers-file"},
      {Map.of(), new String[] {"--otlp-endpoint", "localhost:4318"}, "must be an http:// or"},
      {Map.of(), new String[] {"--otlp-required"}, "--otlp-required applies to an OTLP export"},
      {
        Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        new String[] {"--otlp-endpoint", "http://127.0.0.1:1"},
        "exports OTLP over HTTP only"
      },
      {
        Map.of("OTEL_EXPORTER_OTLP_HEADERS", "a=1," + SECRET),
        new String[] {"--otlp-endpoint", "http://127.0.0.1:1"},
        "OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not name=value"
      },
      {
        Map.of(),
        new String[] {
          "--otlp-endpoint", "http://127.0.0.1:1", "--otlp-headers-file", headers.toString()
        },
        "entry 2 is not name=value"
      },
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Map<String, String> env = (Map<String, String>) c[0];
      String[] extra = (String[]) c[1];
      List<String> args = new ArrayList<>(List.of("--url", "http://127.0.0.1:1", "-n", "1"));
      args.addAll(List.of(extra));
      CliTest.Result r = run(env, args.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", extra)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).contains((String) c[2]).doesNotContain(SECRET);
    }
  }

  @Test
  void secretOptionValuesAreHiddenFromTheStoredCommandLine() {
    assertThat(
            Redaction.commandLine(
                List.of(
                    "run",
                    "--otlp-headers",
                    "authorization=" + SECRET,
                    "--otlp-headers=k=" + SECRET,
                    "--api-key",
                    SECRET,
                    "--otlp-endpoint",
                    "http://user:" + SECRET + "@collector:4318")))
        .containsExactly(
            "run",
            "--otlp-headers",
            "***",
            "--otlp-headers=***",
            "--api-key",
            "***",
            "--otlp-endpoint",
            "http://***@collector:4318");
  }

  /** A short run's arguments, writing {@code json}. */
  private static String[] small(SimEngine engine, Path json, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--url",
                engine.baseUrl(),
                "-n",
                "2",
                "--max-tokens",
                "4",
                "--no-process",
                "--no-engine-metrics",
                "--json",
                json.toString(),
                "--progress",
                "off"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** A run against the simulator, saved with two GPUs' samples added, as a GPU host saves it. */
  private Path savedRunWithGpus() throws Exception {
    Path json = dir.resolve("gpu-run.json");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r = run(Map.of(), small(engine, json));
      assertThat(r.code()).as(r.err()).isZero();
    }
    RunResult saved = JsonReport.read(json);
    List<GpuTick> ticks =
        List.of(
            new GpuTick(
                1_000_000,
                List.of(
                    new GpuSample(
                        1_000_000, 0, 70, 30, 1L << 30, 301.5, 55, 1980, 2619, 10L, List.of()),
                    new GpuSample(
                        2_000_000, 1, 20, 5, 2L << 30, 99.0, 45, 1980, 2619, 10L, List.of()))),
            new GpuTick(
                3_000_000,
                List.of(
                    new GpuSample(
                        3_000_000, 0, 71, 31, 1L << 30, 302.5, 56, 1980, 2619, 20L, List.of()))));
    HardwareSamples hw =
        new HardwareSamples(
            null,
            null,
            List.of(
                new GpuDevice(0, "NVIDIA H100 80GB HBM3", "GPU-0a", 80L << 30, 700.0),
                new GpuDevice(1, "NVIDIA H100 80GB HBM3", "GPU-1b", 80L << 30, 700.0)),
            new Timeline<>("nvml", 100_000_000L, ticks, null));
    RunResult withGpus =
        new RunResult(
            saved.meta(),
            saved.clock(),
            saved.traces(),
            saved.endNanos(),
            saved.partial(),
            saved.stopReason(),
            hw,
            saved.client(),
            saved.facts(),
            saved.engineMetrics());
    Path out = dir.resolve("gpu-run-with-gpus.json");
    JsonReport.write(RunAnalysis.of(withGpus), out);
    return out;
  }

  private static HistogramDataPoint onlyPoint(OtlpReceiver receiver, String name) {
    List<Metric> m = receiver.metricsNamed(name);
    assertThat(m).as(name).hasSize(1);
    assertThat(m.getFirst().getHistogram().getDataPointsList()).as(name).hasSize(1);
    return m.getFirst().getHistogram().getDataPoints(0);
  }

  private static List<NumberDataPoint> gaugePoints(OtlpReceiver receiver, String name) {
    return receiver.metricsNamed(name).stream()
        .flatMap(m -> m.getGauge().getDataPointsList().stream())
        .toList();
  }

  /** {@code run} with {@code env} as its environment. */
  static CliTest.Result run(Map<String, String> env, String... args) {
    return execute(new RunCommand(env), args);
  }

  /** {@code report} with {@code env} as its environment. */
  static CliTest.Result report(Map<String, String> env, String... args) {
    return execute(new ReportCommand(env), args);
  }

  private static CliTest.Result execute(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.configure(new CommandLine(command));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliTest.Result(code, out.toString(), err.toString());
  }
}
