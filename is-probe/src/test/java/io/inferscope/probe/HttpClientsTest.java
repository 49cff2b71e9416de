package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import okhttp3.ConnectionSpec;
import org.junit.jupiter.api.Test;

class HttpClientsTest {

  @Test
  void aCleartextEngineGetsNoTlsSetUp() {
    assertThat(HttpClients.simple(Duration.ofSeconds(1), "http").connectionSpecs())
        .containsExactly(ConnectionSpec.CLEARTEXT);
    assertThat(HttpClients.simple(Duration.ofSeconds(1), "https").connectionSpecs())
        .anyMatch(ConnectionSpec::isTls);
  }

  @Test
  void eventLoopsGrowWithCoresFromOneToFour() {
    assertThat(StreamClient.eventLoopsFor(1)).isEqualTo(1);
    assertThat(StreamClient.eventLoopsFor(2)).isEqualTo(1);
    assertThat(StreamClient.eventLoopsFor(8)).isEqualTo(4);
    assertThat(StreamClient.eventLoopsFor(64)).isEqualTo(4);
  }
}
