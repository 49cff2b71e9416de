package io.inferscope.sysmon;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.RunClock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints what {@link NvmlSampler} reads, as plain lines, so a person can hold it against {@code
 * nvidia-smi} or pynvml on a GPU host:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp is-core.jar:is-sysmon.jar \
 *     io.inferscope.sysmon.NvmlProbeMain [--lib PATH] [--samples N] [--period-ms MS]
 * </pre>
 *
 * Defaults: the loader's {@code libnvidia-ml.so.1}, 10 samples, 100 ms apart. Absent figures print
 * as {@code -}; processes as {@code pid:vramBytes:smPercent}. Exit status 0, 2 when NVML is
 * unavailable, 64 on bad arguments.
 */
final class NvmlProbeMain {

  private NvmlProbeMain() {}

  public static void main(String[] args) throws InterruptedException {
    int status = run(args, System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args, PrintStream out) throws InterruptedException {
    Path lib = null;
    int samples = 10;
    long periodMs = 100;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--lib" -> lib = Path.of(args[++i]);
          case "--samples" -> samples = Integer.parseInt(args[++i]);
          case "--period-ms" -> periodMs = Long.parseLong(args[++i]);
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (samples < 1 || periodMs < 0) {
        throw new IllegalArgumentException("--samples must be at least 1, --period-ms at least 0");
      }
    } catch (RuntimeException e) {
      out.println("usage: NvmlProbeMain [--lib PATH] [--samples N] [--period-ms MS] (" + e + ")");
      return 64;
    }
    GpuAvailability availability = NvmlSampler.open(lib, null);
    if (availability instanceof GpuAvailability.Unavailable(String reason)) {
      out.println("unavailable: " + reason);
      return 2;
    }
    try (NvmlSampler sampler = ((GpuAvailability.Available) availability).sampler()) {
      out.println("nvml " + sampler.boundSymbols());
      for (GpuDevice d : sampler.devices()) {
        out.println(
            "device "
                + d.index()
                + " name="
                + d.name()
                + " uuid="
                + d.uuid()
                + " vram_total_bytes="
                + orDash(d.memoryTotalBytes())
                + " power_limit_w="
                + orDash(d.powerLimitWatts()));
      }
      RunClock clock = RunClock.startNow();
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      long[] cpuNanos = new long[samples];
      long[] wallNanos = new long[samples];
      for (int i = 0; i < samples; i++) {
        long due = i * periodMs * 1_000_000L;
        long wait = due - clock.nowNanos();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        List<GpuSample> tick;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        try {
          tick = sampler.sample(clock).devices();
        } catch (Exception e) {
          out.println("sample " + i + " failed: " + e.getMessage());
          continue;
        } finally {
          wallNanos[i] = System.nanoTime() - wall0;
          cpuNanos[i] = threads.getCurrentThreadCpuTime() - cpu0;
        }
        for (GpuSample s : tick) {
          out.println(line(i, s));
        }
      }
      // What one read of every device costs the sampling thread: the sampler's overhead.
      java.util.Arrays.sort(cpuNanos);
      java.util.Arrays.sort(wallNanos);
      out.printf(
          Locale.ROOT,
          "cost per read (all devices): thread CPU median %.1f us p90 %.1f us, wall median %.1f"
              + " us p90 %.1f us, over %d reads%n",
          cpuNanos[samples / 2] / 1e3,
          cpuNanos[(int) (samples * 0.9)] / 1e3,
          wallNanos[samples / 2] / 1e3,
          wallNanos[(int) (samples * 0.9)] / 1e3,
          samples);
      Map<String, Long> failures = sampler.failureCounts();
      if (failures.isEmpty()) {
        out.println("failures none");
      }
      failures.forEach((k, v) -> out.println("failures " + v + " x " + k));
    }
    return 0;
  }

  static String line(int i, GpuSample s) {
    StringBuilder procs = new StringBuilder();
    for (GpuProcessUsage p : s.processes()) {
      if (!procs.isEmpty()) {
        procs.append(',');
      }
      procs
          .append(p.pid())
          .append(':')
          .append(orDash(p.usedMemoryBytes()))
          .append(':')
          .append(orDash(p.smUtilPercent()));
    }
    return String.format(
        Locale.ROOT,
        "sample %d t_ms=%.3f device=%d sm_pct=%s mem_pct=%s vram_used_bytes=%s power_w=%s"
            + " temp_c=%s sm_clock_mhz=%s mem_clock_mhz=%s energy_mj=%s processes=%s",
        i,
        s.atNanos() / 1e6,
        s.deviceIndex(),
        orDash(s.smUtilPercent()),
        orDash(s.memoryUtilPercent()),
        orDash(s.memoryUsedBytes()),
        orDash(s.powerWatts()),
        orDash(s.temperatureCelsius()),
        orDash(s.smClockMhz()),
        orDash(s.memoryClockMhz()),
        orDash(s.energyMillijoules()),
        procs.isEmpty() ? "-" : procs);
  }

  private static String orDash(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.3f", d);
    }
    return v.toString();
  }
}
