package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.MS;
import static io.inferscope.core.CorrelationFixtures.devices;
import static io.inferscope.core.CorrelationFixtures.gpu;
import static io.inferscope.core.CorrelationFixtures.gpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Energy, time and cost attribution worked by hand. Two requests over a 3 s window at a steady 100
 * W: A is in prefill 0-1 s (100 prompt tokens) and decodes 1-3 s (20 tokens after the first); B is
 * sent at 1 s, in prefill to 2 s (300 prompt tokens), decodes 2-3 s (10 tokens). In 1-2 s A decodes
 * 0.01 tokens/ms while B prefills 0.3 tokens/ms.
 */
class AttributionTest {

  static RequestTrace request(
      int id, long sendMs, long firstMs, long lastMs, Integer prompt, int output) {
    EventLog.Builder b = new EventLog.Builder().add(sendMs * MS, ChunkKind.ROLE, 0);
    b.add(firstMs * MS, ChunkKind.CONTENT, 3);
    if (lastMs != firstMs) {
      b.add(lastMs * MS, ChunkKind.CONTENT, 3);
    }
    return new RequestTrace(
        id,
        false,
        sendMs * MS,
        sendMs * MS,
        sendMs * MS,
        lastMs * MS,
        200,
        b.build(),
        new Usage(prompt, output, null, null, null),
        null,
        "stop",
        null);
  }

  static List<RequestTrace> twoRequests() {
    return List.of(request(0, 0, 1000, 3000, 100, 21), request(1, 1000, 2000, 3000, 300, 11));
  }

  /** 100 W read every 500 ms over 0-4 s; with {@code counterMj} the counter reads 0 and that. */
  static HardwareSamples steady(Long counterMj) {
    List<GpuSample> s = new ArrayList<>();
    for (long t = 0; t <= 4000; t += 500) {
      Long energy =
          counterMj == null ? null : t == 0 ? Long.valueOf(0) : t == 3000 ? counterMj : null;
      s.add(new GpuSample(t * MS, 0, 50, null, null, 100.0, null, null, null, energy, List.of()));
    }
    return new HardwareSamples(null, null, devices(1), gpus(500, s.toArray(GpuSample[]::new)));
  }

  static RunResult run(
      List<RequestTrace> traces, HardwareSamples h, EngineMetrics e, List<Step> steps, Price p) {
    long end = traces.stream().mapToLong(RequestTrace::endNanos).max().orElse(0);
    RunMeta meta =
        new RunMeta("0.1.0", "run", List.of(), "http://x", "chat", "m", Map.of(), null, steps, p);
    return new RunResult(
        meta,
        new RunClock(0, Instant.parse("2026-01-01T00:00:00Z")),
        traces,
        end,
        false,
        null,
        h,
        null,
        null,
        e);
  }

  static Attribution attribution(RunResult r) {
    return RunAnalysis.of(r).attribution();
  }

  @Test
  void energySplitsByTimeShareAndByTokenShare() {
    Attribution a = attribution(run(twoRequests(), steady(null), null, List.of(), null));
    assertThat(a.energyJoules()).isCloseTo(300, within(1e-6));
    // 0-1 s all prefill; 1-2 s half and half by time, 0.3 : 0.01 by tokens; 2-3 s all decode.
    assertThat(a.byTime().prefillJoules()).isCloseTo(150, within(1e-6));
    assertThat(a.byTime().decodeJoules()).isCloseTo(150, within(1e-6));
    assertThat(a.byTime().idleJoules()).isCloseTo(0, within(1e-9));
    assertThat(a.byTokens().prefillJoules()).isCloseTo(100 + 100 * 0.3 / 0.31, within(1e-6));
    assertThat(a.byTokens().decodeJoules()).isCloseTo(100 + 100 * 0.01 / 0.31, within(1e-6));
    assertThat(a.promptTokens()).isEqualTo(400);
    assertThat(a.decodeTokens()).isEqualTo(30);
    assertThat(a.byTime().joulesPerPromptToken()).isCloseTo(150 / 400.0, within(1e-9));
    assertThat(a.byTime().joulesPerDecodeToken()).isCloseTo(150 / 30.0, within(1e-9));
    Attribution.RequestShare ra = a.requests().get(0);
    Attribution.RequestShare rb = a.requests().get(1);
    assertThat(ra.attributedNanos()).isEqualTo(2000 * MS);
    assertThat(rb.attributedNanos()).isEqualTo(1000 * MS);
    assertThat(ra.joulesByTime()).isCloseTo(200, within(1e-6));
    assertThat(rb.joulesByTime()).isCloseTo(100, within(1e-6));
    assertThat(ra.joulesByTokens()).isCloseTo(100 + 100 * 0.01 / 0.31 + 50, within(1e-6));
    assertThat(rb.joulesByTokens()).isCloseTo(100 * 0.3 / 0.31 + 50, within(1e-6));
    assertThat(ra.usd()).isNull();
    assertThat(a.cost()).isNull();
    assertThat(a.speculative()).isNull();
  }

  @Test
  void piecesFollowThePowerShapeAndSumToTheCountersEnergy() {
    // The counter says 600 J over 0-3 s where the power readings integrate to 300 J.
    Attribution a = attribution(run(twoRequests(), steady(600_000L), null, List.of(), null));
    assertThat(a.energyJoules()).isCloseTo(600, within(1e-6));
    assertThat(a.byTime().prefillJoules() + a.byTime().decodeJoules()).isCloseTo(600, within(1e-6));
    assertThat(a.requests().get(0).joulesByTime()).isCloseTo(400, within(1e-6));

    // Power rising 100 -> 300 W over 0-2 s: the prefill second (0-1 s) drew 150 J, the next 250 J.
    List<RequestTrace> one = List.of(request(0, 0, 1000, 2000, 10, 11));
    HardwareSamples rising =
        new HardwareSamples(
            null,
            null,
            devices(1),
            gpus(1000, gpu(0, 0, 50, 100.0), gpu(1000, 0, 50, 200.0), gpu(2000, 0, 50, 300.0)));
    Attribution b = attribution(run(one, rising, null, List.of(), null));
    assertThat(b.byTime().prefillJoules()).isCloseTo(150, within(1e-6));
    assertThat(b.byTime().decodeJoules()).isCloseTo(250, within(1e-6));
  }

  @Test
  void timeWithNothingInFlightIsIdle() {
    List<RequestTrace> apart =
        List.of(request(0, 0, 500, 1000, 10, 11), request(1, 2000, 2500, 3000, 10, 11));
    Attribution a = attribution(run(apart, steady(null), null, List.of(), Price.perHour(3600)));
    assertThat(a.idleNanos()).isEqualTo(1000 * MS);
    assertThat(a.byTime().idleJoules()).isCloseTo(100, within(1e-6));
    assertThat(a.byTokens().idleJoules()).isCloseTo(100, within(1e-6));
    // $1 a second: 3 s, of which 1 s idle and one second each request.
    assertThat(a.cost().totalUsd()).isCloseTo(3, within(1e-9));
    assertThat(a.cost().idleUsd()).isCloseTo(1, within(1e-9));
    assertThat(a.requests().get(0).usd()).isCloseTo(1, within(1e-9));
    assertThat(a.cost().usdPerCompletedRequest()).isCloseTo(1.5, within(1e-9));
    assertThat(a.cost().usdPerMillionOutputTokens()).isCloseTo(3 / 22.0 * 1e6, within(1e-3));
  }

  @Test
  void costPerKwhPricesEachRequestsEnergyAndNeedsEnergy() {
    // $3.6M per kWh is $1 per joule.
    Attribution a =
        attribution(run(twoRequests(), steady(null), null, List.of(), Price.perKwh(3.6e6)));
    assertThat(a.cost().totalUsd()).isCloseTo(300, within(1e-6));
    assertThat(a.requests().get(0).usd()).isCloseTo(200, within(1e-6));
    Attribution none =
        attribution(run(twoRequests(), HardwareSamples.none(), null, List.of(), Price.perKwh(0.3)));
    assertThat(none.energyJoules()).isNull();
    assertThat(none.byTime()).isNull();
    assertThat(none.cost().totalUsd()).isNull();
    assertThat(none.cost().unavailableReason()).contains("per hour");
    assertThat(none.requests().get(0).attributedNanos()).isEqualTo(2000 * MS);
  }

  @Test
  void stepsSumTheirRequestsByIdOrBySendTime() {
    List<Step> steps =
        List.of(
            new Step("plan", List.of(0), null, null),
            new Step("act", null, 500 * MS, 5000 * MS),
            new Step("ghost", List.of(0, 7), null, null),
            new Step("empty", null, 9000 * MS, 9500 * MS));
    Attribution a = attribution(run(twoRequests(), steady(null), null, steps, Price.perHour(3600)));
    Attribution.StepFigures plan = a.steps().get(0);
    assertThat(plan.requests()).isEqualTo(1);
    assertThat(plan.latencyNanos()).isEqualTo(3000 * MS);
    assertThat(plan.promptTokens()).isEqualTo(100);
    assertThat(plan.outputTokens()).isEqualTo(21);
    assertThat(plan.joulesByTime()).isCloseTo(200, within(1e-6));
    assertThat(plan.usd()).isCloseTo(2, within(1e-9));
    Attribution.StepFigures act = a.steps().get(1);
    assertThat(act.requests()).isEqualTo(1);
    assertThat(act.startNanos()).isEqualTo(1000 * MS);
    assertThat(act.joulesByTime()).isCloseTo(100, within(1e-6));
    assertThat(a.steps().get(2).unknownRequestIds()).containsExactly(7);
    Attribution.StepFigures empty = a.steps().get(3);
    assertThat(empty.requests()).isZero();
    assertThat(empty.latencyNanos()).isNull();
    assertThat(empty.joulesByTime()).isNull();
  }

  @Test
  void tokenShareNeedsEveryCompletedRequestsPromptCount() {
    List<RequestTrace> traces =
        List.of(request(0, 0, 1000, 3000, null, 21), request(1, 1000, 2000, 3000, 300, 11));
    Attribution a = attribution(run(traces, steady(null), null, List.of(), null));
    assertThat(a.byTime()).isNotNull();
    assertThat(a.byTokens()).isNull();
    assertThat(a.promptTokens()).isNull();
    assertThat(a.requests().get(0).joulesByTokens()).isNull();
  }

  static EngineMetrics vllm(List<EngineSeries> series, List<EngineScrape> scrapes) {
    return new EngineMetrics(
        "http://x/metrics",
        EngineKind.VLLM,
        series,
        new Timeline<>("engine-metrics", 1000 * MS, scrapes, null),
        0,
        0);
  }

  static EngineScrape read(long atMs, Double... values) {
    return new EngineScrape(atMs * MS, atMs * MS, List.of(values), 0);
  }

  @Test
  void speculativeEnergyDividesDecodeEnergyByTheCountersRiseInTheWindow() {
    List<EngineSeries> series =
        List.of(
            new EngineSeries("vllm:spec_decode_num_draft_tokens_total", "", "counter"),
            new EngineSeries("vllm:spec_decode_num_accepted_tokens_total", "", "counter"));
    // Read at -1 s and 4 s: linear between, so 100 -> 400 drafted and 80 -> 320 accepted in 0-3 s.
    EngineMetrics e = vllm(series, List.of(read(-1000, 0.0, 0.0), read(4000, 500.0, 400.0)));
    Attribution a = attribution(run(twoRequests(), steady(null), e, List.of(), null));
    Attribution.SpeculativeEnergy s = a.speculative();
    assertThat(s.draftedTokens()).isEqualTo(300);
    assertThat(s.acceptedTokens()).isEqualTo(240);
    assertThat(s.joulesPerDraftedToken()).isCloseTo(150 / 300.0, within(1e-9));
    assertThat(s.joulesPerAcceptedToken()).isCloseTo(150 / 240.0, within(1e-9));
    EngineView view = RunAnalysis.of(run(twoRequests(), steady(null), e, List.of(), null)).engine();
    assertThat(view.specDraftedTokens()).isEqualTo(500);
    assertThat(view.specAcceptedTokens()).isEqualTo(400);
  }

  @Test
  void loraAdaptersAreReadFromTheSeriesSetLast() {
    List<EngineSeries> series =
        List.of(
            new EngineSeries(
                "vllm:lora_requests_info",
                "max_lora=\"2\",running_lora_adapters=\"sql\",waiting_lora_adapters=\"\"",
                "gauge"),
            new EngineSeries(
                "vllm:lora_requests_info",
                "max_lora=\"2\",running_lora_adapters=\"sql, chat\",waiting_lora_adapters=\"x\\\"y\"",
                "gauge"));
    // The first series stays served with its old time once the second is set.
    EngineMetrics e =
        vllm(
            series,
            List.of(read(0, 1.7e9), read(1000, 1.7e9, 1.7e9 + 5), read(2000, 1.7e9, 1.7e9 + 6)));
    EngineView v = RunAnalysis.of(run(twoRequests(), steady(null), e, List.of(), null)).engine();
    assertThat(v.loraMax()).isEqualTo(2);
    assertThat(v.loraAdapters())
        .extracting(EngineView.LoraAdapter::name)
        .containsExactly("chat", "sql", "x\"y");
    EngineView.LoraAdapter sql = v.loraAdapters().get(1);
    assertThat(sql.runningReads()).isEqualTo(3);
    assertThat(sql.firstSeenNanos()).isZero();
    assertThat(sql.lastSeenNanos()).isEqualTo(2000 * MS);
    EngineView.LoraAdapter chat = v.loraAdapters().get(0);
    assertThat(chat.runningReads()).isEqualTo(2);
    assertThat(chat.firstSeenNanos()).isEqualTo(1000 * MS);
    assertThat(v.loraAdapters().get(2).waitingReads()).isEqualTo(2);
  }

  @Test
  void noMeasuredRequestNoAttribution() {
    assertThat(attribution(run(List.of(), steady(null), null, List.of(), null))).isNull();
  }
}
