package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestMetrics;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LoadRunner against the simulated engine: concurrency, scheduling and fault mixes. Where a test
 * must know that requests overlapped, a test server holds its answers until all have arrived.
 */
@Timeout(60)
class SimLoadTest {
  private static final long MS = 1_000_000L;

  private static SimConfig fast() {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(20), Duration.ofMillis(5), Duration.ZERO);
  }

  private static List<RequestTrace> run(LoadSpec.Builder spec) throws InterruptedException {
    return LoadRunner.create(spec.build(), RunClock.startNow()).run(t -> {}).traces();
  }

  @Test
  void sixtyFourConcurrentStreamsGiveEveryTrace() throws Exception {
    try (SimEngine engine = SimEngine.start(fast())) {
      AtomicInteger callbacks = new AtomicInteger();
      Set<Thread> callbackThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(64)
                  .requests(256)
                  .maxTokens(16)
                  .build(),
              RunClock.startNow());
      List<RequestTrace> traces =
          runner
              .run(
                  t -> {
                    callbacks.incrementAndGet();
                    callbackThreads.add(Thread.currentThread());
                  })
              .traces();
      assertThat(traces).hasSize(256);
      assertThat(traces)
          .extracting(RequestTrace::id)
          .containsExactlyElementsOf(IntStream.range(0, 256).boxed().toList());
      for (RequestTrace t : traces) {
        assertThat(t.failure()).as("request %d", t.id()).isNull();
        assertThat(t.usage().completionTokens()).isEqualTo(16);
        assertThat(t.events().textEventCount()).isEqualTo(16);
        assertThat(t.finishReason()).isEqualTo("length");
        assertThat(t.warmup()).isFalse();
      }
      assertThat(callbacks.get()).isEqualTo(256);
      // Traces are handed over on the requests' own virtual threads, never on an event loop.
      assertThat(callbackThreads).isNotEmpty().allMatch(Thread::isVirtual);
      assertThat(engine.requestsReceived()).isEqualTo(256);
      assertThat(runner.inFlight()).isZero();
    }
  }

  /**
   * A server that holds its answers to the first {@code n} requests until all {@code n} have
   * arrived, so that a request is answered only if {@code n} were in flight at once. After 10 s (a
   * guard against a hang, not a pace) a request still waiting is answered 500.
   */
  private static TestServer answeringOnceAllArrived(int n) throws java.io.IOException {
    return answeringOnceAllArrived(n, ConcurrentHashMap.newKeySet());
  }

  /** The same, noting the client end of each request's connection in {@code clients}. */
  private static TestServer answeringOnceAllArrived(int n, Set<InetSocketAddress> clients)
      throws java.io.IOException {
    CountDownLatch arrived = new CountDownLatch(n);
    return new TestServer(
        (i, ex) -> {
          clients.add(ex.getRemoteAddress());
          arrived.countDown();
          if (!arrived.await(10, TimeUnit.SECONDS)) {
            TestServer.status(ex, 500, "text/plain", "fewer than " + n + " requests in flight");
            return;
          }
          OutputStream out = TestServer.startStream(ex);
          TestServer.write(out, TestServer.okStream(2));
        });
  }

  @Test
  void sixtyFourConcurrentStreamsAreInFlightAtOnce() throws Exception {
    try (TestServer server = answeringOnceAllArrived(64)) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .concurrency(64)
                  .requests(128)
                  .timeouts(TestSpecs.TIMEOUTS.withFirstByte(Duration.ofSeconds(30))));
      // Every one of the first 64 was answered, so all 64 were in flight together.
      assertThat(traces).hasSize(128).allMatch(RequestTrace::ok);
      assertThat(server.requestCount()).isEqualTo(128);
    }
  }

  @Test
  void warmupRequestsAreFlaggedAndFinishFirst() throws Exception {
    try (SimEngine engine = SimEngine.start(fast())) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(4)
                  .warmupRequests(4)
                  .requests(8)
                  .maxTokens(4));
      assertThat(traces).hasSize(12);
      assertThat(traces)
          .extracting(RequestTrace::warmup)
          .containsExactly(
              true, true, true, true, false, false, false, false, false, false, false, false);
      long warmupEnd =
          traces.subList(0, 4).stream().mapToLong(RequestTrace::endNanos).max().orElseThrow();
      long measuredStart =
          traces.subList(4, 12).stream().mapToLong(RequestTrace::intendedNanos).min().orElseThrow();
      assertThat(measuredStart).isGreaterThanOrEqualTo(warmupEnd);
      assertThat(traces).allMatch(RequestTrace::ok);
    }
  }

  @Test
  void durationStopsStartingRequests() throws Exception {
    Duration duration = Duration.ofMillis(1000);
    try (SimEngine engine = SimEngine.start(fast())) {
      long t0 = System.nanoTime();
      List<RequestTrace> traces =
          run(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(4)
                  .requests(null)
                  .duration(duration)
                  .maxTokens(8));
      long took = System.nanoTime() - t0;
      // Requests take about 60 ms: within the second, workers go on to further requests (slack
      // for a loaded host, whose first requests also load and compile the client).
      assertThat(traces.size()).isGreaterThan(4);
      // In-flight requests finished within the drain rather than being cut.
      assertThat(traces).allMatch(RequestTrace::ok);
      long firstIntended =
          traces.stream().mapToLong(RequestTrace::intendedNanos).min().orElseThrow();
      long lastIntended =
          traces.stream().mapToLong(RequestTrace::intendedNanos).max().orElseThrow();
      assertThat(lastIntended - firstIntended).isLessThan(duration.toNanos());
      // The run lasts its duration, then ends once the requests in flight have ended (the
      // class's timeout guards against a run that would not end).
      assertThat(took).isGreaterThanOrEqualTo(duration.toNanos());
      assertThat(traces)
          .extracting(RequestTrace::id)
          .containsExactlyElementsOf(IntStream.range(0, traces.size()).boxed().toList());
    }
  }

  @Test
  void openLoopSendsOnTheScheduleWithoutWaitingForAnswers() throws Exception {
    try (TestServer server = answeringOnceAllArrived(10)) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .concurrency(10)
                  .ratePerSecond(50.0)
                  .requests(10)
                  .timeouts(TestSpecs.TIMEOUTS.withFirstByte(Duration.ofSeconds(30))));
      // Each answer waited for the last request: every request went out before any answer came.
      assertThat(traces).hasSize(10).allMatch(RequestTrace::ok);
      long start = traces.get(0).intendedNanos();
      for (RequestTrace t : traces) {
        assertThat(t.intendedNanos() - start).isEqualTo(t.id() * 20 * MS);
        assertThat(t.sendNanos()).isGreaterThanOrEqualTo(t.intendedNanos());
        // With a slot free, only a late wake-up delays a send: milliseconds on a loaded host,
        // never a second.
        assertThat(t.sendNanos() - t.intendedNanos()).isLessThan(1_000 * MS);
      }
    }
  }

  @Test
  void openLoopShowsClientQueueingAsSendLag() throws Exception {
    SimConfig slow =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(100), Duration.ofMillis(1), Duration.ZERO);
    try (SimEngine engine = SimEngine.start(slow)) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(1)
                  .ratePerSecond(100.0)
                  .requests(6)
                  .maxTokens(1));
      assertThat(traces).hasSize(6);
      // One slot, a request every 10 ms, each taking over 100 ms: each waits for the one before.
      RequestTrace last = traces.getLast();
      assertThat(last.sendNanos() - last.intendedNanos()).isGreaterThan(300 * MS);
      for (int i = 1; i < traces.size(); i++) {
        assertThat(traces.get(i).sendNanos()).isGreaterThanOrEqualTo(traces.get(i - 1).endNanos());
      }
      RequestMetrics m = RequestMetrics.of(last);
      assertThat(m.ttftFromIntendedNanos() - m.ttftNanos()).isEqualTo(m.sendLagNanos());
    }
  }

  /** 12 requests to {@code engine} in two bursts, of 8 and of 4, at most 64 in flight. */
  private static LoadRunner burstsOf8And4(SimEngine engine) {
    return LoadRunner.create(
        TestSpecs.to(URI.create(engine.baseUrl()))
            .concurrency(64)
            .requests(12)
            .workload(bursts(8, 4))
            .build(),
        RunClock.startNow());
  }

  /** A fixed schedule: {@code counts[k]} requests due together at {@code k} × 200 ms. */
  private static Workload bursts(int... counts) {
    List<WorkItem> items = new java.util.ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      for (int i = 0; i < counts[k]; i++) {
        items.add(new WorkItem(new Prompt.Text("burst " + k + " " + i), 4, k * 200 * MS, null));
      }
    }
    return new Workload(items, false, Workload.prompt("x").facts());
  }

  @Test
  void aBurstIsHandedOverBeforeAnyOfItsThreadsStarts() throws Exception {
    try (SimEngine engine = SimEngine.start(fast())) {
      LoadRunner runner = burstsOf8And4(engine);
      List<Integer> inFlightAtStart = new java.util.concurrent.CopyOnWriteArrayList<>();
      runner.threads =
          (name, task) -> {
            inFlightAtStart.add(runner.inFlight());
            Thread.ofVirtual().name(name).start(task);
          };
      List<RequestTrace> traces = runner.run(null).traces();

      assertThat(traces).hasSize(12).allMatch(RequestTrace::ok);
      // Nothing ends before a waiting thread starts: at the first start the whole first burst was
      // in flight, and the second burst's first start saw all four of its own.
      assertThat(inFlightAtStart).hasSize(12);
      assertThat(inFlightAtStart.getFirst()).isEqualTo(8);
      assertThat(inFlightAtStart.get(8)).isGreaterThanOrEqualTo(4);
      for (RequestTrace t : traces) {
        assertThat(t.intendedNanos() - traces.getFirst().intendedNanos())
            .isEqualTo(t.id() < 8 ? 0 : 200 * MS);
      }
    }
  }

  @Test
  void aBurstLargerThanTheSlotsWaitsForThemAndEnds() throws Exception {
    // Two slots, six requests due at once: the third waits for a slot, which only a started
    // thread gives back, so the burst's threads must start before that wait.
    try (SimEngine engine = SimEngine.start(fast())) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(2)
                  .requests(6)
                  .workload(bursts(6)));
      assertThat(traces).hasSize(6).allMatch(RequestTrace::ok);
      for (RequestTrace t : traces.subList(2, 6)) {
        // Sent with a slot free: all but one of the requests sent before it had ended.
        long endedBefore =
            traces.stream().filter(u -> u.id() < t.id() && u.endNanos() <= t.sendNanos()).count();
        assertThat(endedBefore).isGreaterThanOrEqualTo(t.id() - 1);
      }
    }
  }

  @Test
  void reasoningTokensComeFirst() throws Exception {
    SimConfig reasoning = fast().withShape(SimConfig.RoleChunk.EMPTY_CONTENT, 1, 3, true);
    try (SimEngine engine = SimEngine.start(reasoning)) {
      RequestTrace t = run(TestSpecs.to(URI.create(engine.baseUrl())).maxTokens(6)).get(0);
      assertThat(t.ok()).isTrue();
      assertThat(t.events().kind(0)).isEqualTo(ChunkKind.ROLE);
      assertThat(t.events().kind(1)).isEqualTo(ChunkKind.REASONING);
      assertThat(t.events().kind(4)).isEqualTo(ChunkKind.CONTENT);
      RequestMetrics m = RequestMetrics.of(t);
      assertThat(m.firstContentNanos()).isGreaterThan(m.ttftNanos());
      assertThat(m.textChunks()).isEqualTo(6);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SimConfig.Fault.class,
      names = {"HTTP_503", "HTTP_500", "ERROR_EVENT", "TRUNCATE", "STALL", "MALFORMED_JSON"})
  void everyThirdRequestFaulted(SimConfig.Fault fault) throws Exception {
    Class<? extends Failure> expected =
        switch (fault) {
          case HTTP_503 -> Failure.Shed.class;
          case HTTP_500 -> Failure.Http.class;
          case ERROR_EVENT -> Failure.StreamError.class;
          case TRUNCATE -> Failure.Truncated.class;
          case STALL -> Failure.Timeout.class;
          case MALFORMED_JSON -> Failure.Malformed.class;
          default -> throw new IllegalArgumentException(fault.name());
        };
    try (SimEngine engine = SimEngine.start(fast().withFault(fault, 3, 2))) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(2)
                  .requests(6)
                  .maxTokens(4)
                  .timeouts(TestSpecs.TIMEOUTS.withIdle(Duration.ofMillis(300))));
      assertThat(traces).hasSize(6);
      Set<Integer> failed = new HashSet<>();
      for (RequestTrace t : traces) {
        if (!t.ok()) {
          assertThat(t.failure()).as(t.failure().detail()).isInstanceOf(expected);
          failed.add(t.id());
        }
      }
      assertThat(failed).hasSize(2);
    }
  }

  /** Plays a host that grants {@code granted} threads, then refuses every further one. */
  private static LoadRunner.ThreadStarter grantingOnly(int granted, AtomicInteger refused) {
    return grantingOnly(granted, refused, () -> true);
  }

  /**
   * The same, refusing only once {@code before} holds (waited for, bounded): the refusal then
   * follows what the granted threads did, whatever the host's scheduling.
   */
  private static LoadRunner.ThreadStarter grantingOnly(
      int granted, AtomicInteger refused, java.util.function.BooleanSupplier before) {
    AtomicInteger started = new AtomicInteger();
    return (name, task) -> {
      if (started.incrementAndGet() > granted) {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!before.getAsBoolean() && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        refused.incrementAndGet();
        throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
      }
      Thread.ofPlatform().daemon().name(name).start(task);
    };
  }

  @Test
  void aHostThatRefusesStreamThreadsStopsTheRunAndKeepsWhatRan() throws Exception {
    // A first token after 500 ms: no worker can finish its first request, and send a second,
    // before the refusal that follows the first request's arrival.
    SimConfig slow =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(500), Duration.ofMillis(5), Duration.ZERO);
    try (SimEngine engine = SimEngine.start(slow)) {
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(10)
                  .requests(40)
                  .maxTokens(4)
                  .build(),
              RunClock.startNow());
      AtomicInteger refused = new AtomicInteger();
      // Refused once a granted worker's request has reached the engine: the run then has
      // something to keep (without the wait, whether one got that far is the host's scheduling).
      runner.threads = grantingOnly(4, refused, () -> engine.requestsReceived() > 0);
      LoadResult result = runner.run(null);
      List<RequestTrace> traces = result.traces();

      assertThat(refused.get()).isEqualTo(1);
      assertThat(runner.clientLimit())
          .isEqualTo(
              "the client could not start stream thread 5 of 10 (out of memory): lower"
                  + " --concurrency, or give the client more heap (INFERSCOPE_JAVA_OPTS=-Xmx…)");
      assertThat(result.stopReason()).isEqualTo(runner.clientLimit());
      // The four granted workers ran what they had started; nothing past the stop was sent.
      assertThat(traces).isNotEmpty().hasSizeLessThanOrEqualTo(4);
      assertThat(traces).allMatch(t -> t.ok() || t.failure() instanceof Failure.Cancelled);
      assertThat(engine.requestsReceived()).isEqualTo(traces.size());
      assertThat(runner.inFlight()).isZero();
    }
  }

  @Test
  void anOpenLoopThatCannotStartARequestStopsWithTheSameReason() throws Exception {
    try (SimEngine engine = SimEngine.start(fast())) {
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(URI.create(engine.baseUrl()))
                  .concurrency(10)
                  .ratePerSecond(200.0)
                  .requests(40)
                  .maxTokens(4)
                  .build(),
              RunClock.startNow());
      AtomicInteger refused = new AtomicInteger();
      runner.threads = grantingOnly(6, refused);
      List<RequestTrace> traces = runner.run(null).traces();

      assertThat(refused.get()).isEqualTo(1);
      assertThat(runner.clientLimit())
          .startsWith("the client could not start stream thread 7 of 10 ");
      // The seventh request was sent on time, before its thread was refused: the scheduler waited
      // for it itself, and it is recorded like the others. None after it was sent.
      assertThat(traces).hasSize(7).allMatch(RequestTrace::ok);
      assertThat(engine.requestsReceived()).isEqualTo(7);
      assertThat(runner.inFlight()).isZero();
    }
  }

  @Test
  void aThreadRefusedInTheMiddleOfABurstStopsTheRunAfterThatBurstRecordingAllOfIt()
      throws Exception {
    try (SimEngine engine = SimEngine.start(fast())) {
      LoadRunner runner = burstsOf8And4(engine);
      AtomicInteger refused = new AtomicInteger();
      runner.threads = grantingOnly(3, refused);
      List<RequestTrace> traces = runner.run(null).traces();

      // The whole first burst was handed over before its threads started; the fourth was
      // refused, and the scheduler waited for the rest itself. The second burst never went out.
      assertThat(refused.get()).isEqualTo(1);
      assertThat(runner.clientLimit()).startsWith("the client could not start stream thread 4 of");
      assertThat(traces).hasSize(8).allMatch(RequestTrace::ok);
      assertThat(traces).extracting(RequestTrace::id).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
      assertThat(engine.requestsReceived()).isEqualTo(8);
      assertThat(runner.inFlight()).isZero();
    }
  }

  @Test
  void workersInEveryPoolShardKeepTheirConnections() throws Exception {
    // 130 streams: three connection-pool shards of at most 64. The first 130 requests are answered
    // only once all have arrived, so each opened its own connection; the rest must reuse them.
    Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();
    try (TestServer server = answeringOnceAllArrived(130, clients)) {
      List<RequestTrace> traces =
          run(
              TestSpecs.to(server.baseUrl())
                  .concurrency(130)
                  .requests(390)
                  .timeouts(TestSpecs.TIMEOUTS.withFirstByte(Duration.ofSeconds(30))));
      assertThat(traces).hasSize(390).allMatch(RequestTrace::ok);
      assertThat(server.requestCount()).isEqualTo(390);
      assertThat(clients).hasSize(130);
    }
  }

  @Test
  void noRequestLeavesBeforeTheReadersSetUpEnded() throws Exception {
    // The set-up (Netty's transport, buffers, codec) took 200-450 ms at a process's start; run
    // after a request's send stamp it was counted in that request's time to first token.
    // Loaded now, Netty's classes cannot slow the run: only the held-back set-up can.
    assertThat(ReaderSetUp.exchangeOnce()).isNotNull();
    try (SimEngine engine = SimEngine.start(fast())) {
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(URI.create(engine.baseUrl())).requests(2).maxTokens(4).build(),
              RunClock.startNow());
      java.util.concurrent.CompletableFuture<Void> setUp =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
      runner.readerSetUp =
          () -> {
            asked.countDown();
            return setUp;
          };
      java.util.concurrent.CompletableFuture<LoadResult> result =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> runner.run(null));
      assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200);
      assertThat(engine.requestsReceived()).isZero();
      assertThat(result).isNotDone();
      setUp.complete(null);
      assertThat(result.get(10, TimeUnit.SECONDS).traces()).hasSize(2).allMatch(RequestTrace::ok);
      assertThat(engine.requestsReceived()).isEqualTo(2);
    }
  }
}
