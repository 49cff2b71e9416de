package io.inferscope.sysmon;

import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunClock;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the engine's whole process tree, the root and every descendant, from {@code /proc}; see
 * ADR 0005. Each tick lists {@code /proc}, reads the {@code stat} of every process not already
 * known to lie outside the tree, links processes by parent pid and walks down from the root; then
 * reads {@code status} and {@code io} of the tree's processes only. Processes that start and exit
 * during the run are simply in the samples that saw them.
 *
 * <p>A process outside the tree can never join it (a process only gains descendants by forking, and
 * an orphan is adopted by an ancestor of its own), so once proven outside, by a parent chain that
 * reaches the top through processes read this tick, its {@code stat} is not read again while its
 * pid stays listed. A reused pid would have to wrap the whole pid space within one period to slip
 * past this. The steady cost is one listing of {@code /proc} plus the tree's own files, however
 * many processes the host runs. The tree's own files are read through channels kept open while the
 * process stays in the tree: a positional read of an open {@code /proc} file costs a fraction of
 * opening it again, and a kept channel can only ever read its own process.
 *
 * <p>The root is identified by pid and start time: when it is gone, a zombie, or its pid belongs to
 * a newer process, {@link #sample} throws {@link TargetGoneException}.
 */
public final class ProcSampler implements Sampler<ProcessTreeSample> {

  /**
   * {@code /proc} counts CPU time in USER_HZ ticks. USER_HZ is kernel ABI, independent of the
   * kernel's internal HZ, and is 100 on every architecture Linux supports today (x86, arm64,
   * ppc64le, s390x, riscv64): a constant spares running {@code getconf CLK_TCK} per sampler.
   */
  static final long NANOS_PER_TICK = 10_000_000L;

  private static final byte[][] STATUS_KEYS = {
    ProcText.key("VmRSS:"),
    ProcText.key("voluntary_ctxt_switches:"),
    ProcText.key("nonvoluntary_ctxt_switches:")
  };
  private static final byte[][] IO_KEYS = {
    ProcText.key("read_bytes:"), ProcText.key("write_bytes:")
  };

  /** Tree processes whose files are kept open, at most: three descriptors each. */
  static final int MAX_KEPT = 1024;

  private final int rootPid;
  private final String proc;
  private final File procDir;
  private final ProcFileReader reader = new ProcFileReader();
  private final long[] values = new long[3];
  private Long rootStartTicks;
  private BitSet outside = new BitSet();
  private BitSet nextOutside = new BitSet();
  private final BitSet inTree = new BitSet();
  private final Map<Integer, Kept> kept = new HashMap<>();

  /** Samples the tree of {@code rootPid} from {@code /proc}. */
  public ProcSampler(int rootPid) {
    this(rootPid, Path.of("/proc"));
  }

  /** Samples the tree of {@code rootPid} from a {@code /proc}-like directory (tests). */
  public ProcSampler(int rootPid, Path procRoot) {
    if (rootPid <= 0) {
      throw new IllegalArgumentException("pid must be positive: " + rootPid);
    }
    this.rootPid = rootPid;
    this.proc = procRoot.toString();
    this.procDir = procRoot.toFile();
  }

  @Override
  public String source() {
    return "proc";
  }

  public int rootPid() {
    return rootPid;
  }

  @Override
  public ProcessTreeSample sample(RunClock clock) throws TargetGoneException, IOException {
    long atNanos = clock.nowNanos();
    StatLine root = readStat(rootPid);
    if (root == null || root.exited()) {
      throw gone("");
    }
    if (rootStartTicks == null) {
      rootStartTicks = root.startTicks();
    } else if (root.startTicks() != rootStartTicks) {
      throw gone(" (its pid now belongs to another process)");
    }

    String[] names = procDir.list();
    if (names == null) {
      throw new IOException("cannot list " + proc);
    }
    nextOutside.clear();
    Map<Integer, StatLine> read = new HashMap<>();
    read.put(rootPid, root);
    for (String name : names) {
      int pid = ProcText.pid(name);
      if (pid <= 0 || pid == rootPid) {
        continue;
      }
      if (outside.get(pid)) {
        nextOutside.set(pid);
        continue;
      }
      StatLine s = readStat(pid);
      if (s != null) { // null: it exited since the listing
        read.put(pid, s);
      }
    }

    List<StatLine> tree = walkDown(root, read);
    for (StatLine s : read.values()) {
      if (!inTree.get(s.pid()) && provablyOutside(s, read)) {
        nextOutside.set(s.pid());
      }
    }
    BitSet swap = outside;
    outside = nextOutside;
    nextOutside = swap;

    List<ProcessStat> processes = new ArrayList<>(tree.size());
    for (StatLine s : tree) {
      ProcessStat p = readProcess(s);
      if (p != null) {
        processes.add(p);
      } else if (s.pid() == rootPid) {
        throw gone("");
      }
    }
    // Processes that exited or left the tree let go of their files.
    kept.values().removeIf(k -> !inTree.get(k.pid) && k.closed());
    return new ProcessTreeSample(atNanos, rootPid, processes);
  }

  /** The root and its descendants, breadth first; marks them in {@link #inTree}. */
  private List<StatLine> walkDown(StatLine root, Map<Integer, StatLine> read) {
    Map<Integer, List<StatLine>> children = new HashMap<>();
    for (StatLine s : read.values()) {
      if (s.pid() != rootPid) {
        children.computeIfAbsent(s.ppid(), k -> new ArrayList<>(2)).add(s);
      }
    }
    inTree.clear();
    inTree.set(rootPid);
    List<StatLine> tree = new ArrayList<>();
    tree.add(root);
    for (int i = 0; i < tree.size(); i++) {
      for (StatLine c : children.getOrDefault(tree.get(i).pid(), List.of())) {
        if (!inTree.get(c.pid())) {
          inTree.set(c.pid());
          tree.add(c);
        }
      }
    }
    return tree;
  }

  /**
   * Whether a process outside the tree this tick is outside for good: its parent chain reaches the
   * top (pid 0) or a known outsider through processes read this tick. A chain broken by a process
   * that just exited proves nothing (its orphans may be adopted into the tree), so it is read
   * again.
   */
  private boolean provablyOutside(StatLine s, Map<Integer, StatLine> read) {
    int pid = s.ppid();
    for (int depth = 0; depth < 4096; depth++) {
      if (pid <= 0 || nextOutside.get(pid)) {
        return true;
      }
      if (inTree.get(pid)) {
        return false;
      }
      StatLine parent = read.get(pid);
      if (parent == null) {
        return false;
      }
      pid = parent.ppid();
    }
    return false;
  }

  private StatLine readStat(int pid) {
    Kept k = kept.get(pid);
    if (k != null) {
      try {
        StatLine s = StatLine.parse(reader.buffer(), reader.read(k.stat));
        if (s != null && s.startTicks() == k.startTicks) {
          return s;
        }
      } catch (IOException e) {
        // the process is gone (ESRCH): read the pid afresh, it may be a new process
      }
      kept.remove(pid).closed();
    }
    try {
      return StatLine.parse(reader.buffer(), reader.read(proc + "/" + pid + "/stat"));
    } catch (IOException e) {
      return null;
    }
  }

  /** The full record of one tree process, or null when it exited since its stat was read. */
  private ProcessStat readProcess(StatLine s) {
    Kept k = kept.get(s.pid());
    if (k == null && kept.size() < MAX_KEPT) {
      // When the files cannot be opened (exited, or out of descriptors), read them by path below.
      k = Kept.open(proc + "/" + s.pid(), s);
      if (k != null) {
        kept.put(s.pid(), k);
      }
    }
    long rssKib;
    Long voluntary;
    Long involuntary;
    try {
      int n = k != null ? reader.read(k.status) : reader.read(proc + "/" + s.pid() + "/status");
      ProcText.values(reader.buffer(), n, STATUS_KEYS, values);
      // No VmRSS line: a zombie or kernel thread, which has no memory of its own.
      rssKib = Math.max(0, values[0]);
      voluntary = values[1] < 0 ? null : values[1];
      involuntary = values[2] < 0 ? null : values[2];
    } catch (IOException e) {
      return null;
    }
    Long readBytes = null;
    Long writeBytes = null;
    try {
      int n = -1;
      if (k == null) {
        n = reader.read(proc + "/" + s.pid() + "/io");
      } else if (k.io != null) {
        n = reader.read(k.io);
      }
      if (n >= 0) {
        ProcText.values(reader.buffer(), n, IO_KEYS, values);
        readBytes = values[0] < 0 ? null : values[0];
        writeBytes = values[1] < 0 ? null : values[1];
      }
    } catch (IOException e) {
      // Another user's process (EACCES), or no I/O accounting in this kernel: absent.
      if (k != null) {
        k.dropIo();
      }
    }
    return new ProcessStat(
        s.pid(),
        s.ppid(),
        s.comm(),
        s.startTicks(),
        s.utimeTicks() * NANOS_PER_TICK,
        s.stimeTicks() * NANOS_PER_TICK,
        rssKib * 1024,
        s.threads(),
        voluntary,
        involuntary,
        readBytes,
        writeBytes);
  }

  private TargetGoneException gone(String detail) {
    return new TargetGoneException("engine process " + rootPid + " exited" + detail);
  }

  /** Releases the kept files. */
  @Override
  public void close() {
    kept.values().forEach(Kept::closed);
    kept.clear();
  }

  /** The open files of one tree process. {@code io} is null when it cannot be read. */
  private static final class Kept {
    final int pid;
    final long startTicks;
    final FileChannel stat;
    final FileChannel status;
    FileChannel io;

    private Kept(int pid, long startTicks, FileChannel stat, FileChannel status, FileChannel io) {
      this.pid = pid;
      this.startTicks = startTicks;
      this.stat = stat;
      this.status = status;
      this.io = io;
    }

    /** Opens the files of a process just read, or returns null when they cannot be opened. */
    static Kept open(String dir, StatLine s) {
      FileChannel stat = null;
      try {
        stat = ProcFileReader.open(dir + "/stat");
        FileChannel status = ProcFileReader.open(dir + "/status");
        FileChannel io;
        try {
          io = ProcFileReader.open(dir + "/io");
        } catch (IOException e) {
          io = null; // EACCES, or no I/O accounting: not retried for this process
        }
        return new Kept(s.pid(), s.startTicks(), stat, status, io);
      } catch (IOException e) {
        closeQuietly(stat);
        return null;
      }
    }

    void dropIo() {
      closeQuietly(io);
      io = null;
    }

    /** Closes the files; returns true, for use in {@code removeIf}. */
    boolean closed() {
      closeQuietly(stat);
      closeQuietly(status);
      closeQuietly(io);
      return true;
    }

    private static void closeQuietly(FileChannel c) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException e) {
          // nothing to do: the descriptor is released either way
        }
      }
    }
  }
}
