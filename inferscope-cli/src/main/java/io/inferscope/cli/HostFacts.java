package io.inferscope.cli;

import io.inferscope.core.RunFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host a run ran on, read from the kernel's own files rather than by a name lookup (which can
 * wait on DNS): what a merge needs to tell runs of one clock from runs of several (ADR 0019).
 */
final class HostFacts {

  private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  private HostFacts() {}

  /** This host, with how long the run clock's wall instant took to read. */
  static RunFacts.Host read(long wallReadNanos) {
    String name = line(HOSTNAME);
    if (name == null) {
      name = System.getenv("HOSTNAME");
    }
    return new RunFacts.Host(name, line(BOOT_ID), wallReadNanos);
  }

  private static String line(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? null : s;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return null; // not Linux, or hidden: the fact is absent, never guessed
    }
  }
}
