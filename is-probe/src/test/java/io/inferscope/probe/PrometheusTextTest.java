package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The /metrics parser: real llama.cpp bytes, the shapes vLLM and OpenMetrics write, and junk. */
class PrometheusTextTest {

  private static final Path FIXTURES = Path.of("..", "..", "shared", "fixtures", "llama.cpp");

  private static Map<String, Double> values(PrometheusText.Exposition x) {
    return x.samples().stream()
        .collect(Collectors.toMap(PrometheusText.Sample::key, PrometheusText.Sample::value));
  }

  @Test
  void llamaCppsCapturedExpositionReadsWhole() throws Exception {
    PrometheusText.Exposition x =
        PrometheusText.parse(Files.readString(FIXTURES.resolve("metrics-after.txt")));
    assertThat(x.malformedLines()).isZero();
    Map<String, Double> v = values(x);
    assertThat(v)
        .containsEntry("llamacpp:prompt_tokens_total", 1770.0)
        .containsEntry("llamacpp:tokens_predicted_total", 13243.0)
        .containsEntry("llamacpp:requests_processing", 0.0)
        .containsEntry("llamacpp:n_busy_slots_per_decode", 2.11752);
    assertThat(x.typeOf("llamacpp:tokens_predicted_total")).isEqualTo("counter");
    assertThat(x.typeOf("llamacpp:requests_deferred")).isEqualTo("gauge");
    // This capture starts with the HTTP head: its 7 lines are skipped, the 15 samples read.
    PrometheusText.Exposition before =
        PrometheusText.parse(Files.readString(FIXTURES.resolve("metrics-initial.txt")));
    assertThat(before.malformedLines()).isEqualTo(7);
    assertThat(before.samples()).hasSize(15);
    assertThat(values(before)).containsEntry("llamacpp:prompt_tokens_total", 0.0);
  }

  @Test
  void labelsHistogramsAndSpecialValuesAsVllmAndOpenMetricsWriteThem() {
    String text =
        String.join(
            "\n",
            "# HELP vllm:num_requests_running Number of requests in model execution batches.",
            "# TYPE vllm:num_requests_running gauge",
            "vllm:num_requests_running{model_name=\"m\",engine=\"0\"} 3.0",
            "# TYPE vllm:time_to_first_token_seconds histogram",
            "vllm:time_to_first_token_seconds_bucket{engine=\"0\",le=\"0.001\",model_name=\"m\"} 0.0",
            "vllm:time_to_first_token_seconds_bucket{engine=\"0\",le=\"+Inf\",model_name=\"m\"} 7.0",
            "vllm:time_to_first_token_seconds_count{engine=\"0\",model_name=\"m\"} 7.0",
            "vllm:time_to_first_token_seconds_sum{engine=\"0\",model_name=\"m\"} 1.234567e+06",
            "# TYPE odd gauge",
            "odd{path=\"a\\\\b \\\"q\\\"\\nx\"} NaN",
            "neg -Inf 1700000000000",
            "# TYPE requests counter",
            "requests_total{code=\"200\"} 5 # {trace_id=\"abc\"} 1.0 1700000000.1",
            "# EOF",
            "");
    PrometheusText.Exposition x = PrometheusText.parse(text);
    assertThat(x.malformedLines()).isZero();
    Map<String, Double> v = values(x);
    // Labels sorted, so one series has one key whatever order the engine writes them in.
    assertThat(v).containsEntry("vllm:num_requests_running{engine=\"0\",model_name=\"m\"}", 3.0);
    assertThat(v)
        .containsEntry(
            "vllm:time_to_first_token_seconds_bucket{engine=\"0\",le=\"+Inf\",model_name=\"m\"}",
            7.0)
        .containsEntry(
            "vllm:time_to_first_token_seconds_sum{engine=\"0\",model_name=\"m\"}", 1234567.0);
    assertThat(x.typeOf("vllm:time_to_first_token_seconds_bucket")).isEqualTo("histogram");
    assertThat(x.typeOf("requests_total")).isEqualTo("counter");
    assertThat(v.get("odd{path=\"a\\\\b \\\"q\\\"\\nx\"}")).isNaN();
    assertThat(v).containsEntry("neg", Double.NEGATIVE_INFINITY);
    // The exemplar is dropped; the sample is kept.
    assertThat(v).containsEntry("requests_total{code=\"200\"}", 5.0);
  }

  @Test
  void badLinesAreCountedAndSkippedNeverFatal() {
    String text =
        String.join(
            "\n",
            "good 1",
            "no_value",
            "bad{unclosed=\"x} 1",
            "1starts_with_digit 2",
            "twice{a=\"1\",a=\"2\"} 3",
            "value notanumber",
            "three fields 1 2",
            "also_good{a=\"1\"} 2",
            "\r");
    PrometheusText.Exposition x = PrometheusText.parse(text);
    assertThat(values(x)).containsOnlyKeys("good", "also_good{a=\"1\"}");
    assertThat(x.malformedLines()).isEqualTo(6);
  }

  @Test
  void anyInputParsesWithoutThrowingAndKeepsWhatIsWellFormed() {
    // Fuzz: random bytes and mutations of a real exposition; the parser must never throw, and a
    // good line placed among the junk must always come through.
    Random random = new Random(20261207);
    String alphabet = "abz_:{}=\",. \\\n#+-Inf0123456789eE\t\r";
    for (int round = 0; round < 5_000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(200);
      for (int i = 0; i < n; i++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      sb.append("\nsentinel_total{k=\"v\"} 42\n");
      for (int i = 0; i < n; i++) {
        sb.append((char) random.nextInt(0x2FF));
      }
      PrometheusText.Exposition x = PrometheusText.parse(sb.toString());
      assertThat(values(x).get("sentinel_total{k=\"v\"}")).as("round %d", round).isEqualTo(42.0);
    }
  }
}
