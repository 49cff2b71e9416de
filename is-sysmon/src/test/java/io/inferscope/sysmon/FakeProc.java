package io.inferscope.sysmon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code /proc}-like directory built by hand, for the parser's edge cases. */
final class FakeProc {
  final Path root;

  FakeProc(Path root) {
    this.root = root;
  }

  /** Writes stat, status and (unless {@code withIo} is false) io for one process. */
  FakeProc process(
      int pid,
      String comm,
      char state,
      int ppid,
      long utime,
      long stime,
      int threads,
      long start,
      long rssKib,
      boolean withIo) {
    String stat =
        pid
            + " ("
            + comm
            + ") "
            + state
            + " "
            + ppid
            + " 1 1 0 -1 4194560 100 0 0 0 "
            + utime
            + " "
            + stime
            + " 0 0 20 -5 "
            + threads
            + " 0 "
            + start
            + " 12345678 "
            + rssKib / 4
            + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    String status =
        "Name:\t"
            + comm
            + "\nState:\t"
            + state
            + "\nPPid:\t"
            + ppid
            + "\nVmRSS:\t"
            + String.format("%8d", rssKib)
            + " kB\nThreads:\t"
            + threads
            + "\nvoluntary_ctxt_switches:\t"
            + (pid * 10)
            + "\nnonvoluntary_ctxt_switches:\t"
            + pid
            + "\n";
    String io =
        "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: "
            + (pid * 1000)
            + "\nwrite_bytes: "
            + (pid * 100)
            + "\ncancelled_write_bytes: 7\n";
    write(pid + "/stat", stat);
    write(pid + "/status", status);
    if (withIo) {
      write(pid + "/io", io);
    }
    return this;
  }

  FakeProc write(String relative, String content) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void remove(int pid) {
    try (var files = Files.walk(root.resolve(Integer.toString(pid)))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
