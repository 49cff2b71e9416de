package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Answers an engine gives at the edge of the protocol, written byte by byte by a raw loopback
 * server, and the one failure each must come out as.
 */
class StreamExchangeFaultTest {
  private static final String EVENTS_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

  /** What the server does with one accepted connection, after reading the request. */
  interface Script {
    void run(InputStream in, OutputStream out) throws Exception;
  }

  private static Timeouts timeouts(Duration idle) {
    return Timeouts.defaults()
        .withConnect(Duration.ofSeconds(2))
        .withFirstByte(Duration.ofSeconds(5))
        .withIdle(idle)
        .withTotal(Duration.ofSeconds(20));
  }

  private static StreamClient client(ServerSocket server, Timeouts t, RunClock clock) {
    return new StreamClient(
        URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions"),
        clock,
        t,
        Duration.ofSeconds(4),
        "{}".getBytes(StandardCharsets.US_ASCII),
        null,
        1,
        null);
  }

  /** Serves each connection it accepts with the next script; counts the connections. */
  private static AtomicInteger serve(ServerSocket server, Script... scripts) {
    AtomicInteger accepted = new AtomicInteger();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              for (Script s : scripts) {
                try (Socket c = server.accept()) {
                  accepted.incrementAndGet();
                  c.getInputStream().read(new byte[8192]);
                  s.run(c.getInputStream(), c.getOutputStream());
                } catch (Exception e) {
                  // the client went away
                }
              }
            });
    return accepted;
  }

  private static RequestTrace once(Script script, Duration idle) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      serve(server, script);
      RunClock clock = RunClock.startNow();
      try (StreamClient c = client(server, timeouts(idle), clock)) {
        return c.start(0, false, clock.nowNanos(), new RequestHandle()).get(20, TimeUnit.SECONDS);
      }
    }
  }

  private static void write(OutputStream o, String s) throws Exception {
    o.write(s.getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  private static String chunk(String s) {
    return Integer.toHexString(s.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + s + "\r\n";
  }

  private static final String TEXT_EVENT =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n";

  @Test
  void aStreamCutInTheMiddleOfALineIsTruncatedNotMalformed() throws Exception {
    RequestTrace t =
        once(
            (in, o) -> {
              write(o, EVENTS_HEAD);
              write(o, chunk(TEXT_EVENT));
              write(o, chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"he"));
            },
            Duration.ofSeconds(5));
    assertThat(t.failure()).isInstanceOf(Failure.Truncated.class);
    assertThat(t.events().textEventCount()).isEqualTo(1);
  }

  @Test
  void anEmptyErrorBodyIsExplainedByTheReasonPhraseAndKeepsRetryAfter() throws Exception {
    RequestTrace t =
        once(
            (in, o) ->
                write(
                    o,
                    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n"),
            Duration.ofSeconds(5));
    assertThat(t.failure()).isInstanceOf(Failure.Shed.class);
    Failure.Shed shed = (Failure.Shed) t.failure();
    assertThat(shed.bodyExcerpt()).isEqualTo("Service Unavailable");
    assertThat(shed.retryAfterNanos()).isEqualTo(7_000_000_000L);
  }

  @Test
  void anErrorBodyThatStallsStillFailsWithItsStatusNotATimeout() throws Exception {
    RequestTrace t =
        once(
            (in, o) -> {
              write(
                  o,
                  "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Type:"
                      + " application/json\r\nContent-Length: 100\r\n\r\n{\"error\":\"overloaded\"");
              in.read(); // until the client gives up and closes
            },
            Duration.ofMillis(300));
    assertThat(t.failure()).isInstanceOf(Failure.Shed.class);
    Failure.Shed shed = (Failure.Shed) t.failure();
    assertThat(shed.bodyExcerpt()).contains("overloaded");
    assertThat(shed.retryAfterNanos()).isEqualTo(7_000_000_000L);
  }

  @Test
  void aCancelledRequestIsCancelledEvenWhenItsHostDoesNotResolve() throws Exception {
    RunClock clock = RunClock.startNow();
    try (StreamClient c =
        new StreamClient(
            URI.create("http://no-such-host.invalid/v1/chat/completions"),
            clock,
            timeouts(Duration.ofSeconds(1)),
            Duration.ofSeconds(4),
            "{}".getBytes(StandardCharsets.US_ASCII),
            null,
            1,
            null)) {
      RequestHandle h = new RequestHandle();
      h.cancel(new Failure.Cancelled("stopped"));
      RequestTrace t = c.start(0, false, clock.nowNanos(), h).get(20, TimeUnit.SECONDS);
      assertThat(t.failure()).isEqualTo(new Failure.Cancelled("stopped"));
    }
  }

  @Test
  void aBrokenEndOfBodyAfterDoneIsNeverReused() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      CountDownLatch secondOnSameConnection = new CountDownLatch(1);
      AtomicInteger accepted =
          serve(
              server,
              (in, o) -> {
                write(o, EVENTS_HEAD);
                write(
                    o,
                    chunk(
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},"
                            + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
                write(o, "zz\r\n\r\n"); // not a chunk size
                if (in.read(new byte[8192]) > 0) {
                  secondOnSameConnection.countDown();
                }
              },
              (in, o) ->
                  write(
                      o,
                      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 14"
                          + "\r\n\r\ndata: [DONE]\n\n"));
      RunClock clock = RunClock.startNow();
      try (StreamClient c = client(server, timeouts(Duration.ofSeconds(2)), clock)) {
        RequestTrace first =
            c.start(0, false, clock.nowNanos(), new RequestHandle()).get(10, TimeUnit.SECONDS);
        RequestTrace second =
            c.start(1, false, clock.nowNanos(), new RequestHandle()).get(10, TimeUnit.SECONDS);
        assertThat(first.ok()).as(String.valueOf(first.failure())).isTrue();
        assertThat(second.ok()).as(String.valueOf(second.failure())).isTrue();
        assertThat(accepted.get()).isEqualTo(2);
        assertThat(secondOnSameConnection.getCount()).isOne();
      }
    }
  }

  @Test
  void closingTheClientEndsARequestInFlightAndACancelAfterwardsIsHarmless() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      CountDownLatch received = new CountDownLatch(1);
      serve(
          server,
          (in, o) -> {
            received.countDown();
            in.read(); // hold the request until the client closes
          });
      RunClock clock = RunClock.startNow();
      StreamClient c = client(server, timeouts(Duration.ofSeconds(10)), clock);
      RequestHandle h = new RequestHandle();
      CompletableFuture<RequestTrace> f = c.start(0, false, clock.nowNanos(), h);
      assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
      c.close();
      assertThat(f.get(10, TimeUnit.SECONDS).ok()).isFalse();
      assertThatCode(() -> h.cancel(new Failure.Cancelled("stopped"))).doesNotThrowAnyException();
    }
  }
}
