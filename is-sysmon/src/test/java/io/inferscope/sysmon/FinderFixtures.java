package io.inferscope.sysmon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class FinderFixtures {
  private FinderFixtures() {}

  /** A pid no process can have: one above the kernel's largest. */
  static int absentPid() {
    try {
      // One read: sysctl files return nothing to a read that does not start at offset 0, and
      // Files.readString reads an empty-sized file one byte first.
      int pid =
          Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).getFirst()) + 1;
      if (Files.exists(Path.of("/proc/" + pid))) {
        throw new IllegalStateException("pid_max + 1 exists: " + pid);
      }
      return pid;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
