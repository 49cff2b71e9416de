package io.inferscope.sysmon;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ProcessAggregate;
import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeMetrics;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunClock;
import io.inferscope.core.Timeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The sampler against real process trees. */
class ProcSamplerTest {
  private static final long MIB = 1024 * 1024;
  private static final Duration PERIOD = Duration.ofMillis(50);

  @Test
  void samplesTheWholeTreeWhileChildrenComeAndGo() throws Exception {
    // root sh -> burner sh (spins) ; root sh -> middle sh -> java holding 200 MiB
    String script =
        "sh -c 'while :; do :; done' &"
            + " sh -c '\"$JAVA\" -Xmx400m -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
            + " -cp \"$CP\" io.inferscope.sysmon.Allocate 200 & wait' &"
            + " wait";
    try (Spawned tree = Spawned.sh(script)) {
      assertThat(tree.awaitLine(Duration.ofSeconds(20))).isEqualTo("ready");
      int root = tree.pid();
      ProcessHandle burner = tree.descendant("while");
      ProcessHandle middle = tree.descendant("Allocate 200 & wait");
      ProcessHandle java =
          tree.descendants().stream()
              .filter(h -> h.parent().map(p -> p.pid() == middle.pid()).orElse(false))
              .findFirst()
              .orElseThrow();

      long fdsBefore = openFiles();
      RunClock clock = RunClock.startNow();
      SamplingLoop<ProcessTreeSample> loop =
          SamplingLoop.start(new ProcSampler(root), clock, PERIOD, null);
      awaitSamples(loop, s -> true, 12);
      long killedAt = clock.nowNanos();
      burner.destroyForcibly();
      burner.onExit().get(20, TimeUnit.SECONDS); // completes once its parent has reaped it
      long goneAt = clock.nowNanos();
      awaitSamples(loop, s -> s.atNanos() > goneAt, 4);
      Timeline<ProcessTreeSample> timeline = loop.stop();
      assertThat(openFiles()).as("files kept open after close").isLessThanOrEqualTo(fdsBefore);

      List<ProcessTreeSample> samples = timeline.samples();
      assertThat(timeline.source()).isEqualTo("proc");
      assertThat(timeline.periodNanos()).isEqualTo(PERIOD.toNanos());
      assertThat(loop.failedReads()).isZero();
      assertThat(loop.stopReason()).isNull();
      assertThat(samples).hasSizeGreaterThanOrEqualTo(16);
      for (ProcessTreeSample s : samples) {
        assertThat(s.rootPid()).isEqualTo(root);
        assertThat(s.processes().getFirst().pid()).isEqualTo(root);
      }

      ProcessTreeSample first = samples.getFirst();
      assertThat(pids(first))
          .contains(root, (int) burner.pid(), (int) middle.pid(), (int) java.pid());
      ProcessStat grandchild = find(first, java.pid());
      assertThat(grandchild.ppid()).isEqualTo((int) middle.pid());
      assertThat(grandchild.name()).isEqualTo("java");
      assertThat(grandchild.rssBytes()).isGreaterThanOrEqualTo(200 * MIB);
      assertThat(grandchild.threads()).isGreaterThan(1);
      assertThat(grandchild.voluntaryContextSwitches()).isNotNull();
      assertThat(grandchild.readBytes()).isNotNull(); // our own child: io is readable

      List<ProcessTreeSample> beforeKill =
          samples.stream().filter(s -> s.atNanos() < killedAt).toList();
      ProcessTreeMetrics busy = ProcessTreeMetrics.of(beforeKill);
      ProcessAggregate spinner =
          busy.processes().stream().filter(p -> p.pid() == burner.pid()).findFirst().orElseThrow();
      // Loose bounds: two cores shared with the test JVM, the allocator's start-up and whatever
      // else the host runs leave the spinner a share of a core, as little as a fifth, but always
      // far above an idle process (about 0 %).
      assertThat(spinner.cpuPercentMean()).isGreaterThan(5.0);
      assertThat(busy.cpuPercentMean()).isGreaterThanOrEqualTo(spinner.cpuPercentMean());
      ProcessAggregate sleeper =
          busy.processes().stream().filter(p -> p.pid() == root).findFirst().orElseThrow();
      assertThat(sleeper.cpuPercentMean()).as("the idle sh root").isLessThan(5.0);
      assertThat(busy.rssBytes().min()).isGreaterThanOrEqualTo(200.0 * MIB);
      // A read under heavy load can fall between a fork and its exec: all four appear at least
      // once.
      assertThat(busy.processCount().max()).isEqualTo(4.0);

      // Sampling went on after the child exited, and the samples read since no longer hold it.
      List<ProcessTreeSample> afterKill =
          samples.stream().filter(s -> s.atNanos() > goneAt).toList();
      assertThat(afterKill).hasSizeGreaterThanOrEqualTo(4);
      for (ProcessTreeSample s : afterKill) {
        assertThat(pids(s)).doesNotContain((int) burner.pid()).contains((int) java.pid());
      }
      assertThat(samples.getLast().processes()).hasSize(3);
    }
  }

  @Test
  void theRootExitingEndsTheLoopWithTheReason() throws Exception {
    try (Spawned tree = Spawned.sh("sleep 30 & wait")) {
      int root = tree.pid();
      CountDownLatch gone = new CountDownLatch(1);
      AtomicReference<String> reason = new AtomicReference<>();
      AtomicReference<String> thread = new AtomicReference<>();
      SamplingLoop<ProcessTreeSample> loop =
          SamplingLoop.start(
              new ProcSampler(root),
              RunClock.startNow(),
              PERIOD,
              message -> {
                reason.set(message);
                thread.set(Thread.currentThread().getName());
                gone.countDown();
              });
      // The first read may come before sh has forked its sleep; wait for one that sees both.
      awaitSamples(loop, smp -> smp.processes().size() == 2, 1);
      tree.descendants(); // remember the sleep: it outlives its parent
      tree.process.destroyForcibly();

      assertThat(gone.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(reason.get()).isEqualTo("engine process " + root + " exited");
      assertThat(thread.get()).isEqualTo("inferscope-sampler-proc");
      assertThat(loop.stopReason()).isEqualTo(reason.get());
      Timeline<ProcessTreeSample> timeline = loop.stop();
      assertThat(timeline.samples()).isNotEmpty();
      assertThat(timeline.samples()).anyMatch(smp -> smp.processes().size() == 2);
    }
  }

  @Test
  void aRootThatNeverExistedIsGoneAtTheFirstRead() {
    int absent = FinderFixtures.absentPid();
    ProcSampler sampler = new ProcSampler(absent);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sampler.sample(RunClock.startNow()))
        .isInstanceOf(TargetGoneException.class)
        .hasMessage("engine process " + absent + " exited");
  }

  /**
   * Waits until the loop has taken {@code count} samples that match; 20 s at most, a guard against
   * a hang.
   */
  private static void awaitSamples(
      SamplingLoop<ProcessTreeSample> loop, Predicate<ProcessTreeSample> match, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (loop.samplesSoFar().stream().filter(match).count() < count) {
      assertThat(System.nanoTime()).as("%d samples within 20 s", count).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static long openFiles() throws java.io.IOException {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  static List<Integer> pids(ProcessTreeSample s) {
    return s.processes().stream().map(ProcessStat::pid).toList();
  }

  private static ProcessStat find(ProcessTreeSample s, long pid) {
    return s.processes().stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
  }
}
