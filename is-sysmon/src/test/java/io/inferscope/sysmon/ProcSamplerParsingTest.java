package io.inferscope.sysmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler against a hand-built /proc: parsing edge cases and how the tree is followed. */
class ProcSamplerParsingTest {
  private static final long TICK = 10_000_000L;

  @TempDir Path dir;

  private FakeProc tree() {
    return new FakeProc(dir)
        .process(1, "init", 'S', 0, 5, 5, 1, 1, 1000, true)
        .process(100, "a) (b c", 'S', 1, 250, 50, 7, 5000, 204800, true)
        .process(101, "worker 1", 'R', 100, 30, 1, 3, 5100, 1024, false)
        .process(102, "gc", 'S', 101, 0, 0, 1, 5200, 512, true)
        .process(103, "unrelated", 'S', 1, 9, 9, 1, 5300, 100, true)
        .write("104/cmdline", "") // listed but without stat: exited between listing and reading
        .write("self/stat", "not a process");
  }

  private static ProcessStat find(ProcessTreeSample s, int pid) {
    return s.processes().stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
  }

  @Test
  void parsesFieldsAfterTheLastParenthesis() throws Exception {
    tree();
    ProcessTreeSample s = new ProcSampler(100, dir).sample(RunClock.startNow());
    assertThat(ProcSamplerTest.pids(s)).containsExactly(100, 101, 102);
    ProcessStat root = s.processes().getFirst();
    assertThat(root)
        .isEqualTo(
            new ProcessStat(
                100,
                1,
                "a) (b c",
                5000,
                250 * TICK,
                50 * TICK,
                204800L * 1024,
                7,
                1000L,
                100L,
                100_000L,
                10_000L));
    ProcessStat worker = find(s, 101);
    assertThat(worker.name()).isEqualTo("worker 1");
    assertThat(worker.readBytes()).isNull(); // no io file: unreadable, not 0
    assertThat(worker.writeBytes()).isNull();
    assertThat(worker.voluntaryContextSwitches()).isEqualTo(1010L);
    assertThat(find(s, 102).ppid()).isEqualTo(101);
  }

  @Test
  void followsTheTreeAsProcessesComeGoAndGetAdopted() throws Exception {
    FakeProc proc = tree();
    ProcSampler sampler = new ProcSampler(100, dir);
    RunClock clock = RunClock.startNow();
    sampler.sample(clock);

    // a grandchild forks; an outsider forks; an orphan whose parent is not yet visible appears
    proc.process(105, "new", 'R', 102, 1, 0, 1, 6000, 64, true)
        .process(106, "outsider child", 'S', 103, 1, 0, 1, 6001, 64, true)
        .process(107, "orphan", 'S', 999, 1, 0, 1, 6002, 64, true);
    ProcessTreeSample s2 = sampler.sample(clock);
    assertThat(ProcSamplerTest.pids(s2)).containsExactly(100, 101, 102, 105);

    // the orphan is adopted by the root (a subreaper); the worker exits, its child goes to init
    proc.process(107, "orphan", 'S', 100, 1, 0, 1, 6002, 64, true);
    proc.remove(101);
    proc.process(102, "gc", 'S', 1, 0, 0, 1, 5200, 512, true);
    ProcessTreeSample s3 = sampler.sample(clock);
    assertThat(ProcSamplerTest.pids(s3)).containsExactly(100, 107);
  }

  @Test
  void aZombieOrReusedRootIsGone() throws Exception {
    FakeProc proc = tree();
    ProcSampler sampler = new ProcSampler(100, dir);
    RunClock clock = RunClock.startNow();
    sampler.sample(clock);
    proc.process(100, "python3", 'S', 1, 0, 0, 1, 9999, 10, true);
    assertThatThrownBy(() -> sampler.sample(clock))
        .isInstanceOf(TargetGoneException.class)
        .hasMessage("engine process 100 exited (its pid now belongs to another process)");

    proc.process(100, "a) (b c", 'Z', 1, 250, 50, 1, 5000, 0, true);
    assertThatThrownBy(() -> new ProcSampler(100, dir).sample(clock))
        .isInstanceOf(TargetGoneException.class)
        .hasMessage("engine process 100 exited");
  }

  @Test
  void statParserRejectsTruncatedLines() {
    byte[] ok =
        "7 (x) S 1 1 1 0 -1 0 0 0 0 0 3 4 0 0 20 0 2 0 99 0 0".getBytes(StandardCharsets.US_ASCII);
    assertThat(StatLine.parse(ok, ok.length)).isEqualTo(new StatLine(7, "x", 'S', 1, 3, 4, 2, 99));
    byte[] truncated = "7 (x) S 1 1 1 0 -1 0 0 0 0 0 3 4".getBytes(StandardCharsets.US_ASCII);
    assertThat(StatLine.parse(truncated, truncated.length)).isNull();
    byte[] noComm = "7 x S 1".getBytes(StandardCharsets.US_ASCII);
    assertThat(StatLine.parse(noComm, noComm.length)).isNull();
  }

  @Test
  void keyValueScanTakesWholeKeysAtLineStarts() {
    byte[] io =
        "cancelled_write_bytes: 7\nread_bytes: 12\nwrite_bytes: 34\n"
            .getBytes(StandardCharsets.US_ASCII);
    long[] values = new long[3];
    ProcText.values(
        io,
        io.length,
        new byte[][] {
          ProcText.key("write_bytes:"), ProcText.key("read_bytes:"), ProcText.key("x:")
        },
        values);
    assertThat(values).containsExactly(34, 12, -1);
    assertThat(List.of(ProcText.pid("123"), ProcText.pid("self"), ProcText.pid("")))
        .containsExactly(123, -1, -1);
  }
}
