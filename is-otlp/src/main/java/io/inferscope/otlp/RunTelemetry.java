package io.inferscope.otlp;

import io.inferscope.core.EngineView;
import io.inferscope.core.EventLog;
import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import io.inferscope.core.MeasuredRequest;
import io.inferscope.core.ProcessTreeMetrics;
import io.inferscope.core.ProcessTreeSeries;
import io.inferscope.core.RequestMetrics;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.RunResult;
import io.inferscope.core.Summary;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A run as OpenTelemetry data: one span for the run with a child per measured request, histograms
 * of the requests' figures and gauges of the run's samples, every time the run clock's offset
 * mapped to wall time by {@link RunClock#epochNanosAt} (ADR 0003, 0018). Every value is a figure of
 * {@link RunAnalysis} or a recorded sample; the only arithmetic here is the histograms' binning and
 * the change of unit (nanoseconds to seconds), which OTLP's format asks for.
 */
final class RunTelemetry {

  /** The instrumentation scope of everything inferscope exports. */
  static final String SCOPE = "io.inferscope";

  // Bucket boundaries (ADR 0018): the GenAI semantic conventions' advice, with TPOT refined
  // below 10 ms, where fast engines decode, and durations extended to 5.5 minutes for long answers.
  static final List<Double> TTFT_BOUNDARIES_SECONDS =
      List.of(
          0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0);
  static final List<Double> TPOT_BOUNDARIES_SECONDS =
      List.of(
          0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5,
          0.75, 1.0, 2.5);
  static final List<Double> DURATION_BOUNDARIES_SECONDS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
          163.84, 327.68);
  static final List<Double> TOKEN_BOUNDARIES =
      List.of(
          1.0,
          4.0,
          16.0,
          64.0,
          256.0,
          1024.0,
          4096.0,
          16384.0,
          65536.0,
          262144.0,
          1048576.0,
          4194304.0,
          16777216.0,
          67108864.0);

  /** Most points one metric carries in one piece; a longer gauge is split (ADR 0018). */
  static final int MAX_POINTS_PER_PIECE = 10_000;

  private static final double NANOS_PER_SECOND = 1e9;

  private RunTelemetry() {}

  /**
   * The run's resource: inferscope's service name, version and an instance id derived from the
   * run's clock (a saved run exported again keeps it), with the user's attributes laid over them.
   */
  static Resource resource(RunResult run, Map<String, String> user) {
    AttributesBuilder b = Attributes.builder().put("service.name", "inferscope");
    if (run.meta().toolVersion() != null) {
      b.put("service.version", run.meta().toolVersion());
    }
    b.put("service.instance.id", runId(run.clock()));
    user.forEach(b::put);
    return Resource.getDefault().merge(Resource.create(b.build()));
  }

  /** A stable id of the run: the same for every export of the same run. */
  static String runId(RunClock clock) {
    return UUID.nameUUIDFromBytes(
            (clock.originWall() + "/" + clock.originNanoTime()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static InstrumentationScopeInfo scope(RunResult run) {
    return run.meta().toolVersion() == null
        ? InstrumentationScopeInfo.create(SCOPE)
        : InstrumentationScopeInfo.builder(SCOPE).setVersion(run.meta().toolVersion()).build();
  }

  // ---------------------------------------------------------------- spans

  /**
   * The run's span first, then one child per measured request in trace order.
   *
   * @param tokenEvents whether each request's span carries one event per text event
   */
  static List<SpanData> spans(
      RunAnalysis a, Resource resource, boolean tokenEvents, IdGenerator ids) {
    RunResult run = a.run();
    RunClock clock = run.clock();
    InstrumentationScopeInfo scope = scope(run);
    Common common = Common.of(run.meta());
    String traceId = ids.generateTraceId();
    SpanContext runContext =
        SpanContext.create(
            traceId, ids.generateSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
    List<SpanData> out = new ArrayList<>(a.requests().size() + 1);
    out.add(
        new ExportedSpan(
            "inferscope " + run.meta().mode(),
            SpanKind.INTERNAL,
            runContext,
            SpanContext.getInvalid(),
            StatusData.unset(),
            clock.epochNanosAt(0),
            clock.epochNanosAt(run.endNanos()),
            runAttributes(a, common),
            List.of(),
            resource,
            scope));
    for (MeasuredRequest r : a.requests()) {
      RequestTrace t = r.trace();
      SpanContext context =
          SpanContext.create(
              traceId, ids.generateSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
      out.add(
          new ExportedSpan(
              common.spanName(),
              SpanKind.CLIENT,
              context,
              runContext,
              t.ok() ? StatusData.unset() : StatusData.create(StatusCode.ERROR, t.failure().code()),
              clock.epochNanosAt(t.sendNanos()),
              clock.epochNanosAt(t.endNanos()),
              requestAttributes(r, common),
              events(t, clock, tokenEvents),
              resource,
              scope));
    }
    return out;
  }

  private static Attributes runAttributes(RunAnalysis a, Common common) {
    RunResult run = a.run();
    RunMetrics m = a.metrics();
    AttributesBuilder b = Attributes.builder();
    common.putInto(b);
    Long maxTokens = maxTokens(run.meta());
    if (maxTokens != null) {
      b.put("gen_ai.request.max_tokens", maxTokens);
    }
    b.put("inferscope.run_id", runId(run.clock()));
    b.put("inferscope.mode", run.meta().mode());
    if (run.meta().url() != null) {
      b.put("inferscope.url", run.meta().url());
    }
    b.put("inferscope.requests", m.requests());
    b.put("inferscope.ok", m.ok());
    b.put("inferscope.failed", m.failed());
    b.put("inferscope.cancelled", m.cancelled());
    b.put("inferscope.warmup_requests", a.warmupRequests());
    b.put("inferscope.partial", run.partial());
    if (run.stopReason() != null) {
      b.put("inferscope.stop_reason", run.stopReason());
    }
    b.put("inferscope.output_tokens", m.outputTokensTotal());
    putIfPresent(b, "inferscope.output_tokens_per_second", m.outputTokensPerSecond());
    putIfPresent(b, "inferscope.requests_per_second", m.requestsPerSecond());
    putIfPresent(b, "inferscope.completeness_percent", m.completenessPercent());
    putSummary(b, "inferscope.ttft", m.ttftNanos());
    putSummary(b, "inferscope.tpot", m.tpotNanos());
    putSummary(b, "inferscope.e2e", m.e2eNanos());
    return b.build();
  }

  /** p50 and p99 of a nanosecond figure, as {@code NAME_p50_ns} and {@code NAME_p99_ns}. */
  private static void putSummary(AttributesBuilder b, String name, Summary s) {
    if (s != null) {
      b.put(name + "_p50_ns", s.p50());
      b.put(name + "_p99_ns", s.p99());
    }
  }

  private static Attributes requestAttributes(MeasuredRequest r, Common common) {
    RequestTrace t = r.trace();
    RequestMetrics m = r.metrics();
    AttributesBuilder b = Attributes.builder();
    common.putInto(b);
    if (t.usage() != null && t.usage().promptTokens() != null) {
      b.put("gen_ai.usage.input_tokens", t.usage().promptTokens().longValue());
    }
    if (m.usageTokens() != null) {
      b.put("gen_ai.usage.output_tokens", m.usageTokens().longValue());
    }
    if (t.finishReason() != null) {
      b.put(
          io.opentelemetry.api.common.AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"),
          List.of(t.finishReason()));
    }
    if (t.httpStatus() != null) {
      b.put("http.response.status_code", t.httpStatus().longValue());
    }
    if (!t.ok()) {
      b.put("error.type", t.failure().code());
      b.put("inferscope.failure", t.failure().detail());
    }
    b.put("inferscope.request_id", t.id());
    // Only measured requests are exported; said on each span, so that a query needs no context.
    b.put("inferscope.warmup", t.warmup());
    putIfPresent(b, "inferscope.ttft_ns", m.ttftNanos());
    putIfPresent(b, "inferscope.ttft_from_intended_ns", m.ttftFromIntendedNanos());
    putIfPresent(b, "inferscope.headers_ns", m.headersNanos());
    putIfPresent(b, "inferscope.tpot_ns", m.tpotNanos());
    putIfPresent(b, "inferscope.decode_tokens_per_second", m.decodeTokensPerSecond());
    b.put("inferscope.e2e_ns", m.e2eNanos());
    b.put("inferscope.e2e_from_intended_ns", m.e2eFromIntendedNanos());
    b.put("inferscope.send_lag_ns", m.sendLagNanos());
    b.put("inferscope.text_chunks", m.textChunks());
    b.put("inferscope.output_tokens", m.outputTokens());
    b.put("inferscope.token_source", m.tokenSource().code());
    return b.build();
  }

  /** First and last token, and with {@code tokenEvents} one event per text event between. */
  private static List<EventData> events(RequestTrace t, RunClock clock, boolean tokenEvents) {
    EventLog ev = t.events();
    int first = ev.firstTextIndex();
    if (first < 0) {
      return List.of();
    }
    List<EventData> out = new ArrayList<>(tokenEvents ? ev.size() + 2 : 2);
    out.add(
        EventData.create(clock.epochNanosAt(ev.atNanos(first)), "first_token", Attributes.empty()));
    if (tokenEvents) {
      int k = 0;
      for (int i = 0; i < ev.size(); i++) {
        if (ev.kind(i).isText()) {
          out.add(
              EventData.create(
                  clock.epochNanosAt(ev.atNanos(i)),
                  "token",
                  Attributes.builder()
                      .put("inferscope.chunk_index", k++)
                      .put("inferscope.chunk_kind", ev.kind(i).name().toLowerCase(Locale.ROOT))
                      .put("inferscope.text_chars", ev.textChars(i))
                      .build()));
        }
      }
    }
    out.add(
        EventData.create(
            clock.epochNanosAt(ev.atNanos(ev.lastTextIndex())), "last_token", Attributes.empty()));
    return out;
  }

  // ---------------------------------------------------------------- metrics

  /**
   * The histograms of the measured requests' figures, over the run (start to end, cumulative), and
   * the gauges of its samples, each point at its sample's time. A metric with no point is left out.
   */
  static List<ExportedMetric> metrics(RunAnalysis a, Resource resource) {
    RunResult run = a.run();
    Metrics out = new Metrics(resource, scope(run), run.clock());
    Attributes base = Common.of(run.meta()).attributes();
    long start = run.clock().epochNanosAt(0);
    long end = run.clock().epochNanosAt(run.endNanos());
    List<MeasuredRequest> ok = a.requests().stream().filter(MeasuredRequest::ok).toList();

    out.histogram(
        "gen_ai.server.time_to_first_token",
        "Time from sending a request to its first output token, as the client saw it (TTFT)",
        "s",
        TTFT_BOUNDARIES_SECONDS,
        List.of(
            point(
                start,
                end,
                base,
                values(ok, r -> r.metrics().ttftNanos(), v -> v / NANOS_PER_SECOND),
                TTFT_BOUNDARIES_SECONDS)));
    out.histogram(
        "gen_ai.server.time_per_output_token",
        "Mean time per output token after the first, per completed request (TPOT)",
        "s",
        TPOT_BOUNDARIES_SECONDS,
        List.of(
            point(
                start,
                end,
                base,
                values(ok, r -> r.metrics().tpotNanos(), v -> v / NANOS_PER_SECOND),
                TPOT_BOUNDARIES_SECONDS)));

    List<HistogramPointData> durations = new ArrayList<>();
    durations.add(
        point(
            start,
            end,
            base,
            values(ok, r -> (double) r.metrics().e2eNanos(), v -> v / NANOS_PER_SECOND),
            DURATION_BOUNDARIES_SECONDS));
    Map<String, List<MeasuredRequest>> failed = new TreeMap<>();
    for (MeasuredRequest r : a.requests()) {
      if (!r.ok()) {
        failed.computeIfAbsent(r.trace().failure().code(), k -> new ArrayList<>()).add(r);
      }
    }
    failed.forEach(
        (code, requests) ->
            durations.add(
                point(
                    start,
                    end,
                    base.toBuilder().put("error.type", code).build(),
                    values(
                        requests, r -> (double) r.metrics().e2eNanos(), v -> v / NANOS_PER_SECOND),
                    DURATION_BOUNDARIES_SECONDS)));
    out.histogram(
        "gen_ai.client.operation.duration",
        "Request duration, send to end of stream; failed requests carry error.type",
        "s",
        DURATION_BOUNDARIES_SECONDS,
        durations);

    out.histogram(
        "gen_ai.client.token.usage",
        "Tokens per completed request: input from the server's usage, output as the run counts"
            + " them",
        "{token}",
        TOKEN_BOUNDARIES,
        List.of(
            point(
                start,
                end,
                base.toBuilder().put("gen_ai.token.type", "input").build(),
                values(
                    ok,
                    r ->
                        r.trace().usage() == null || r.trace().usage().promptTokens() == null
                            ? null
                            : r.trace().usage().promptTokens().doubleValue(),
                    v -> v),
                TOKEN_BOUNDARIES),
            point(
                start,
                end,
                base.toBuilder().put("gen_ai.token.type", "output").build(),
                values(ok, r -> (double) r.metrics().outputTokens(), v -> v),
                TOKEN_BOUNDARIES)));

    processTree(a, out);
    gpus(run, out);
    engine(a.engine(), out);
    return out.metrics;
  }

  private static void processTree(RunAnalysis a, Metrics out) {
    ProcessTreeMetrics tree = a.hardware().processTree();
    if (tree == null || tree.samples() == 0) {
      return;
    }
    ProcessTreeSeries s = tree.series();
    Attributes attrs =
        tree.rootPid() == null
            ? Attributes.empty()
            : Attributes.builder().put("process.pid", tree.rootPid().longValue()).build();
    List<DoublePointData> cpu = new ArrayList<>();
    for (int i = 0; i < s.intervals(); i++) {
      // An interval whose CPU could not be derived is NaN: absent, not zero.
      if (Double.isFinite(s.cpuPercent()[i])) {
        cpu.add(
            DoublePointData.create(
                out.clock.epochNanosAt(s.sampleAtNanos()[i]),
                out.clock.epochNanosAt(s.sampleAtNanos()[i + 1]),
                attrs,
                s.cpuPercent()[i],
                List.of()));
      }
    }
    out.doubleGauge(
        "inferscope.process_tree.cpu",
        "CPU of the engine's process tree over the interval ending at the point, percent of one"
            + " core",
        "%",
        cpu);
    List<LongPointData> rss = new ArrayList<>();
    for (int i = 0; i < s.sampleAtNanos().length; i++) {
      rss.add(
          LongPointData.create(
              0, out.clock.epochNanosAt(s.sampleAtNanos()[i]), attrs, s.rssBytes()[i]));
    }
    out.longGauge(
        "inferscope.process_tree.memory.rss",
        "Resident set size summed over the engine's process tree",
        "By",
        rss);
  }

  private static void gpus(RunResult run, Metrics out) {
    if (run.hardware().gpu() == null || !run.hardware().gpu().available()) {
      return;
    }
    List<LongPointData> util = new ArrayList<>();
    List<DoublePointData> power = new ArrayList<>();
    List<LongPointData> vram = new ArrayList<>();
    for (Map.Entry<Integer, List<GpuSample>> e :
        GpuTick.samplesByDevice(run.hardware().gpu().samples()).entrySet()) {
      AttributesBuilder ab = Attributes.builder().put("inferscope.gpu.index", e.getKey());
      GpuDevice d = run.hardware().gpuDevice(e.getKey());
      if (d != null && d.uuid() != null) {
        ab.put("inferscope.gpu.uuid", d.uuid());
      }
      if (d != null && d.name() != null) {
        ab.put("inferscope.gpu.name", d.name());
      }
      Attributes attrs = ab.build();
      for (GpuSample g : e.getValue()) {
        long at = out.clock.epochNanosAt(g.atNanos());
        if (g.smUtilPercent() != null) {
          util.add(LongPointData.create(0, at, attrs, g.smUtilPercent()));
        }
        if (g.powerWatts() != null) {
          power.add(DoublePointData.create(0, at, attrs, g.powerWatts(), List.of()));
        }
        if (g.memoryUsedBytes() != null) {
          vram.add(LongPointData.create(0, at, attrs, g.memoryUsedBytes()));
        }
      }
    }
    out.longGauge(
        "inferscope.gpu.utilization",
        "Percent of time a kernel ran on the GPU over the driver's last window (NVML)",
        "%",
        util);
    out.doubleGauge("inferscope.gpu.power", "GPU power draw (NVML)", "W", power);
    out.longGauge("inferscope.gpu.memory.used", "GPU memory in use (NVML)", "By", vram);
  }

  private static void engine(EngineView view, Metrics out) {
    if (view.points().isEmpty()) {
      return;
    }
    Attributes attrs =
        Attributes.builder()
            .put("inferscope.engine", view.engine().name().toLowerCase(Locale.ROOT))
            .build();
    List<DoublePointData> running = new ArrayList<>();
    List<DoublePointData> waiting = new ArrayList<>();
    List<DoublePointData> kv = new ArrayList<>();
    for (EngineView.Point p : view.points()) {
      long at = out.clock.epochNanosAt(p.atNanos());
      if (p.running() != null) {
        running.add(DoublePointData.create(0, at, attrs, p.running(), List.of()));
      }
      if (p.waiting() != null) {
        waiting.add(DoublePointData.create(0, at, attrs, p.waiting(), List.of()));
      }
      if (p.kvUsage() != null) {
        kv.add(DoublePointData.create(0, at, attrs, p.kvUsage(), List.of()));
      }
    }
    out.doubleGauge(
        "inferscope.engine.requests.running",
        "Requests the engine was running, from its /metrics",
        "{request}",
        running);
    out.doubleGauge(
        "inferscope.engine.requests.waiting",
        "Requests waiting in the engine's queue, from its /metrics",
        "{request}",
        waiting);
    out.doubleGauge(
        "inferscope.engine.kv_cache.usage",
        "The engine's KV-cache usage, 0 to 1, from its /metrics",
        "1",
        kv);
  }

  /** The metrics made so far; gauges longer than {@link #MAX_POINTS_PER_PIECE} are split. */
  private static final class Metrics {
    final Resource resource;
    final InstrumentationScopeInfo scope;
    final RunClock clock;
    final List<ExportedMetric> metrics = new ArrayList<>();

    Metrics(Resource resource, InstrumentationScopeInfo scope, RunClock clock) {
      this.resource = resource;
      this.scope = scope;
      this.clock = clock;
    }

    void histogram(
        String name,
        String description,
        String unit,
        List<Double> boundaries,
        List<HistogramPointData> points) {
      List<HistogramPointData> kept = points.stream().filter(p -> p.getCount() > 0).toList();
      if (!kept.isEmpty()) {
        metrics.add(
            new ExportedMetric(
                resource,
                scope,
                name,
                description,
                unit,
                MetricDataType.HISTOGRAM,
                HistogramData.create(AggregationTemporality.CUMULATIVE, kept)));
      }
    }

    void doubleGauge(String name, String description, String unit, List<DoublePointData> points) {
      for (List<DoublePointData> piece : pieces(points)) {
        metrics.add(
            new ExportedMetric(
                resource,
                scope,
                name,
                description,
                unit,
                MetricDataType.DOUBLE_GAUGE,
                GaugeData.createDoubleGaugeData(piece)));
      }
    }

    void longGauge(String name, String description, String unit, List<LongPointData> points) {
      for (List<LongPointData> piece : pieces(points)) {
        metrics.add(
            new ExportedMetric(
                resource,
                scope,
                name,
                description,
                unit,
                MetricDataType.LONG_GAUGE,
                GaugeData.createLongGaugeData(piece)));
      }
    }

    private static <P> List<List<P>> pieces(List<P> points) {
      List<List<P>> out = new ArrayList<>();
      for (int i = 0; i < points.size(); i += MAX_POINTS_PER_PIECE) {
        out.add(List.copyOf(points.subList(i, Math.min(points.size(), i + MAX_POINTS_PER_PIECE))));
      }
      return out;
    }
  }

  /** The requests' values of one figure (those that have it), in the unit exported. */
  private static double[] values(
      List<MeasuredRequest> requests,
      Function<MeasuredRequest, Number> figure,
      ToDoubleFunction<Double> unit) {
    double[] out = new double[requests.size()];
    int n = 0;
    for (MeasuredRequest r : requests) {
      Number v = figure.apply(r);
      if (v != null) {
        out[n++] = unit.applyAsDouble(v.doubleValue());
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * An explicit-bucket histogram point: bucket {@code i} counts values in {@code (bounds[i-1],
   * bounds[i]]}, the last one those above every bound, as OTLP defines them.
   */
  static HistogramPointData point(
      long startEpochNanos,
      long epochNanos,
      Attributes attributes,
      double[] values,
      List<Double> bounds) {
    long[] counts = new long[bounds.size() + 1];
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      int i = 0;
      while (i < bounds.size() && v > bounds.get(i)) {
        i++;
      }
      counts[i]++;
    }
    List<Long> boxed = new ArrayList<>(counts.length);
    for (long c : counts) {
      boxed.add(c);
    }
    boolean any = values.length > 0;
    return HistogramPointData.create(
        startEpochNanos,
        epochNanos,
        attributes,
        sum,
        any,
        any ? min : 0,
        any,
        any ? max : 0,
        bounds,
        boxed);
  }

  private static void putIfPresent(AttributesBuilder b, String key, Long v) {
    if (v != null) {
      b.put(key, v.longValue());
    }
  }

  private static void putIfPresent(AttributesBuilder b, String key, Double v) {
    if (v != null && Double.isFinite(v)) {
      b.put(key, v.doubleValue());
    }
  }

  /** {@code max_tokens} as the run recorded it, or null when it is not a number. */
  private static Long maxTokens(RunMeta meta) {
    String s = meta.settings().get("max_tokens");
    try {
      return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The attributes every span and histogram point of the run carries, after the GenAI semantic
   * conventions.
   *
   * @param operation {@code chat} or {@code text_completion}, or null (no load sent)
   * @param model the model requested, or null
   * @param address the engine's host, or null
   * @param port the engine's port, or null
   */
  record Common(String operation, String model, String address, Long port) {

    static Common of(RunMeta meta) {
      String op =
          meta.endpoint() == null
              ? null
              : switch (meta.endpoint()) {
                case "chat" -> "chat";
                case "completions" -> "text_completion";
                default -> meta.endpoint();
              };
      String host = null;
      Long port = null;
      if (meta.url() != null) {
        try {
          URI u = new URI(meta.url());
          host = u.getHost();
          int p = u.getPort();
          if (p < 0 && u.getScheme() != null) {
            p = u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
          }
          port = p < 0 ? null : (long) p;
        } catch (java.net.URISyntaxException e) {
          // A saved URL that does not parse: the attributes are left out, the export goes on.
        }
      }
      return new Common(op, meta.model(), host, port);
    }

    /** The span name the conventions give: {@code {operation} {model}}. */
    String spanName() {
      if (operation == null) {
        return "request";
      }
      return model == null ? operation : operation + " " + model;
    }

    void putInto(AttributesBuilder b) {
      if (operation != null) {
        b.put("gen_ai.operation.name", operation);
      }
      if (model != null) {
        b.put("gen_ai.request.model", model);
      }
      if (address != null) {
        b.put("server.address", address);
      }
      if (port != null) {
        b.put("server.port", port.longValue());
      }
    }

    Attributes attributes() {
      AttributesBuilder b = Attributes.builder();
      putInto(b);
      return b.build();
    }
  }
}
