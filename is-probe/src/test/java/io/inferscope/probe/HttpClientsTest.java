package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class HttpClientsTest {

  @Test
  void oneConnectionPoolPerSixtyFourStreamsAndOneDispatcher() {
    OkHttpClient[] clients =
        HttpClients.forRunSharded("http", 130, Timeouts.defaults(), Duration.ofSeconds(4));
    assertThat(clients).hasSize(3);
    assertThat(Arrays.stream(clients).map(OkHttpClient::connectionPool).distinct()).hasSize(3);
    assertThat(Arrays.stream(clients).map(OkHttpClient::dispatcher).distinct()).hasSize(1);
    // The dispatcher never queues: its limits cover the whole run, not one shard.
    assertThat(clients[2].dispatcher().getMaxRequestsPerHost()).isGreaterThanOrEqualTo(130);
    HttpClients.shutdown(clients);
  }

  @Test
  void fewStreamsShareOneClient() {
    assertThat(HttpClients.forRunSharded("http", 1, Timeouts.defaults(), Duration.ofSeconds(4)))
        .hasSize(1);
    assertThat(HttpClients.forRunSharded("http", 64, Timeouts.defaults(), Duration.ofSeconds(4)))
        .hasSize(1);
    assertThat(HttpClients.forRunSharded("http", 65, Timeouts.defaults(), Duration.ofSeconds(4)))
        .hasSize(2);
  }

  @Test
  void aCleartextEngineGetsNoTlsSetUp() {
    OkHttpClient http =
        HttpClients.forRunSharded("http", 1, Timeouts.defaults(), Duration.ofSeconds(4))[0];
    assertThat(http.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
    OkHttpClient https =
        HttpClients.forRunSharded("https", 1, Timeouts.defaults(), Duration.ofSeconds(4))[0];
    assertThat(https.connectionSpecs()).anyMatch(ConnectionSpec::isTls);
    assertThat(HttpClients.simple(Duration.ofSeconds(1), "http").connectionSpecs())
        .containsExactly(ConnectionSpec.CLEARTEXT);
  }
}
