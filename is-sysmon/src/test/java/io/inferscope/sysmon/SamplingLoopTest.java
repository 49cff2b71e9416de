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
      closes.incrementAndGet();
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
  void readsAtOnceThenOnAbsoluteDeadlines() throws Exception {
    FakeSampler sampler = new FakeSampler(n -> {});
    RunClock clock = RunClock.startNow();
    SamplingLoop<long[]> loop = SamplingLoop.start(sampler, clock, Duration.ofMillis(20), null);
    Thread.sleep(400);
    Timeline<long[]> t = loop.stop();

    assertThat(t.source()).isEqualTo("fake");
    assertThat(t.periodNanos()).isEqualTo(20 * MS);
    assertThat(t.available()).isTrue();
    List<Long> at = stamps(t);
    // 400 ms at 20 ms is 20 or 21 reads; a loaded machine may skip a few, never add any.
    assertThat(at).hasSizeBetween(12, 22);
    assertThat(at.getFirst()).isLessThan(100 * MS);
    for (int i = 1; i < at.size(); i++) {
      // read k is never before its deadline start + k * period (start <= first stamp)
      long k = (at.get(i) - at.getFirst() + MS) / (20 * MS);
      assertThat(k).isGreaterThanOrEqualTo(i);
    }
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
    Thread.sleep(400);
    List<Long> at = stamps(loop.stop());
    assertThat(at).hasSizeBetween(8, 16);
    for (int i = 1; i < at.size(); i++) {
      assertThat(at.get(i) - at.get(i - 1)).as("gap before read " + i).isGreaterThan(5 * MS);
    }
    // the read after the slow one lands on the next 20 ms grid point, not right away
    long afterSlow = at.get(3) - at.getFirst();
    assertThat(afterSlow).isGreaterThanOrEqualTo(160 * MS);
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
    Thread.sleep(200);
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
    assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(100); // no read after the end
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
    Thread.sleep(50);
    assertThat(loop.stop()).isSameAs(first);
    assertThat(sampler.reads.get()).isEqualTo(reads);
    assertThat(sampler.closes.get()).isEqualTo(1);
    assertThat(sampler.thread.isAlive()).isFalse();
  }

  @Test
  void stopReturnsPromptlyEvenWithALongPeriod() throws Exception {
    FakeSampler sampler = new FakeSampler(n -> {});
    SamplingLoop<long[]> loop =
        SamplingLoop.start(sampler, RunClock.startNow(), Duration.ofSeconds(30), null);
    assertThat(sampler.firstRead.await(5, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    Timeline<long[]> t = loop.stop();
    assertThat(System.nanoTime() - t0).isLessThan(500 * MS);
    assertThat(t.samples()).hasSize(1);
    assertThat(sampler.thread.isAlive()).isFalse();
    assertThat(sampler.closes.get()).isEqualTo(1);
  }

  @Test
  void stopFromTheGoneCallbackDoesNotWaitOnItself() throws Exception {
    FakeSampler sampler =
        new FakeSampler(
            n -> {
              throw new TargetGoneException("gone");
            });
    CountDownLatch stopped = new CountDownLatch(1);
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
              stopped.countDown();
            }));
    started.countDown();
    assertThat(stopped.await(2, TimeUnit.SECONDS)).isTrue();
    assertThat(self.getFirst().stop().samples()).isEmpty();
  }

  @Test
  void samplesSoFarIsASnapshot() throws Exception {
    FakeSampler sampler = new FakeSampler(n -> {});
    SamplingLoop<long[]> loop =
        SamplingLoop.start(sampler, RunClock.startNow(), Duration.ofMillis(10), null);
    assertThat(sampler.firstRead.await(5, TimeUnit.SECONDS)).isTrue();
    List<long[]> snapshot = loop.samplesSoFar();
    int size = snapshot.size();
    Thread.sleep(60);
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
