package io.inferscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrivialClientTest {
  @Test
  void itReadsEveryStampedEventAndTheGapsOfEachResponsesTextEventsOnly() throws Exception {
    int streams = 3;
    int tokens = 5;
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(5), Duration.ofMillis(2), Duration.ZERO)
            .withOutputTokens(tokens)
            .withStampMonotonic(true);
    try (SimEngine engine = SimEngine.start(config)) {
      // No time: each stream's one response, read to its end.
      TrivialClient.Result r =
          TrivialClient.run(URI.create(engine.baseUrl()), streams, tokens, "hi", Duration.ZERO);

      assertThat(r.responses()).isEqualTo(streams);
      // Per response: its role, its text events, its finish and its usage, each stamped.
      assertThat(r.observationDelayNanos().count()).isEqualTo(streams * (1 + tokens + 2));
      // The same clock in one process: never read before it was sent.
      assertThat(r.observationDelayNanos().min()).isNotNegative();
      // Gaps between text events only, within a response, never across two.
      assertThat(r.itlErrorNanos().count()).isEqualTo(streams * (tokens - 1));
      assertThat(r.itlErrorNanos().min()).isNotNegative();
      // One TTFT per response, from the request's write to its first text: at least the engine's.
      assertThat(r.ttftNanos().count()).isEqualTo(streams);
      assertThat(r.ttftNanos().min()).isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());
    }
  }
}
