package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one stop path on real loopback streams: however a run is ended, {@link LoadRunner#run}
 * returns every trace, the finished ones and those cut off, in id order.
 *
 * <p>Every case runs the same shape: 3 workers, 20 requests asked for; the server answers its first
 * {@value #QUICK} arrivals at once, holds arrival {@value #QUICK} until the test releases it, and
 * holds every later one until the server closes. So when {@code inFlight} streams have started,
 * exactly 7 requests were sent: 4 finished, 3 in flight, none of them able to end by itself.
 * Nothing here depends on how fast the host is: each wait is for an event, with a bound only
 * against a hang.
 */
@Timeout(60)
class LoadRunnerStopTest {
  private static final int QUICK = 4;
  private static final int WORKERS = 3;
  private static final int SENT = QUICK + WORKERS;

  /** Longer than any test: no stream ends by a timeout or a grace the test did not cut short. */
  private static final Duration LONG = Duration.ofMinutes(5);

  /** A server of the shape above, with its latches. */
  private static final class Shape implements AutoCloseable {
    final CountDownLatch inFlight = new CountDownLatch(WORKERS);
    final CountDownLatch releaseHeld = new CountDownLatch(1);
    final TestServer server;

    Shape() throws Exception {
      CountDownLatch closed = new CountDownLatch(1);
      server =
          new TestServer(
              closed,
              (n, ex) -> {
                if (n < QUICK) {
                  TestServer.write(TestServer.startStream(ex), TestServer.okStream(3));
                } else if (n == QUICK) {
                  OutputStream out = begin(ex);
                  releaseHeld.await();
                  TestServer.write(out, TestServer.chunk("{\"content\":\"b\"}", null));
                  TestServer.write(out, TestServer.chunk("{}", "\"stop\"") + "data: [DONE]\n\n");
                } else {
                  begin(ex);
                  closed.await();
                }
              });
    }

    private OutputStream begin(HttpExchange ex) throws Exception {
      OutputStream out = TestServer.startStream(ex);
      TestServer.write(out, TestServer.chunk("{\"role\":\"assistant\",\"content\":null}", null));
      TestServer.write(out, TestServer.chunk("{\"content\":\"a\"}", null));
      inFlight.countDown();
      return out;
    }

    LoadRunner runner(Timeouts timeouts) {
      return LoadRunner.create(
          TestSpecs.to(server.baseUrl())
              .concurrency(WORKERS)
              .requests(20)
              .timeouts(timeouts)
              .build(),
          RunClock.startNow());
    }

    @Override
    public void close() {
      releaseHeld.countDown();
      server.close();
    }
  }

  /**
   * A run on its own thread: its result, what reached the callback, the thread's interrupt flag.
   */
  private static final class Running {
    final CompletableFuture<LoadResult> result = new CompletableFuture<>();
    final List<RequestTrace> delivered = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger okSeen = new AtomicInteger();
    final CountDownLatch heldFinished = new CountDownLatch(1);
    volatile boolean interruptedAfterwards;
    final Thread thread;

    Running(LoadRunner runner) {
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      LoadResult r =
                          runner.run(
                              t -> {
                                delivered.add(t);
                                if (t.ok() && okSeen.incrementAndGet() > QUICK) {
                                  heldFinished.countDown();
                                }
                              });
                      // Read before the result is published, so the test sees it.
                      interruptedAfterwards = Thread.currentThread().isInterrupted();
                      result.complete(r);
                    } catch (Throwable e) {
                      result.completeExceptionally(e);
                    }
                  });
    }

    LoadResult await() throws Exception {
      return result.get(30, TimeUnit.SECONDS);
    }
  }

  private static Timeouts timeouts(Duration stopGrace) {
    return TestSpecs.TIMEOUTS
        .withFirstByte(LONG)
        .withIdle(LONG)
        .withTotal(LONG)
        .withDrain(LONG)
        .withStopGrace(stopGrace);
  }

  /** Every request sent is in the result once, in id order, and reached the callback. */
  private static void assertEveryTraceInOrder(LoadResult r, Running run, int sent) {
    assertThat(r.traces())
        .extracting(RequestTrace::id)
        .containsExactlyElementsOf(IntStream.range(0, sent).boxed().toList());
    assertThat(run.delivered).containsExactlyInAnyOrderElementsOf(r.traces());
  }

  private static long ok(LoadResult r) {
    return r.traces().stream().filter(RequestTrace::ok).count();
  }

  private static List<Failure> failures(LoadResult r) {
    return r.traces().stream().filter(t -> !t.ok()).map(RequestTrace::failure).toList();
  }

  @Test
  void aRunThatReachesItsEndHasNoStopReason() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> TestServer.write(TestServer.startStream(ex), TestServer.okStream(2)))) {
      LoadResult r =
          LoadRunner.create(TestSpecs.to(server.baseUrl()).requests(3).build(), RunClock.startNow())
              .run(null);
      assertThat(r.stopped()).isFalse();
      assertThat(r.stopReason()).isNull();
      assertThat(r.traces()).hasSize(3).allMatch(RequestTrace::ok);
    }
  }

  @Test
  void aStopLetsInFlightRequestsFinishInTheGraceThenAnInterruptCutsTheRest() throws Exception {
    try (Shape shape = new Shape()) {
      LoadRunner runner = shape.runner(timeouts(LONG));
      Running run = new Running(runner);
      assertThat(shape.inFlight.await(20, TimeUnit.SECONDS)).isTrue();

      runner.stop("operator stop");
      // Within the grace an in-flight request still ends normally, and the run waits for the rest.
      shape.releaseHeld.countDown();
      assertThat(run.heldFinished.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(run.result).isNotDone();
      assertThat(runner.inFlight()).isEqualTo(WORKERS - 1);

      run.thread.interrupt();
      LoadResult r = run.await();

      assertEveryTraceInOrder(r, run, SENT);
      assertThat(r.stopReason()).as("the first stop's reason").isEqualTo("operator stop");
      assertThat(ok(r)).isEqualTo(QUICK + 1);
      assertThat(failures(r))
          .hasSize(WORKERS - 1)
          .containsOnly(new Failure.Cancelled("operator stop"));
      assertThat(run.interruptedAfterwards).as("interrupt status set again").isTrue();
      assertThat(shape.server.requestCount()).as("nothing sent after the stop").isEqualTo(SENT);
      assertThat(runner.inFlight()).isZero();
    }
  }

  @Test
  void aGraceOfZeroCancelsEveryInFlightRequestAtOnce() throws Exception {
    try (Shape shape = new Shape()) {
      LoadRunner runner = shape.runner(timeouts(Duration.ZERO));
      Running run = new Running(runner);
      assertThat(shape.inFlight.await(20, TimeUnit.SECONDS)).isTrue();

      runner.stop("now");
      // The held request is never released: the run can only have ended by cancelling it.
      LoadResult r = run.await();

      assertEveryTraceInOrder(r, run, SENT);
      assertThat(r.stopReason()).isEqualTo("now");
      assertThat(ok(r)).isEqualTo(QUICK);
      assertThat(failures(r)).hasSize(WORKERS).containsOnly(new Failure.Cancelled("now"));
      assertThat(run.interruptedAfterwards).isFalse();
      assertThat(shape.server.requestCount()).isEqualTo(SENT);
    }
  }

  @Test
  void anInterruptCancelsAtOnceWhateverTheGraceAndReturnsEveryTrace() throws Exception {
    try (Shape shape = new Shape()) {
      LoadRunner runner = shape.runner(timeouts(LONG));
      Running run = new Running(runner);
      assertThat(shape.inFlight.await(20, TimeUnit.SECONDS)).isTrue();

      run.thread.interrupt();
      LoadResult r = run.await();

      assertEveryTraceInOrder(r, run, SENT);
      assertThat(r.stopReason()).isEqualTo(LoadRunner.INTERRUPTED);
      assertThat(ok(r)).isEqualTo(QUICK);
      assertThat(failures(r))
          .hasSize(WORKERS)
          .containsOnly(new Failure.Cancelled(LoadRunner.INTERRUPTED));
      assertThat(run.interruptedAfterwards).isTrue();
      assertThat(shape.server.requestCount()).isEqualTo(SENT);
    }
  }

  @Test
  void aStopDuringADurationsDrainCutsItToTheGrace() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch inFlight = new CountDownLatch(2);
    try (TestServer server =
        new TestServer(
            closed,
            (n, ex) -> {
              OutputStream out = TestServer.startStream(ex);
              TestServer.write(out, TestServer.chunk("{\"content\":\"a\"}", null));
              inFlight.countDown();
              closed.await();
            })) {
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(server.baseUrl())
                  .concurrency(2)
                  .requests(null)
                  .duration(Duration.ofMillis(50))
                  .timeouts(timeouts(Duration.ZERO))
                  .build(),
              RunClock.startNow());
      Running run = new Running(runner);
      assertThat(inFlight.await(20, TimeUnit.SECONDS)).isTrue();
      // The duration is over and its (long) drain has begun before the stop arrives.
      while (!runner.ending()) {
        Thread.sleep(5);
      }
      assertThat(run.result).isNotDone();

      runner.stop("operator stop");
      LoadResult r = run.await();

      assertEveryTraceInOrder(r, run, 2);
      assertThat(r.stopReason()).isEqualTo("operator stop");
      assertThat(failures(r)).hasSize(2).containsOnly(new Failure.Cancelled("operator stop"));
    }
  }
}
