package io.inferscope.sysmon.bench;

import io.inferscope.core.RunClock;
import io.inferscope.sysmon.ProcSampler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Cost of one process-tree read: inferscope's direct {@code /proc} reads against OSHI, for a tree
 * of one {@code sh} and N {@code sleep} children, optionally on a host crowded with M unrelated
 * processes. Not a test: run it by hand (docs/benchmarks.md gives the command).
 *
 * <p>Arguments: {@code [children=50] [others=0] [ticks=2000] [rounds=3]}. Each round reads the tree
 * {@code ticks} times back to back with each method, after a warm-up; the table gives the median
 * over rounds of the per-read figures. CPU is the reading thread's own CPU time (user + system);
 * process CPU adds the JVM's other threads (JIT, GC) over the same reads.
 */
public final class ProcTreeBench {
  private ProcTreeBench() {}

  interface Method {
    int read() throws Exception; // returns the number of processes seen
  }

  public static void main(String[] args) throws Exception {
    int children = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int others = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;

    Process tree = spawnSleeps(children);
    Process crowd = others > 0 ? spawnSleeps(others) : null;
    try {
      int root = (int) tree.pid();
      awaitDescendants(tree, children);
      if (crowd != null) {
        awaitDescendants(crowd, others);
      }
      int hostProcesses = countProcesses();
      RunClock clock = RunClock.startNow();

      ProcSampler sampler = new ProcSampler(root);
      Method direct = () -> sampler.sample(clock).processes().size();
      // A fresh sampler reads every process's stat and opens the tree's files: a first read.
      Method cold =
          () -> {
            try (ProcSampler fresh = new ProcSampler(root)) {
              return fresh.sample(clock).processes().size();
            }
          };
      OperatingSystem os = new SystemInfo().getOperatingSystem();
      Method oshi =
          () -> {
            OSProcess r = os.getProcess(root);
            List<OSProcess> all = new ArrayList<>(os.getDescendantProcesses(root, null, null, 0));
            all.add(r);
            long sink = 0;
            for (OSProcess p : all) {
              sink +=
                  p.getUserTime()
                      + p.getKernelTime()
                      + p.getResidentSetSize()
                      + p.getThreadCount()
                      + p.getBytesRead()
                      + p.getBytesWritten()
                      + p.getContextSwitches()
                      + p.getStartTime();
            }
            return sink == Long.MIN_VALUE ? -1 : all.size();
          };

      String[] names = {
        "ProcSampler, steady state",
        "ProcSampler, first read (every stat read, tree files opened)",
        "OSHI 6.9.1"
      };
      Method[] methods = {direct, cold, oshi};
      double[][][] results = new double[methods.length][rounds][];
      for (int m = 0; m < methods.length; m++) {
        int seen = methods[m].read();
        if (seen != children + 1) {
          throw new IllegalStateException(names[m] + " saw " + seen + " processes");
        }
        measure(methods[m], Math.max(200, ticks / 5)); // warm-up (JIT)
      }
      for (int r = 0; r < rounds; r++) {
        for (int m = 0; m < methods.length; m++) {
          results[m][r] = measure(methods[m], ticks);
        }
      }

      System.out.printf(
          Locale.ROOT,
          "tree: 1 sh + %d sleep; host processes: %d; %d reads x %d rounds (median)%n",
          children,
          hostProcesses,
          ticks,
          rounds);
      System.out.println(
          "| method | thread CPU µs/read | process CPU µs/read | wall µs/read | CPU % of a core at 50 ms |");
      System.out.println("|---|---:|---:|---:|---:|");
      for (int m = 0; m < methods.length; m++) {
        double cpu = median(results[m], 0);
        System.out.printf(
            Locale.ROOT,
            "| %s | %.0f | %.0f | %.0f | %.2f %% |%n",
            names[m],
            cpu,
            median(results[m], 1),
            median(results[m], 2),
            cpu / 50_000 * 100);
      }
    } finally {
      kill(tree);
      if (crowd != null) {
        kill(crowd);
      }
    }
  }

  /** Per read: thread CPU µs, process CPU µs, wall µs. */
  private static double[] measure(Method method, int ticks) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long proc0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < ticks; i++) {
      method.read();
    }
    long wall = System.nanoTime() - wall0;
    long proc = os.getProcessCpuTime() - proc0;
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    return new double[] {cpu / 1e3 / ticks, proc / 1e3 / ticks, wall / 1e3 / ticks};
  }

  private static double median(double[][] rounds, int column) {
    double[] v = Arrays.stream(rounds).mapToDouble(r -> r[column]).sorted().toArray();
    return v[v.length / 2];
  }

  private static Process spawnSleeps(int n) throws Exception {
    String script = "i=0; while [ $i -lt " + n + " ]; do sleep 600 & i=$((i+1)); done; wait";
    return new ProcessBuilder("sh", "-c", script).inheritIO().start();
  }

  private static void awaitDescendants(Process p, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (p.descendants().count() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("children did not start");
      }
      Thread.sleep(20);
    }
  }

  private static int countProcesses() {
    String[] names = new java.io.File("/proc").list();
    return (int)
        Arrays.stream(names == null ? new String[0] : names)
            .filter(s -> s.chars().allMatch(Character::isDigit))
            .count();
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
