package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams over TLS from a real HTTPS server whose certificate {@code keytool} makes for {@code
 * localhost}: read as over clear text when the certificate is trusted and names the host, and a
 * connect failure naming the reason when it is not trusted or names another host.
 */
class TlsStreamTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static HttpsServer server;
  private static KeyStore keys;

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("engine.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "engine",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          try (OutputStream body = TestServer.startStream(ex)) {
            TestServer.write(body, TestServer.okStream(5));
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static SslContext trusting(KeyStore certificates) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(certificates);
    return SslContextBuilder.forClient().trustManager(tmf).build();
  }

  private static List<RequestTrace> run(String host, SslContext trust) {
    URI url = URI.create("https://" + host + ":" + server.getAddress().getPort());
    LoadRunner runner =
        LoadRunner.create(
            TestSpecs.to(url).concurrency(2).requests(4).build(), RunClock.startNow());
    runner.trust = trust;
    return runner.run(null).traces();
  }

  @Test
  void aTrustedEngineStreamsOverTlsAsOverClearText() throws Exception {
    List<RequestTrace> traces = run("localhost", trusting(keys));
    assertThat(traces).hasSize(4).allMatch(RequestTrace::ok);
    for (RequestTrace t : traces) {
      assertThat(t.events().textEventCount()).isEqualTo(5);
      assertThat(t.finishReason()).isEqualTo("stop");
      assertThat(t.headersNanos()).isNotNull().isLessThanOrEqualTo(t.events().atNanos(0));
    }
  }

  @Test
  void anUntrustedCertificateIsAConnectFailureNamingIt() {
    // The platform's trust store does not know the engine's self-made certificate.
    List<RequestTrace> traces = run("localhost", null);
    assertThat(traces).hasSize(4);
    assertThat(traces)
        .allSatisfy(
            t -> {
              assertThat(t.failure()).isInstanceOf(Failure.Connect.class);
              assertThat(t.failure().detail()).containsIgnoringCase("certification path");
            });
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    // 127.0.0.1 is not a name the certificate holds: trusted or not, it is not that engine's.
    List<RequestTrace> traces = run("127.0.0.1", trusting(keys));
    assertThat(traces).hasSize(4);
    assertThat(traces)
        .allSatisfy(
            t -> {
              assertThat(t.failure()).isInstanceOf(Failure.Connect.class);
              assertThat(t.failure().detail()).containsIgnoringCase("127.0.0.1");
            });
  }
}
