package io.inferscope.sim;

import static io.inferscope.sim.Json.delta;
import static io.inferscope.sim.Json.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.sim.SimConfig.MetricsNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} under vLLM V1's names over loopback HTTP: the gauges follow the engine's state
 * while requests are in flight, and the counters add up to what the clients received.
 */
class VllmMetricsTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final String LABELS = "engine=\"0\",model_name=\"sim-model\"";
  private static final String TTFT = "vllm:time_to_first_token_seconds";

  private HttpClient client;
  private SimEngine engine;

  @BeforeEach
  void setUp() {
    client = SseStream.client();
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    client.close();
  }

  /** A streamed chat request of {@code promptWords} words, capped at {@code maxTokens}. */
  private static String body(int promptWords, int maxTokens) {
    String prompt = "word ".repeat(promptWords).strip();
    return "{\"stream\":true,\"max_tokens\":"
        + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}]}";
  }

  /** Opens a stream and waits for its role chunk: the engine has admitted it (slot or queue). */
  private SseStream admitted(String body) {
    SseStream stream = SseStream.open(client, engine.baseUrl() + CHAT, body);
    stream.awaitEvents(1);
    return stream;
  }

  @Test
  void gaugesFollowSlotsAndQueueAndCountersAddUpToWhatClientsReceived() throws Exception {
    int kvTokens = 100;
    // A long gap holds the slots: nothing changes between the admissions and the scrape but the
    // tokens the two slot holders make.
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(20), Duration.ofMillis(500), Duration.ZERO)
                .withOutputTokens(4)
                .withCapacity(2, null, null, null)
                .withMetricsNames(MetricsNames.VLLM)
                .withKvTokens(kvTokens));
    // Prompt words and max_tokens: the first two hold the slots, the other two wait; two finish
    // by their max_tokens ("length"), two by the engine's 4 tokens ("stop").
    int[][] requests = {{3, 4}, {5, 6}, {7, 2}, {11, 3}};
    List<SseStream> streams = new ArrayList<>();
    for (int[] request : requests) {
      streams.add(admitted(body(request[0], request[1])));
    }

    String inFlight = awaitScrape(m -> gauge(m, "running") == 2 && gauge(m, "waiting") == 2);
    assertThat(gauge(inFlight, "running")).isEqualTo(2);
    assertThat(gauge(inFlight, "waiting")).isEqualTo(2);
    // The slot holders' prompts are in the KV cache, with at most the 4 tokens each may make; the
    // waiting requests' prompts are neither in it nor prefilled.
    int holdersPrompt = requests[0][0] + requests[1][0];
    assertThat(value(inFlight, "vllm:kv_cache_usage_perc", LABELS))
        .isBetween(holdersPrompt / (double) kvTokens, (holdersPrompt + 2 * 4) / (double) kvTokens);
    assertThat(value(inFlight, "vllm:prompt_tokens_total", LABELS)).isLessThan(holdersPrompt + 1);

    long tokensReceived = 0;
    long promptWords = 0;
    for (int i = 0; i < streams.size(); i++) {
      SseStream stream = streams.get(i).awaitEnd();
      assertThat(stream.endedWithDone()).isTrue();
      tokensReceived += textTokens(stream);
      promptWords += requests[i][0];
    }
    assertThat(tokensReceived).isEqualTo(4 + 4 + 2 + 3);

    String done = scrape();
    assertThat(gauge(done, "running")).isZero();
    assertThat(gauge(done, "waiting")).isZero();
    assertThat(value(done, "vllm:kv_cache_usage_perc", LABELS)).isZero();
    assertThat(value(done, "vllm:generation_tokens_total", LABELS)).isEqualTo(tokensReceived);
    assertThat(value(done, "vllm:prompt_tokens_total", LABELS)).isEqualTo(promptWords);
    assertThat(value(done, "vllm:prefix_cache_queries_total", LABELS)).isEqualTo(promptWords);
    assertThat(value(done, "vllm:prefix_cache_hits_total", LABELS)).isZero();
    assertThat(value(done, "vllm:num_preemptions_total", LABELS)).isZero();
    assertThat(value(done, "vllm:request_success_total", reason("stop"))).isEqualTo(2);
    assertThat(value(done, "vllm:request_success_total", reason("length"))).isEqualTo(2);
    assertThat(value(done, "vllm:request_success_total", reason("abort"))).isZero();

    assertHistogram(done, streams.size());
    // The engine is never early: no first token before the configured 20 ms.
    assertThat(value(done, TTFT + "_bucket", le("0.01"))).isZero();
    assertThat(value(done, TTFT + "_sum", LABELS)).isGreaterThanOrEqualTo(4 * 0.02);
    assertFamiliesDeclared(done);
  }

  @Test
  void withoutTheCapacityModelStreamsRunAndTheKvCacheFillsUpToOne() throws Exception {
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(20), Duration.ofMillis(500), Duration.ZERO)
                .withOutputTokens(3)
                .withMetricsNames(MetricsNames.VLLM)
                .withKvTokens(10));
    SseStream first = admitted(body(8, 3));
    SseStream second = admitted(body(8, 3));

    // Sixteen prompt tokens in a cache of ten: full, not over.
    String inFlight = awaitScrape(m -> gauge(m, "running") == 2);
    assertThat(gauge(inFlight, "running")).isEqualTo(2);
    assertThat(gauge(inFlight, "waiting")).isZero();
    assertThat(sampleText(inFlight, "vllm:kv_cache_usage_perc", LABELS)).isEqualTo("1.0");

    long tokensReceived = textTokens(first.awaitEnd()) + textTokens(second.awaitEnd());
    String done = scrape();
    assertThat(gauge(done, "running")).isZero();
    assertThat(value(done, "vllm:kv_cache_usage_perc", LABELS)).isZero();
    assertThat(value(done, "vllm:generation_tokens_total", LABELS)).isEqualTo(tokensReceived);
    assertThat(value(done, "vllm:prompt_tokens_total", LABELS)).isEqualTo(16);
    assertHistogram(done, 2);
  }

  @Test
  void wholeResponsesAreCountedAsStreamsAre() throws Exception {
    engine =
        SimEngine.start(
            SimConfig.defaults()
                .withTiming(Duration.ofMillis(2), Duration.ofMillis(1), Duration.ZERO)
                .withOutputTokens(5)
                .withMetricsNames(MetricsNames.VLLM));
    HttpResponse<String> whole =
        client.send(
            SseStream.post(engine.baseUrl() + "/v1/completions", "{\"prompt\":\"a b c\"}"),
            HttpResponse.BodyHandlers.ofString());
    assertThat(whole.statusCode()).isEqualTo(200);

    String done = scrape();
    assertThat(value(done, "vllm:generation_tokens_total", LABELS)).isEqualTo(5);
    assertThat(value(done, "vllm:prompt_tokens_total", LABELS)).isEqualTo(3);
    assertThat(value(done, "vllm:request_success_total", reason("stop"))).isEqualTo(1);
    assertHistogram(done, 1);
  }

  @Test
  void llamaCppNamesStayTheDefault() throws Exception {
    assertThat(SimConfig.defaults().metricsNames()).isEqualTo(MetricsNames.LLAMA_CPP);
    engine = SimEngine.start(SimConfig.defaults());
    String text = scrape();
    assertThat(text).contains("\nllamacpp:requests_processing 0\n").doesNotContain("vllm:");
  }

  @Test
  void valuesAreWrittenAsPrometheusClientWritesThem() {
    assertThat(SimMetrics.pythonFloat(0)).isEqualTo("0.0");
    assertThat(SimMetrics.pythonFloat(3)).isEqualTo("3.0");
    assertThat(SimMetrics.pythonFloat(0.25)).isEqualTo("0.25");
    assertThat(SimMetrics.pythonFloat(0.001)).isEqualTo("0.001");
    assertThat(SimMetrics.pythonFloat(0.00001)).isEqualTo("1e-05");
    assertThat(SimMetrics.pythonFloat(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(SimMetrics.pythonFloat(2560)).isEqualTo("2560.0");
    assertThat(SimMetrics.pythonFloat(999_999)).isEqualTo("999999.0");
    assertThat(SimMetrics.pythonFloat(1_000_000)).isEqualTo("1e+06");
    assertThat(SimMetrics.pythonFloat(1_234_567)).isEqualTo("1.234567e+06");
    assertThat(SimMetrics.pythonFloat(1e16)).isEqualTo("1e+16");
    assertThat(SimMetrics.pythonFloat(-2.5)).isEqualTo("-2.5");
    assertThat(SimMetrics.pythonFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }

  /**
   * The TTFT histogram's shape: vLLM's bounds in order, cumulative counts, the last bucket {@code
   * +Inf} holding them all, and {@code _count} equal to {@code requests}.
   */
  private static void assertHistogram(String metrics, long requests) {
    Matcher bucket =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(TTFT)
                    + "_bucket\\{engine=\"0\",le=\"([^\"]+)\",model_name=\"sim-model\"\\} (\\S+)$")
            .matcher(metrics);
    List<String> bounds = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    while (bucket.find()) {
      bounds.add(bucket.group(1));
      counts.add(Double.parseDouble(bucket.group(2)));
    }
    assertThat(bounds)
        .containsExactly(
            "0.001", "0.005", "0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.25", "0.5", "0.75",
            "1.0", "2.5", "5.0", "7.5", "10.0", "20.0", "40.0", "80.0", "160.0", "640.0", "2560.0",
            "+Inf");
    assertThat(counts).isSorted();
    assertThat(counts.getLast()).isEqualTo((double) requests);
    assertThat(value(metrics, TTFT + "_count", LABELS)).isEqualTo(requests);
  }

  /** Every family is declared by its HELP and TYPE lines before its first sample. */
  private static void assertFamiliesDeclared(String metrics) {
    List<String> lines = metrics.lines().toList();
    Map<String, String> types =
        Map.ofEntries(
            Map.entry("vllm:num_requests_running", "gauge"),
            Map.entry("vllm:num_requests_waiting", "gauge"),
            Map.entry("vllm:kv_cache_usage_perc", "gauge"),
            Map.entry("vllm:prompt_tokens_total", "counter"),
            Map.entry("vllm:generation_tokens_total", "counter"),
            Map.entry("vllm:num_preemptions_total", "counter"),
            Map.entry("vllm:prefix_cache_queries_total", "counter"),
            Map.entry("vllm:prefix_cache_hits_total", "counter"),
            Map.entry("vllm:request_success_total", "counter"),
            Map.entry(TTFT, "histogram"));
    types.forEach(
        (family, type) -> {
          int help = 0;
          while (help < lines.size() && !lines.get(help).startsWith("# HELP " + family + " ")) {
            help++;
          }
          assertThat(help).as(family).isLessThan(lines.size() - 2);
          assertThat(lines.get(help + 1)).isEqualTo("# TYPE " + family + " " + type);
          assertThat(lines.get(help + 2)).as(family).startsWith(family);
        });
    for (String line : lines) {
      if (!line.startsWith("#")) {
        assertThat(line)
            .as("every sample is labelled")
            .contains("{engine=\"0\",", ",model_name=\"sim-model\"}");
      }
    }
  }

  private static String reason(String finishedReason) {
    return "engine=\"0\",finished_reason=\"" + finishedReason + "\",model_name=\"sim-model\"";
  }

  private static String le(String bound) {
    return "engine=\"0\",le=\"" + bound + "\",model_name=\"sim-model\"";
  }

  /** Text tokens the client received: one per chunk whose delta carries content. */
  private static long textTokens(SseStream stream) {
    return stream.events().stream()
        .filter(e -> !list(e.get("choices")).isEmpty())
        .filter(e -> delta(e).get("content") instanceof String)
        .count();
  }

  private String scrape() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4");
    return response.body();
  }

  /** Scrapes until {@code shown} holds, or {@link SseStream#TIMEOUT} passed: the last scrape. */
  private String awaitScrape(Predicate<String> shown) throws Exception {
    long deadline = System.nanoTime() + SseStream.TIMEOUT.toNanos();
    String metrics = scrape();
    while (!shown.test(metrics) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      metrics = scrape();
    }
    return metrics;
  }

  private static long gauge(String metrics, String requests) {
    return (long) value(metrics, "vllm:num_requests_" + requests, LABELS);
  }

  private static double value(String metrics, String name, String labels) {
    return Double.parseDouble(sampleText(metrics, name, labels));
  }

  private static String sampleText(String metrics, String name, String labels) {
    Matcher matcher =
        Pattern.compile(
                "(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "\\} (\\S+)$")
            .matcher(metrics);
    assertThat(matcher.find()).as(name + "{" + labels + "}").isTrue();
    return matcher.group(1);
  }
}
