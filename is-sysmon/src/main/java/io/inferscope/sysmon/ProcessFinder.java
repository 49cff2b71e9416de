package io.inferscope.sysmon;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Finds the engine's process from what the user knows: its pid, the TCP port it listens on, or its
 * name. Reads {@code /proc} once per call; not for the sampling path.
 */
public final class ProcessFinder {
  private static final String LISTEN = "0A";

  private final Path procRoot;
  private final String proc;

  public ProcessFinder() {
    this(Path.of("/proc"));
  }

  /** Looks in a {@code /proc}-like directory (tests). */
  public ProcessFinder(Path procRoot) {
    this.procRoot = procRoot;
    this.proc = procRoot.toString();
  }

  /** Returns {@code pid} when that process exists and has not exited. */
  public int verifyPid(int pid) throws NoSuchProcessException {
    if (pid <= 0) {
      throw new NoSuchProcessException("no process " + pid + ": a pid is positive, check --pid");
    }
    StatLine stat = stat(pid);
    if (stat == null) {
      throw new NoSuchProcessException("no process " + pid + " (it may have exited): check --pid");
    }
    if (stat.exited()) {
      throw new NoSuchProcessException(
          "process " + pid + " has exited (a zombie not yet reaped by its parent): check --pid");
    }
    return pid;
  }

  /**
   * The process listening on a TCP port (IPv4 or IPv6) in this network namespace, if one is
   * visible. When several hold the socket (workers that inherited it), the topmost holder, whose
   * parent does not hold it, is returned, so sampling its tree covers them all; among several
   * unrelated holders the lowest pid. Processes whose descriptors are unreadable (another user's,
   * without privileges) cannot be found.
   */
  public OptionalInt byPort(int port) {
    Set<String> sockets = new HashSet<>();
    for (String table : new String[] {"net/tcp", "net/tcp6"}) {
      for (String line : lines(procRoot.resolve(table))) {
        String inode = listeningInode(line, port);
        if (inode != null) {
          sockets.add("socket:[" + inode + "]");
        }
      }
    }
    if (sockets.isEmpty()) {
      return OptionalInt.empty();
    }
    Set<Integer> holders = new HashSet<>();
    for (int pid : pids()) {
      if (holdsAny(pid, sockets)) {
        holders.add(pid);
      }
    }
    return holders.stream()
        .filter(pid -> !hasAncestorIn(pid, holders))
        .mapToInt(Integer::intValue)
        .min();
  }

  /**
   * Processes whose command name, or the file name of their first argument, is {@code name}; this
   * process and exited ones excluded. Sorted by pid.
   */
  public List<ProcessInfo> byName(String name) {
    long self = ProcessHandle.current().pid();
    List<ProcessInfo> found = new ArrayList<>();
    for (int pid : pids()) {
      if (pid == self) {
        continue;
      }
      StatLine stat = stat(pid);
      if (stat == null || stat.exited()) {
        continue;
      }
      String[] args = cmdline(pid);
      String argv0 = args.length == 0 ? "" : args[0];
      String base = argv0.substring(argv0.lastIndexOf('/') + 1);
      if (stat.comm().equals(name) || base.equals(name)) {
        found.add(new ProcessInfo(pid, stat.comm(), String.join(" ", args)));
      }
    }
    found.sort(Comparator.comparingInt(ProcessInfo::pid));
    return found;
  }

  /** The socket inode of a {@code /proc/net/tcp*} line listening on {@code port}, or null. */
  static String listeningInode(String line, int port) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
    String[] f = line.trim().split("\\s+");
    if (f.length < 10 || !f[3].equals(LISTEN)) {
      return null;
    }
    int colon = f[1].lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      if (Integer.parseInt(f[1].substring(colon + 1), 16) != port) {
        return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return f[9].equals("0") ? null : f[9];
  }

  private boolean holdsAny(int pid, Set<String> sockets) {
    File[] fds = procRoot.resolve(pid + "/fd").toFile().listFiles();
    if (fds == null) {
      return false; // exited, or not ours to look at
    }
    for (File fd : fds) {
      try {
        if (sockets.contains(Files.readSymbolicLink(fd.toPath()).toString())) {
          return true;
        }
      } catch (IOException | UnsupportedOperationException e) {
        // closed since the listing, or unreadable
      }
    }
    return false;
  }

  private boolean hasAncestorIn(int pid, Set<Integer> holders) {
    Set<Integer> seen = new HashSet<>();
    StatLine s = stat(pid);
    while (s != null && s.ppid() > 0 && seen.add(s.ppid())) {
      if (holders.contains(s.ppid())) {
        return true;
      }
      s = stat(s.ppid());
    }
    return false;
  }

  private List<Integer> pids() {
    String[] names = procRoot.toFile().list();
    List<Integer> pids = new ArrayList<>();
    if (names != null) {
      for (String n : names) {
        int pid = ProcText.pid(n);
        if (pid > 0) {
          pids.add(pid);
        }
      }
    }
    return pids;
  }

  private StatLine stat(int pid) {
    ProcFileReader reader = new ProcFileReader();
    try {
      int n = reader.read(proc + "/" + pid + "/stat");
      return StatLine.parse(reader.buffer(), n);
    } catch (IOException e) {
      return null;
    }
  }

  private String[] cmdline(int pid) {
    ProcFileReader reader = new ProcFileReader();
    try {
      int end = reader.read(proc + "/" + pid + "/cmdline");
      byte[] b = reader.buffer();
      while (end > 0 && b[end - 1] == 0) {
        end--;
      }
      if (end == 0) {
        return new String[0];
      }
      return new String(b, 0, end, StandardCharsets.UTF_8).split("\0", -1);
    } catch (IOException e) {
      return new String[0];
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return List.of(); // no IPv6, or no such table here
    }
  }
}
