package io.inferscope.sysmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.RunClock;
import io.inferscope.core.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SamplingLoopTest {
  private static final long MS = 1_000_000L;

  /** What the fake sampler does on its n-th read (0-based). */
  interface Read {
    void on(int n) throws Exception;
  }

  /** A sampler whose samples are the read's index and run-clock stamp; behaviour per read. */
  static final class FakeSampler implements Sampler<long[]> {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final CountDownLatch firstRead = new CountDownLatch(1);
    volatile Thread thread;
    volatile boolean closedInterrupted;
    private final Read read;

    FakeSampler(Read read) {
      this.read = read;
    }

    @Override
    public String source() {
      return "fake";
    }

    @Override
    public long[] sample(RunClock clock) throws Exception {
      thread = Thread.currentThread();
      int n = reads.getAndIncrement();
      long at = clock.nowNanos();
      try {
        read.on(n);
      } finally {
        firstRead.countDown();
      }
      return new long[] {n, at};
    }

    @Override
    public void close() {
      closedInterrupted = Thread.currentThread().isInterrupted();
      closes.incrementAndGet();
    }

    /** Waits until {@code n} reads have begun; 10 s at most, a guard against a hang. */
    void awaitReads(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (reads.get() < n) {
        assertThat(System.nanoTime()).as("%d reads within 10 s", n).isLessThan(deadline);
        Thread.sleep(5);
      }
    }
  }

  /**
   * Checks what absolute deadlines guarantee whatever the host's load: read {@code i} is never
   * before {@code i} periods after the loop started (it started after the clock did), and any two
   * reads two apart lie more than a period apart (after a read, the next deadline is the next tick
   * strictly after it, and the one after is a period later), so reads never bunch up.
   */
  private static void assertOnTicks(List<Long> at, long periodNanos) {
    for (int i = 0; i < at.size(); i++) {
      assertThat(at.get(i)).as("read %d", i).isGreaterThanOrEqualTo(i * periodNanos);
      if (i >= 2) {
        assertThat(at.get(i) - at.get(i - 2))
            .as("reads %d to %d", i - 2, i)
            .isGreaterThan(periodNanos);
      }
    }
  }

  private static List<Long> stamps(Timeline<long[]> t) {
    List<Long> out = new ArrayList<>();
    for (long[] s : t.samples()) {
      out.add(s[1]);
    }
    return out;
  }

  @Test
  void readsOnAbsoluteDeadlines() throws Exception {
    FakeSampler sampler = new FakeSampler(n -> {});
    RunClock clock = RunClock.startNow();
    SamplingLoop<long[]> loop = SamplingLoop.start(sampler, clock, Duration.ofMillis(20), null);
    sampler.awaitReads(12);
    Timeline<long[]> t = loop.stop();
    long stoppedAt = clock.nowNanos();

    assertThat(t.source()).isEqualTo("fake");
    assertThat(t.periodNanos()).isEqualTo(20 * MS);
    assertThat(t.available()).isTrue();
    List<Long> at = stamps(t);
    assertThat(at).hasSizeGreaterThanOrEqualTo(12); // stop() waits for a read in progress
    assertOnTicks(at, 20 * MS);
    // A loaded host may skip ticks, never add any: no more reads than ticks so far.
    assertThat((long) at.size()).isLessThanOrEqualTo(stoppedAt / (20 * MS) + 1);
    assertThat(sampler.thread.getName()).isEqualTo("inferscope-sampler-fake");
    assertThat(sampler.thread.isDaemon()).isTrue();
    assertThat(sampler.thread.isVirtual()).isFalse();
    assertThat(loop.failedReads()).isZero();
    assertThat(loop.stopReason()).isNull();
  }

  @Test
  void anOverrunSkipsMissedTicksInsteadOfBursting() throws Exception {
    FakeSampler sampler =
        new FakeSampler(
            n -> {
              if (n == 2) {
                Thread.sleep(130); // misses about six 20 ms ticks
              }
            });
    SamplingLoop<long[]> loop =
        SamplingLoop.start(sampler, RunClock.startNow(), Duration.ofMillis(20), null);
    sampler.awaitReads(8);
    List<Long> at = stamps(loop.stop());
    assertThat(at).hasSizeGreaterThanOrEqualTo(8);
    // A burst to catch up would put reads right after one another.
    assertOnTicks(at, 20 * MS);
    // Read 2 began at tick 2 or later (40 ms) and took 130 ms: read 3 waits for the next tick after
    // 170 ms, the ninth (180 ms), rather than going at once.
    assertThat(at.get(3)).isGreaterThanOrEqualTo(180 * MS);
  }

  @Test
  void failedReadsAreCountedAndTheLoopGoesOn() throws Exception {
    FakeSampler sampler =
        new FakeSampler(
            n -> {
              if (n % 2 == 1) {
                throw new java.io.IOException("flaky " + n);
              }
            });
    SamplingLoop<long[]> loop =
        SamplingLoop.start(sampler, RunClock.startNow(), Duration.ofMillis(10), null);
    sampler.awaitReads(6);
    Timeline<long[]> t = loop.stop();
    int reads = sampler.reads.get();
    assertThat(reads).isGreaterThanOrEqualTo(6);
    assertThat(loop.failedReads()).isEqualTo(reads / 2);
    assertThat(t.samples()).hasSize(reads - reads / 2);
    assertThat(loop.firstFailure()).isEqualTo("IOException: flaky 1");
    assertThat(loop.stopReason()).isNull();
  }

  @Test
  void aGoneTargetEndsTheLoopKeepingItsSamples() throws Exception {
    FakeSampler sampler =
        new FakeSampler(
            n -> {
              if (n == 3) {
                throw new TargetGoneException("engine process 42 exited");
              }
            });
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch called = new CountDownLatch(1);
    SamplingLoop<long[]> loop =
        SamplingLoop.start(
            sampler,
            RunClock.startNow(),
            Duration.ofMillis(10),
            message -> {
              calls.add(message + " on " + Thread.currentThread().getName());
              called.countDown();
            });
    assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
    // The loop's thread ends by itself: no read can come after the end.
    sampler.thread.join(Duration.ofSeconds(10));
    assertThat(sampler.thread.isAlive()).isFalse();
    assertThat(sampler.reads.get()).isEqualTo(4);
    assertThat(loop.stopReason()).isEqualTo("engine process 42 exited");
    assertThat(loop.samplesSoFar()).hasSize(3);
    assertThat(sampler.closes.get()).isEqualTo(1); // closed by the loop as it ended
    Timeline<long[]> t = loop.stop();
    assertThat(t.samples()).extracting(s -> s[0]).containsExactly(0L, 1L, 2L);
    assertThat(calls).containsExactly("engine process 42 exited on inferscope-sampler-fake");
    assertThat(loop.failedReads()).isZero();
  }

  @Test
  void stopIsIdempotentAndClosesOnce() throws Exception {
    FakeSampler sampler = new FakeSampler(n -> {});
    SamplingLoop<long[]> loop =
        SamplingLoop.start(sampler, RunClock.startNow(), Duration.ofMillis(10), null);
    assertThat(sampler.firstRead.await(5, TimeUnit.SECONDS)).isTrue();
    Timeline<long[]> first = loop.stop();
    int reads = sampler.reads.get();
    // The loop's thread has ended: no read can follow.
    assertThat(sampler.thread.isAlive()).isFalse();
    assertThat(loop.stop()).isSameAs(first);
    assertThat(sampler.reads.get()).isEqualTo(reads);
    assertThat(sampler.closes.get()).isEqualTo(1);
  }

  @Test
  void stopReturnsPromptlyEvenWithALongPeriod() throws Exception {
    FakeSampler sampler = new FakeSampler(n -> {});
    SamplingLoop<long[]> loop =
        SamplingLoop.start(sampler, RunClock.startNow(), Duration.ofSeconds(30), null);
    // The first read comes at once, not a period later.
    assertThat(sampler.firstRead.await(10, TimeUnit.SECONDS)).isTrue();
    Timeline<long[]> t = loop.stop();
    assertThat(t.samples()).hasSize(1);
    assertThat(sampler.thread.isAlive()).isFalse();
    assertThat(sampler.closes.get()).isEqualTo(1);
    // stop() woke the sleeping loop: had it waited out its grace instead, it would have
    // interrupted the loop's thread, which then closes the sampler with the flag set.
    assertThat(sampler.closedInterrupted).isFalse();
  }

  @Test
  void stopFromTheGoneCallbackDoesNotWaitOnItself() throws Exception {
    FakeSampler sampler =
        new FakeSampler(
            n -> {
              throw new TargetGoneException("gone");
            });
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean interruptedInStop =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<SamplingLoop<long[]>> self = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch started = new CountDownLatch(1);
    self.add(
        SamplingLoop.start(
            sampler,
            RunClock.startNow(),
            Duration.ofMillis(10),
            m -> {
              try {
                started.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              self.getFirst().stop();
              // A stop() that joined its own thread would wait out its grace, then interrupt it.
              interruptedInStop.set(Thread.currentThread().isInterrupted());
              stopped.countDown();
            }));
    started.countDown();
    assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interruptedInStop.get()).isFalse();
    assertThat(self.getFirst().stop().samples()).isEmpty();
  }

  @Test
  void samplesSoFarIsASnapshot() throws Exception {
    FakeSampler sampler = new FakeSampler(n -> {});
    SamplingLoop<long[]> loop =
        SamplingLoop.start(sampler, RunClock.startNow(), Duration.ofMillis(10), null);
    assertThat(sampler.firstRead.await(10, TimeUnit.SECONDS)).isTrue();
    List<long[]> snapshot = loop.samplesSoFar();
    int size = snapshot.size();
    sampler.awaitReads(size + 2); // at least one more sample has been added since
    assertThat(snapshot).hasSize(size);
    assertThatThrownBy(() -> snapshot.add(new long[0]))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(loop.stop().samples().size()).isGreaterThan(size);
  }

  @Test
  void refusesANonPositivePeriod() {
    FakeSampler sampler = new FakeSampler(n -> {});
    assertThatThrownBy(() -> SamplingLoop.start(sampler, RunClock.startNow(), Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sampler.reads.get()).isZero();
  }
}
