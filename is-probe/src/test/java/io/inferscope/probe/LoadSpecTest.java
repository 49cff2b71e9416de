package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadSpecTest {
  private static final URI URL = URI.create("http://127.0.0.1:1");

  private static LoadSpec.Builder minimal() {
    return LoadSpec.builder(URL, Endpoint.CHAT).prompt("p").requests(1);
  }

  @Test
  void aPromptAndARequestCountAreEnoughAndTheRestHasDefaults() {
    LoadSpec s = minimal().build();
    assertThat(s.baseUrl()).isEqualTo(URL);
    assertThat(s.endpoint()).isEqualTo(Endpoint.CHAT);
    assertThat(s.model()).isNull();
    assertThat(s.maxTokens()).isNull();
    assertThat(s.extraBodyJson()).isNull();
    assertThat(s.concurrency()).isEqualTo(1);
    assertThat(s.requests()).isEqualTo(1);
    assertThat(s.duration()).isNull();
    assertThat(s.ratePerSecond()).isNull();
    assertThat(s.arrival()).isEqualTo(LoadSpec.Arrival.CONSTANT);
    assertThat(s.seed()).isEqualTo(1);
    assertThat(s.warmupRequests()).isZero();
    assertThat(s.includeUsage()).isTrue();
    assertThat(s.timeouts()).isEqualTo(Timeouts.defaults());
    assertThat(s.apiKey()).isNull();
  }

  @Test
  void nullArrivalMeansTheDefault() {
    LoadSpec s = minimal().arrival(null).build();
    assertThat(s.arrival()).isEqualTo(LoadSpec.Arrival.CONSTANT);
  }

  @Test
  void everyInconsistencyIsOneLineFromBuild() {
    assertBad(LoadSpec.builder(null, Endpoint.CHAT).prompt("p").requests(1), "required");
    assertBad(LoadSpec.builder(URL, null).prompt("p").requests(1), "required");
    assertBad(minimal().extraBodyJson("[1]"), "extra body JSON must be a JSON object");
    assertBad(minimal().extraBodyJson("{bad"), "extra body JSON");
    assertBad(LoadSpec.builder(URL, Endpoint.CHAT).requests(1), "prompt");
    assertBad(minimal().timeouts(null), "timeouts");
    assertBad(minimal().concurrency(0), "concurrency must be at least 1");
    assertBad(minimal().requests(null), "give exactly one of requests and duration");
    assertBad(minimal().duration(Duration.ofSeconds(1)), "give exactly one");
    assertBad(minimal().requests(0), "requests must be at least 1");
    assertBad(minimal().requests(null).duration(Duration.ZERO), "duration must be positive");
    assertBad(minimal().ratePerSecond(0.0), "rate must be positive");
    assertBad(minimal().ratePerSecond(Double.NaN), "rate must be positive");
    assertBad(minimal().warmupRequests(-1), "warmup must not be negative");
    assertBad(minimal().maxTokens(0), "max tokens must be at least 1");
  }

  private static void assertBad(LoadSpec.Builder b, String message) {
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("\n");
  }
}
