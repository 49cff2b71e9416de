package io.inferscope.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpConfigTest {

  @Test
  void headersAreNameValuePairsPercentDecodedWithNamesInLowerCase() {
    assertThat(
            OtlpConfig.headers(
                "Authorization=Bearer%20sk-1+2 , x-tenant=a%2Cb\n# a comment\n\napi-key=%E2%82%AC",
                "F"))
        .containsExactly(
            Map.entry("authorization", "Bearer sk-1+2"),
            Map.entry("x-tenant", "a,b"),
            Map.entry("api-key", "€"));
    assertThat(OtlpConfig.headers("", "F")).isEmpty();
    assertThat(OtlpConfig.headers(null, "F")).isEmpty();
  }

  @Test
  void aBadHeaderEntryIsNamedByNumberNeverByItsValue() {
    assertThatThrownBy(
            () -> OtlpConfig.headers("a=1,sk-secret-value", "OTEL_EXPORTER_OTLP_HEADERS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not name=value with a valid header name")
        .hasMessageNotContaining("sk-secret");
    assertThatThrownBy(() -> OtlpConfig.headers("bad name=sk-secret", "F"))
        .hasMessageContaining("entry 1")
        .hasMessageNotContaining("sk-secret");
    assertThatThrownBy(() -> OtlpConfig.headers("k=sk-secret%zz", "F"))
        .hasMessage("F: entry 1 has a % that is not followed by two hex digits");
  }

  @Test
  void resourceAttributesFollowTheSameFormat() {
    assertThat(
            OtlpConfig.resourceAttributes("service.name=bench,deployment.environment=ci%20a", "E"))
        .containsExactly(
            Map.entry("service.name", "bench"), Map.entry("deployment.environment", "ci a"));
    assertThatThrownBy(() -> OtlpConfig.resourceAttributes("=x", "E"))
        .hasMessage("E: entry 1 is not key=value");
  }

  @Test
  void theEndpointIsAnHttpUrlWithAHostAndEachSignalIsAppendedToIt() {
    URI base = OtlpConfig.endpoint("http://127.0.0.1:4318", "--otlp-endpoint");
    OtlpTarget t = new OtlpTarget(base, Map.of(), Duration.ofSeconds(1), Map.of(), false);
    assertThat(t.signalUrl("v1/traces")).isEqualTo("http://127.0.0.1:4318/v1/traces");
    OtlpTarget withPath =
        new OtlpTarget(
            OtlpConfig.endpoint("https://otel.example/otlp/", "x"),
            Map.of(),
            Duration.ofSeconds(1),
            Map.of(),
            false);
    assertThat(withPath.signalUrl("v1/metrics")).isEqualTo("https://otel.example/otlp/v1/metrics");
    for (String bad : new String[] {"127.0.0.1:4318", "grpc://h:4317", "http://", "not a url"}) {
      assertThatThrownBy(() -> OtlpConfig.endpoint(bad, "--otlp-endpoint"))
          .as(bad)
          .hasMessageStartingWith("--otlp-endpoint '" + bad + "' must be an http:// or https://");
    }
  }

  @Test
  void aTargetPrintsHeaderNamesButNeverTheirValues() {
    OtlpTarget t =
        new OtlpTarget(
            URI.create("http://h:4318"),
            Map.of("authorization", "Bearer sk-secret"),
            Duration.ofSeconds(10),
            Map.of(),
            false);
    assertThat(t.toString()).contains("authorization").doesNotContain("sk-secret");
  }
}
