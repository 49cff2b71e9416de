package io.inferscope.sysmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessFinderTest {
  private final ProcessFinder finder = new ProcessFinder();

  @Test
  void verifyPidAcceptsALiveProcessAndNamesAMissingOne() throws Exception {
    int self = (int) ProcessHandle.current().pid();
    assertThat(finder.verifyPid(self)).isEqualTo(self);
    int absent = FinderFixtures.absentPid();
    assertThatThrownBy(() -> finder.verifyPid(absent))
        .isInstanceOf(NoSuchProcessException.class)
        .hasMessage("no process " + absent + " (it may have exited): check --pid");
    assertThatThrownBy(() -> finder.verifyPid(0)).isInstanceOf(NoSuchProcessException.class);
  }

  @Test
  void verifyPidRefusesAZombie() throws Exception {
    // sh forks "sleep 0" then becomes "sleep 60", which never reaps it: a zombie until the tree is
    // killed. The 20 s deadline only guards against a hang.
    try (Spawned tree = Spawned.sh("sleep 0 & exec sleep 60")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Integer zombie = null;
      while (zombie == null && System.nanoTime() < deadline) {
        for (ProcessHandle h : tree.descendants()) {
          String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
          if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
            zombie = (int) h.pid();
          }
        }
        Thread.sleep(20);
      }
      assertThat(zombie).isNotNull();
      int pid = zombie;
      assertThatThrownBy(() -> finder.verifyPid(pid))
          .isInstanceOf(NoSuchProcessException.class)
          .hasMessageContaining("has exited");
    }
  }

  @Test
  void byPortFindsAChildListeningOnIpv4AndThisJvmOnItsOwnSocket() throws Exception {
    try (Spawned child = Spawned.java("io.inferscope.sysmon.Listen");
        ServerSocket own = new ServerSocket(0)) {
      int port = Integer.parseInt(child.awaitLine(Duration.ofSeconds(20)));
      assertThat(finder.byPort(port)).hasValue(child.pid());
      assertThat(finder.byPort(own.getLocalPort())).hasValue((int) ProcessHandle.current().pid());
    }
  }

  @Test
  void byPortFindsNothingWhereNobodyListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(finder.byPort(port)).isEmpty();
  }

  @Test
  void byPortPrefersTheTopmostHolderOfAnInheritedSocket(@TempDir Path dir) throws Exception {
    FakeProc proc =
        new FakeProc(dir)
            .process(1, "init", 'S', 0, 0, 0, 1, 1, 10, true)
            .process(50, "gunicorn", 'S', 1, 0, 0, 1, 10, 10, true)
            .process(51, "gunicorn", 'S', 50, 0, 0, 1, 11, 10, true)
            .process(52, "other", 'S', 1, 0, 0, 1, 12, 10, true)
            .write(
                "net/tcp",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
                    + "  timeout inode\n"
                    + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
                    + "     0        0 4242 1 0000000000000000 100 0 0 10 0\n"
                    + "   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000"
                    + "     0        0 4343 1 0000000000000000 20 4 30 10 -1\n");
    Files.createDirectories(dir.resolve("51/fd"));
    Files.createDirectories(dir.resolve("50/fd"));
    Files.createDirectories(dir.resolve("52/fd"));
    Files.createSymbolicLink(dir.resolve("51/fd/3"), Path.of("socket:[4242]"));
    Files.createSymbolicLink(dir.resolve("50/fd/5"), Path.of("socket:[4242]"));
    Files.createSymbolicLink(dir.resolve("52/fd/5"), Path.of("socket:[4343]")); // connected only
    Files.createSymbolicLink(dir.resolve("52/fd/6"), Path.of("/dev/null"));
    ProcessFinder fake = new ProcessFinder(proc.root);
    assertThat(fake.byPort(8080)).hasValue(50);
    assertThat(fake.byPort(8081)).isEqualTo(OptionalInt.empty());
  }

  @Test
  void listeningInodeReadsIpv6Lines() {
    String line =
        "   0: 0000000000000000FFFF00000100007F:46AA 00000000000000000000000000000000:0000 0A"
            + " 00000000:00000000 00:00000000 00000000     0        0 155426 1 000000000ceebd35"
            + " 100 0 0 10 0";
    assertThat(ProcessFinder.listeningInode(line, 0x46AA)).isEqualTo("155426");
    assertThat(ProcessFinder.listeningInode(line, 80)).isNull();
    assertThat(ProcessFinder.listeningInode("  sl  local_address ...", 80)).isNull();
  }

  @Test
  void byNameFindsAChildButNeverThisProcess() throws Exception {
    try (Spawned child = Spawned.start(List.of("sleep", "30"))) {
      assertThat(finder.byName("sleep"))
          .anySatisfy(
              p -> {
                assertThat(p.pid()).isEqualTo(child.pid());
                assertThat(p.name()).isEqualTo("sleep");
                assertThat(p.cmdline()).isEqualTo("sleep 30");
              });
      assertThat(finder.byName("java"))
          .extracting(ProcessInfo::pid)
          .doesNotContain((int) ProcessHandle.current().pid());
    }
  }

  @Test
  void byNameMatchesTheFirstArgumentsFileName(@TempDir Path dir) {
    FakeProc proc =
        new FakeProc(dir)
            .process(70, "python3", 'S', 1, 0, 0, 1, 1, 10, true)
            .write("70/cmdline", "/usr/bin/vllm\0serve\0model\0")
            .process(71, "vllm", 'Z', 1, 0, 0, 1, 1, 0, true)
            .write("71/cmdline", "");
    assertThat(new ProcessFinder(proc.root).byName("vllm"))
        .containsExactly(new ProcessInfo(70, "python3", "/usr/bin/vllm serve model"));
  }
}
