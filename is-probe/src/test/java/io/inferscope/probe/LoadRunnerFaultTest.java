package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import io.inferscope.core.ChunkKind;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.TimeoutPhase;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every fault on real loopback connections; in each case the run goes on and keeps every trace. */
@Timeout(30)
class LoadRunnerFaultTest {
  private static final long MS = 1_000_000L;

  private static List<RequestTrace> run(LoadSpec.Builder spec) throws InterruptedException {
    return LoadRunner.create(spec.build(), RunClock.startNow()).run(t -> {}).traces();
  }

  private static void ok(HttpExchange ex) throws Exception {
    OutputStream out = TestServer.startStream(ex);
    TestServer.write(out, TestServer.okStream(3));
  }

  /** Role, one content chunk, then a content chunk every {@code gapMillis} until released. */
  private static void endless(
      HttpExchange ex, CountDownLatch started, CountDownLatch released, long gapMillis)
      throws Exception {
    OutputStream out = TestServer.startStream(ex);
    TestServer.write(out, TestServer.chunk("{\"role\":\"assistant\",\"content\":null}", null));
    TestServer.write(out, TestServer.chunk("{\"content\":\"a\"}", null));
    started.countDown();
    while (!released.await(gapMillis, TimeUnit.MILLISECONDS)) {
      TestServer.write(out, TestServer.chunk("{\"content\":\"b\"}", null));
    }
  }

  private static Failure failureOf(List<RequestTrace> traces, int id) {
    return traces.stream().filter(t -> t.id() == id).findFirst().orElseThrow().failure();
  }

  @Test
  void connectionRefusedIsConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<RequestTrace> traces =
        run(TestSpecs.to(URI.create("http://127.0.0.1:" + port)).requests(3));
    assertThat(traces).extracting(RequestTrace::id).containsExactly(0, 1, 2);
    for (RequestTrace t : traces) {
      assertThat(t.failure()).isInstanceOf(Failure.Connect.class);
      assertThat(t.failure().detail()).containsIgnoringCase("refused");
      assertThat(t.httpStatus()).isNull();
      assertThat(t.headersNanos()).isNull();
      assertThat(t.events().isEmpty()).isTrue();
    }
  }

  @Test
  void connectThatNeverCompletesTimesOutConnect() throws Exception {
    // A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
    // new connect hangs until its timeout.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> fillers = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          java.net.Socket s = new java.net.Socket();
          try {
            s.connect(full.getLocalSocketAddress(), 100);
            fillers.add(s);
          } catch (java.io.IOException e) {
            s.close();
            break;
          }
        }
        List<RequestTrace> traces =
            run(
                TestSpecs.to(URI.create("http://127.0.0.1:" + full.getLocalPort()))
                    .timeouts(TestSpecs.TIMEOUTS.withConnect(Duration.ofMillis(400)))
                    .requests(2));
        for (RequestTrace t : traces) {
          assertThat(t.failure()).isEqualTo(new Failure.Timeout(TimeoutPhase.CONNECT, 400 * MS));
          // Never before its bound; the upper limit is only slack for a loaded host.
          assertThat(t.endNanos() - t.sendNanos()).isBetween(390 * MS, 10_000 * MS);
          assertThat(t.headersNanos()).isNull();
        }
      } finally {
        for (java.net.Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void errorStatusesAreHttpOrShedWithACleanExcerpt() throws Exception {
    String emojiBody = "a".repeat(199) + "😀" + " tail that is cut";
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              switch (n) {
                case 1 ->
                    TestServer.status(ex, 500, "application/json", "{\"error\":\n  \"boom\"}");
                case 2 -> TestServer.status(ex, 503, "text/plain; charset=utf-8", emojiBody);
                case 3 -> TestServer.status(ex, 429, "text/plain", "slow down");
                default -> ok(ex);
              }
            })) {
      List<RequestTrace> traces = run(TestSpecs.to(server.baseUrl()).requests(5));
      assertThat(traces).hasSize(5);
      assertThat(failureOf(traces, 0)).isNull();
      assertThat(failureOf(traces, 1)).isEqualTo(new Failure.Http(500, "{\"error\": \"boom\"}"));
      assertThat(failureOf(traces, 2)).isEqualTo(new Failure.Shed(503, "a".repeat(199) + "…"));
      assertThat(failureOf(traces, 3)).isEqualTo(new Failure.Shed(429, "slow down"));
      assertThat(failureOf(traces, 3).code()).isEqualTo("shed_429");
      assertThat(failureOf(traces, 4)).isNull();
      assertThat(traces.get(2).httpStatus()).isEqualTo(503);
    }
  }

  @Test
  void theRunnerCountsFinishedAndFailedRequestsWithoutACallback() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              if (n % 2 == 1) {
                TestServer.status(ex, 500, "text/plain", "boom");
              } else {
                ok(ex);
              }
            })) {
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(server.baseUrl()).warmupRequests(2).requests(6).build(),
              RunClock.startNow());
      assertThat(runner.finished()).isZero();
      List<RequestTrace> traces = runner.run(null).traces();
      // What a progress display reads instead of a callback per request: every trace counted,
      // the warm-up's too (its total counts them).
      assertThat(runner.finished()).isEqualTo(traces.size()).isEqualTo(8);
      assertThat(runner.failed())
          .isEqualTo(traces.stream().filter(t -> !t.ok()).count())
          .isEqualTo(4);
    }
  }

  @Test
  void retryAfterIsKeptAndWhenAskedAWorkerWaitsItOut() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              if (n == 0) {
                ex.getResponseHeaders().add("Retry-After", "1");
                TestServer.status(ex, 429, "text/plain", "slow down");
              } else {
                ok(ex);
              }
            })) {
      List<RequestTrace> traces =
          run(TestSpecs.to(server.baseUrl()).requests(2).concurrency(1).honorRetryAfter(true));
      Failure.Shed shed = (Failure.Shed) failureOf(traces, 0);
      assertThat(shed.retryAfterNanos()).isEqualTo(1_000_000_000L);
      assertThat(shed.detail()).isEqualTo("shed by server, HTTP 429 (Retry-After 1 s): slow down");
      // The one worker sent its next request no sooner than the server asked: a lower bound, which
      // a busy host can only lengthen.
      assertThat(traces.get(1).intendedNanos() - traces.get(0).endNanos())
          .isGreaterThanOrEqualTo(1_000_000_000L);
      assertThat(traces.get(1).ok()).isTrue();
    }
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    java.time.Instant now = java.time.Instant.parse("2026-12-06T12:00:00Z");
    assertThat(Failures.retryAfterNanos("2", now)).isEqualTo(2_000_000_000L);
    assertThat(Failures.retryAfterNanos(" 0 ", now)).isZero();
    assertThat(Failures.retryAfterNanos("Sun, 06 Dec 2026 12:00:03 GMT", now))
        .isEqualTo(3_000_000_000L);
    assertThat(Failures.retryAfterNanos("Sun, 06 Dec 2026 11:59:00 GMT", now)).isZero();
    assertThat(Failures.retryAfterNanos("soon", now)).isNull();
    assertThat(Failures.retryAfterNanos("-5", now)).isNull();
    assertThat(Failures.retryAfterNanos(null, now)).isNull();
    assertThat(Failures.ofStatus(500, "x", "3", now)).isEqualTo(new Failure.Http(500, "x"));
  }

  @Test
  void anOpenLoopDoesNotHonourRetryAfter() {
    assertThatThrownBy(
            () ->
                TestSpecs.to(URI.create("http://127.0.0.1:9"))
                    .ratePerSecond(5.0)
                    .honorRetryAfter(true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("closed loop only");
  }

  @Test
  void invalidChunkJsonIsMalformedAndTheStreamIsStillRead() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              if (n == 1) {
                ok(ex);
                return;
              }
              OutputStream out = TestServer.startStream(ex);
              TestServer.write(out, TestServer.chunk("{\"role\":\"assistant\"}", null));
              TestServer.write(out, TestServer.chunk("{\"content\":\"a\"}", null));
              TestServer.write(out, "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}\n\n");
              TestServer.write(out, TestServer.chunk("{\"content\":\"c\"}", null));
              TestServer.write(out, TestServer.chunk("{}", "\"stop\""));
              TestServer.write(out, "data: [DONE]\n\n");
            })) {
      List<RequestTrace> traces = run(TestSpecs.to(server.baseUrl()).requests(2));
      RequestTrace bad = traces.get(0);
      assertThat(bad.failure()).isInstanceOf(Failure.Malformed.class);
      assertThat(bad.failure().detail())
          .startsWith("event 3: invalid JSON")
          .contains("{\"choices\":[{\"delta\":{\"content\":\"b\"}}");
      // Reading went on to the end: the events after the bad one are recorded.
      assertThat(bad.events().size()).isEqualTo(6);
      assertThat(bad.events().kind(2)).isEqualTo(ChunkKind.EMPTY);
      assertThat(bad.events().kind(5)).isEqualTo(ChunkKind.DONE);
      assertThat(bad.finishReason()).isEqualTo("stop");
      assertThat(traces.get(1).ok()).isTrue();
    }
  }

  @Test
  void streamEndingWithoutDoneOrFinishIsTruncated() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              OutputStream out = TestServer.startStream(ex);
              TestServer.write(out, TestServer.chunk("{\"role\":\"assistant\"}", null));
              TestServer.write(out, TestServer.chunk("{\"content\":\"a\"}", null));
              if (n == 1) {
                // Ends cleanly after the finish reason, without [DONE]: complete all the same.
                TestServer.write(out, TestServer.chunk("{}", "\"length\""));
              }
            })) {
      List<RequestTrace> traces = run(TestSpecs.to(server.baseUrl()).requests(2));
      assertThat(failureOf(traces, 0))
          .isEqualTo(
              new Failure.Truncated("stream ended after 2 events without [DONE] or finish_reason"));
      assertThat(failureOf(traces, 1)).isNull();
      assertThat(traces.get(1).finishReason()).isEqualTo("length");
    }
  }

  @Test
  void connectionLostMidStreamIsTruncated() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              byte[] head =
                  (TestServer.chunk("{\"role\":\"assistant\"}", null)
                          + TestServer.chunk("{\"content\":\"a\"}", null)
                          + (n == 1 ? TestServer.chunk("{}", "\"stop\"") : ""))
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8);
              ex.getResponseHeaders().add("Content-Type", "text/event-stream");
              // Promise more bytes than are sent: closing then drops the connection mid-body.
              ex.sendResponseHeaders(200, head.length + 1000);
              ex.getResponseBody().write(head);
              ex.getResponseBody().flush();
            })) {
      List<RequestTrace> traces = run(TestSpecs.to(server.baseUrl()).requests(2));
      assertThat(failureOf(traces, 0)).isInstanceOf(Failure.Truncated.class);
      assertThat(failureOf(traces, 0).detail()).startsWith("connection lost after 2 events");
      // Lost after the finish reason: only [DONE] is missing, the answer is whole.
      assertThat(failureOf(traces, 1)).isNull();
    }
  }

  @Test
  void errorEventInA200StreamIsStreamError() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              OutputStream out = TestServer.startStream(ex);
              TestServer.write(out, TestServer.chunk("{\"content\":\"a\"}", null));
              TestServer.write(
                  out,
                  "data: {\"error\":{\"object\":\"error\",\"message\":\"engine overloaded\","
                      + "\"type\":\"InternalServerError\",\"code\":500}}\n\n");
              TestServer.write(out, "data: [DONE]\n\n");
            })) {
      List<RequestTrace> traces = run(TestSpecs.to(server.baseUrl()).requests(1));
      RequestTrace t = traces.get(0);
      assertThat(t.failure()).isEqualTo(new Failure.StreamError("engine overloaded"));
      assertThat(t.failure().code()).isEqualTo("stream_error");
      assertThat(t.httpStatus()).isEqualTo(200);
      assertThat(t.events().kind(1)).isEqualTo(ChunkKind.ERROR);
    }
  }

  @Test
  void stalledStreamTimesOutIdle() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch hold = new CountDownLatch(1);
    try (TestServer server =
        new TestServer(
            hold,
            (n, ex) -> {
              if (n == 1) {
                ok(ex);
                return;
              }
              OutputStream out = TestServer.startStream(ex);
              TestServer.write(out, TestServer.chunk("{\"content\":\"a\"}", null));
              started.countDown();
              hold.await();
            })) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .requests(2)
                  .timeouts(
                      TestSpecs.TIMEOUTS
                          .withIdle(Duration.ofMillis(300))
                          .withFirstByte(Duration.ofSeconds(10))));
      RequestTrace t = traces.get(0);
      assertThat(t.failure()).isEqualTo(new Failure.Timeout(TimeoutPhase.IDLE, 300 * MS));
      long silence = t.endNanos() - t.events().atNanos(t.events().size() - 1);
      // Never before its bound; late on a loaded host, but far from the 20 s total bound.
      assertThat(silence).isBetween(290 * MS, 20_000 * MS);
      assertThat(traces.get(1).ok()).isTrue();
    }
  }

  @Test
  void headersSlowerThanTheIdleBoundAreFineWithinFirstByte() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    try (TestServer server =
        new TestServer(
            hold,
            (n, ex) -> {
              hold.await(700, TimeUnit.MILLISECONDS);
              ok(ex);
            })) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .timeouts(
                      TestSpecs.TIMEOUTS
                          .withIdle(Duration.ofMillis(250))
                          .withFirstByte(Duration.ofSeconds(5))));
      RequestTrace t = traces.get(0);
      assertThat(t.failure()).isNull();
      assertThat(t.headersNanos() - t.sendNanos()).isGreaterThanOrEqualTo(650 * MS);
    }
  }

  @Test
  void noHeadersInTimeIsFirstByteTimeout() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    try (TestServer server =
        new TestServer(
            hold,
            (n, ex) -> {
              if (n == 0) {
                hold.await();
              } else {
                ok(ex);
              }
            })) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .requests(2)
                  .timeouts(
                      TestSpecs.TIMEOUTS
                          .withFirstByte(Duration.ofMillis(400))
                          .withIdle(Duration.ofSeconds(10))));
      RequestTrace t = traces.get(0);
      assertThat(t.failure()).isEqualTo(new Failure.Timeout(TimeoutPhase.FIRST_BYTE, 400 * MS));
      assertThat(t.headersNanos()).isNull();
      assertThat(t.httpStatus()).isNull();
      // Never before its bound; late on a loaded host, but far from the 20 s total bound.
      assertThat(t.endNanos() - t.sendNanos()).isBetween(390 * MS, 20_000 * MS);
      assertThat(traces.get(1).ok()).isTrue();
    }
  }

  @Test
  void streamPastTheTotalBoundIsTotalTimeout() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    try (TestServer server =
        new TestServer((n, ex) -> endless(ex, started, new CountDownLatch(1), 40))) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .timeouts(
                      TestSpecs.TIMEOUTS
                          .withTotal(Duration.ofMillis(600))
                          .withIdle(Duration.ofSeconds(5))));
      RequestTrace t = traces.get(0);
      assertThat(t.failure()).isEqualTo(new Failure.Timeout(TimeoutPhase.TOTAL, 600 * MS));
      // Never before its bound. The stream never idles (an event every 40 ms), so no other bound
      // could end it: the upper limit is only slack for a loaded host.
      assertThat(t.endNanos() - t.sendNanos()).isBetween(590 * MS, 20_000 * MS);
      // Still streaming when the bound ended it: events came after the first.
      assertThat(t.events().textEventCount()).isGreaterThan(1);
    }
  }

  @Test
  void stopMidRunCancelsAfterTheStopGraceAndReturns() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch hold = new CountDownLatch(1);
    try (TestServer server = new TestServer(hold, (n, ex) -> endless(ex, started, hold, 30))) {
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(server.baseUrl())
                  .requests(10)
                  .concurrency(2)
                  .timeouts(TestSpecs.TIMEOUTS.withStopGrace(Duration.ofMillis(200)))
                  .build(),
              RunClock.startNow());
      CompletableFuture<LoadResult> result = new CompletableFuture<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  result.complete(runner.run(t -> {}));
                } catch (Throwable e) {
                  result.completeExceptionally(e);
                }
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(runner.inFlight()).isEqualTo(2);
      long stopAt = System.nanoTime();
      runner.stop("operator pressed Ctrl-C");
      // The streams never end by themselves: only the cancel at the drain's end returns the run.
      List<RequestTrace> traces = result.get(10, TimeUnit.SECONDS).traces();
      long stoppedAfter = System.nanoTime() - stopAt;
      assertThat(traces).hasSize(2);
      assertThat(traces)
          .extracting(RequestTrace::failure)
          .containsOnly(new Failure.Cancelled("operator pressed Ctrl-C"));
      assertThat(stoppedAfter).isGreaterThanOrEqualTo(190 * MS); // the drain was waited out
      assertThat(runner.inFlight()).isZero();
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void durationEndsTheRunAndDrainEndCancels() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch hold = new CountDownLatch(1);
    try (TestServer server = new TestServer(hold, (n, ex) -> endless(ex, started, hold, 30))) {
      long t0 = System.nanoTime();
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .requests(null)
                  .duration(Duration.ofMillis(300))
                  .concurrency(2)
                  .timeouts(TestSpecs.TIMEOUTS.withDrain(Duration.ofMillis(200))));
      long took = System.nanoTime() - t0;
      assertThat(traces).hasSize(2);
      assertThat(traces)
          .extracting(RequestTrace::failure)
          .containsOnly(new Failure.Cancelled(LoadRunner.DURATION_REASON));
      // Duration and drain were waited out; the streams never end by themselves, so only the
      // cancel at the drain's end returns the run (the class's timeout guards against a hang).
      assertThat(took).isGreaterThanOrEqualTo(480 * MS);
    }
  }
}
