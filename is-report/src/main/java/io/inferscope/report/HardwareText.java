package io.inferscope.report;

import io.inferscope.core.Correlation;
import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuMetrics;
import io.inferscope.core.GpuTick;
import io.inferscope.core.HardwareFigures;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessAggregate;
import io.inferscope.core.ProcessTreeMetrics;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RequestWindows;
import io.inferscope.core.ResourceFigures;
import io.inferscope.core.Summary;
import io.inferscope.core.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The terminal report's hardware sections: the engine's process tree and its GPUs. A source that
 * was not sampled has no section; one that could not be sampled has one line saying why.
 */
final class HardwareText {

  /** Processes listed under "top processes by CPU". */
  static final int TOP_PROCESSES = 5;

  /** GPU processes listed before the rest are only counted. */
  private static final int GPU_PROCESSES = 16;

  private static final double GIB = 1024.0 * 1024 * 1024;

  private HardwareText() {}

  static void append(StringBuilder out, HardwareSamples h, HardwareFigures f) {
    processTree(out, h.processTree(), h.enginePid(), f);
    gpu(out, h, f);
  }

  /** Hardware headline figures for the one-line summary, each after {@code " · "}. */
  static void headline(StringBuilder b, HardwareFigures f) {
    if (f.processTree() != null && f.processTree().cpuPercentMean() != null) {
      b.append(" · engine CPU ")
          .append(Fmt.sig4(f.processTree().cpuPercentMean()))
          .append(" % of a core");
    }
    if (f.gpu() != null && f.gpu().energyJoules() != null) {
      b.append(" · GPU ").append(Fmt.sig4(f.gpu().energyJoules())).append(" J");
    }
  }

  private static void processTree(
      StringBuilder out, Timeline<ProcessTreeSample> t, Integer enginePid, HardwareFigures f) {
    if (t == null) {
      return;
    }
    if (!t.available()) {
      out.append("\nProcess tree: not sampled (")
          .append(TextReport.text(t.unavailableReason()))
          .append(")\n");
      return;
    }
    ProcessTreeMetrics m = f.processTree();
    out.append("\nProcess tree (").append(plural(m.samples(), "sample"));
    if (m.windowNanos() != null) {
      out.append(" over ").append(Fmt.duration(m.windowNanos()));
    }
    out.append(", every ").append(Fmt.duration(t.periodNanos())).append(")\n");
    String pid = Fmt.count(m.rootPid() != null ? m.rootPid() : enginePid);
    kv(out, "engine PID", m.rootName() == null ? pid : pid + " (" + text(m.rootName()) + ")");
    Summary count = m.processCount();
    kv(
        out,
        "processes",
        count == null
            ? Fmt.ABSENT
            : range(count) + " alive at a time, " + m.processes().size() + " seen in all");
    Summary cpu = m.cpuPercent();
    kv(
        out,
        "CPU % of one core",
        "mean "
            + Fmt.sig4(m.cpuPercentMean())
            + " · p50 "
            + Fmt.sig4(cpu == null ? null : cpu.p50())
            + " · p90 "
            + Fmt.sig4(cpu == null ? null : cpu.p90())
            + " · peak "
            + Fmt.sig4(cpu == null ? null : cpu.max()));
    Summary rss = m.rssBytes();
    kv(
        out,
        "RSS total",
        "min "
            + Fmt.bytes(rss == null ? null : rss.min())
            + " · mean "
            + Fmt.bytes(rss == null ? null : rss.mean())
            + " · max "
            + Fmt.bytes(rss == null ? null : rss.max())
            + " · final "
            + Fmt.bytes(m.rssBytesFinal()));
    kv(
        out,
        "threads",
        "final "
            + Fmt.count(m.threadsFinal())
            + " · max "
            + Fmt.count(m.threads() == null ? null : Math.round(m.threads().max())));
    kv(
        out,
        "ctx switches (main)",
        Fmt.sig4(m.voluntaryContextSwitchesPerSecond())
            + " voluntary/s · "
            + Fmt.sig4(m.involuntaryContextSwitchesPerSecond())
            + " involuntary/s");
    kv(
        out,
        "disk I/O",
        m.readBytesTotal() == null && m.writeBytesTotal() == null
            ? Fmt.ABSENT
                + (m.samples() < 2
                    ? " (one sample: no interval to measure)"
                    : " (/proc/PID/io not readable)")
            : "read "
                + Fmt.bytes(m.readBytesTotal())
                + " · written "
                + Fmt.bytes(m.writeBytesTotal()));
    topProcesses(out, m.processes(), t.samples().isEmpty() ? 0 : t.samples().getFirst().atNanos());
    if (f.wrapperWarning() != null) {
      warning(out, f.wrapperWarning());
    }
  }

  private static void topProcesses(
      StringBuilder out, List<ProcessAggregate> processes, long firstSampleNanos) {
    if (processes.isEmpty()) {
      return;
    }
    out.append("  top processes by CPU\n");
    out.append("    ")
        .append(Fmt.padLeft("PID", 8))
        .append("  ")
        .append(Fmt.padRight("name", 24))
        .append(Fmt.padLeft("CPU % mean", 11))
        .append(Fmt.padLeft("RSS max", 12))
        .append(Fmt.padLeft("threads", 9))
        .append(Fmt.padLeft("first seen", 12))
        .append('\n');
    for (ProcessAggregate p : processes.subList(0, Math.min(TOP_PROCESSES, processes.size()))) {
      out.append("    ")
          .append(Fmt.padLeft(Integer.toString(p.pid()), 8))
          .append("  ")
          .append(Fmt.padRight(Fmt.fit(text(p.name()), 23), 24))
          .append(Fmt.padLeft(Fmt.sig4(p.cpuPercentMean()), 11))
          .append(Fmt.padLeft(Fmt.bytes(p.rssBytesMax()), 12))
          .append(Fmt.padLeft(Integer.toString(p.threadsMax()), 9))
          .append(
              Fmt.padLeft(
                  p.firstSeenNanos() == firstSampleNanos
                      ? "start"
                      : Fmt.duration(p.firstSeenNanos()),
                  12))
          .append('\n');
    }
    if (processes.size() > TOP_PROCESSES) {
      out.append("    (").append(processes.size() - TOP_PROCESSES).append(" more)\n");
    }
  }

  private static void gpu(StringBuilder out, HardwareSamples h, HardwareFigures f) {
    Timeline<GpuTick> t = h.gpu();
    if (t == null) {
      return;
    }
    if (!t.available()) {
      out.append("\nGPU: not available (").append(text(t.unavailableReason())).append(")\n");
      return;
    }
    GpuMetrics m = f.gpu();
    if (m.devices().isEmpty()) {
      out.append("\nGPU: no device was listed\n");
      return;
    }
    out.append("\nGPU (")
        .append(plural(m.devices().size(), "device"))
        .append(", ")
        .append(f.gpuWindowMeasured() ? "measured window " : "whole sampling span ")
        .append(Fmt.duration(f.gpuWindowNanos()))
        .append(")\n");
    if (m.devices().size() == 1) {
      device(out, m.devices().getFirst(), h);
    } else {
      devices(out, m.devices(), h);
      kv(
          out,
          "energy (all GPUs)",
          m.energyJoules() == null
              ? Fmt.ABSENT + " (not known for every GPU)"
              : Fmt.sig4(m.energyJoules()) + " J");
    }
    Double perJoule = m.tokensPerJoule();
    kv(
        out,
        "tokens per joule",
        perJoule == null
            ? Fmt.ABSENT
            : Fmt.sig4(perJoule) + " (" + Fmt.sig4(1 / perJoule) + " J per output token)");
    processes(out, m.devices(), f);
    if (m.imbalance() != null) {
      warning(out, m.imbalance().message());
    }
  }

  /** One device: a key/value block. */
  private static void device(StringBuilder out, GpuMetrics.Device d, HardwareSamples h) {
    GpuDevice listed = h.gpuDevice(d.index());
    kv(
        out,
        "device",
        d.index() + " · " + text(d.name()) + " · " + plural(d.samples(), "sample") + " in window");
    kv(out, "SM busy", meanMax(d.smUtilPercent(), " %"));
    kv(out, "memory busy", meanMax(d.memoryUtilPercent(), " %"));
    kv(
        out,
        "VRAM used",
        "max "
            + Fmt.bytes(max(d.memoryUsedBytes()))
            + " of "
            + Fmt.bytes(listed == null ? null : listed.memoryTotalBytes()));
    String limit =
        listed == null || listed.powerLimitWatts() == null
            ? ""
            : " · limit " + Fmt.sig4(listed.powerLimitWatts()) + " W";
    kv(out, "power", meanMax(d.powerWatts(), " W") + limit);
    kv(out, "temperature", "max " + whole(max(d.temperatureCelsius())) + " °C");
    kv(out, "SM clock", "mean " + whole(mean(d.smClockMhz())) + " MHz");
    kv(out, "memory clock", "mean " + whole(mean(d.memoryClockMhz())) + " MHz");
    kv(out, "energy", energy(d));
  }

  /** Several devices: a table, one line each, under a two-line header (group, then figure). */
  private static void devices(
      StringBuilder out, List<GpuMetrics.Device> devices, HardwareSamples h) {
    out.append(
        deviceRow(
            "", "", "SM %", "", "mem %", "VRAM GiB", "power W", "", "°C", "SM MHz", "energy J"));
    out.append(
        deviceRow(
            "GPU", "name", "mean", "max", "mean", "max/total", "mean", "max", "max", "mean", ""));
    List<String> integrated = new ArrayList<>();
    for (GpuMetrics.Device d : devices) {
      GpuDevice listed = h.gpuDevice(d.index());
      Long total = listed == null ? null : listed.memoryTotalBytes();
      out.append(
          deviceRow(
              Integer.toString(d.index()),
              Fmt.fit(shortName(d.name()), 17),
              Fmt.sig4(mean(d.smUtilPercent())),
              Fmt.sig4(max(d.smUtilPercent())),
              Fmt.sig4(mean(d.memoryUtilPercent())),
              gib(max(d.memoryUsedBytes())) + "/" + gib(total == null ? null : total.doubleValue()),
              Fmt.sig4(mean(d.powerWatts())),
              Fmt.sig4(max(d.powerWatts())),
              whole(max(d.temperatureCelsius())),
              whole(mean(d.smClockMhz())),
              Fmt.sig4(d.energyJoules())));
      if (d.energySource() == GpuMetrics.EnergySource.POWER_TRAPEZOID) {
        integrated.add(Integer.toString(d.index()));
      }
    }
    if (!integrated.isEmpty()) {
      out.append("  energy of GPU ")
          .append(String.join(", ", integrated))
          .append(" integrated from power samples (no usable energy counter)\n");
    }
  }

  private static String deviceRow(
      String index,
      String name,
      String smMean,
      String smMax,
      String memory,
      String vram,
      String powerMean,
      String powerMax,
      String temperature,
      String smClock,
      String energy) {
    return "  "
        + Fmt.padLeft(index, 3)
        + "  "
        + Fmt.padRight(name, 17)
        + Fmt.padLeft(smMean, 7)
        + Fmt.padLeft(smMax, 7)
        + Fmt.padLeft(memory, 7)
        + Fmt.padLeft(vram, 13)
        + Fmt.padLeft(powerMean, 9)
        + Fmt.padLeft(powerMax, 7)
        + Fmt.padLeft(temperature, 6)
        + Fmt.padLeft(smClock, 8)
        + Fmt.padLeft(energy, 10).stripTrailing()
        + "\n";
  }

  /**
   * The GPU processes of the engine's tree with their peak VRAM and SM share; the others are only
   * named. When the tree was not sampled every process is listed, since none can be told apart.
   */
  private static void processes(
      StringBuilder out, List<GpuMetrics.Device> devices, HardwareFigures f) {
    List<String> rows = new ArrayList<>();
    Set<Integer> others = new TreeSet<>();
    for (GpuMetrics.Device d : devices) {
      for (GpuMetrics.ProcessPeak p : d.processes()) {
        Boolean engine = f.isEngine(p.pid());
        if (Boolean.FALSE.equals(engine)) {
          others.add(p.pid());
          continue;
        }
        rows.add(
            "    "
                + Fmt.padLeft(Integer.toString(p.pid()), 8)
                + Fmt.padLeft(Integer.toString(d.index()), 5)
                + Fmt.padLeft(Fmt.bytes(p.maxMemoryUsedBytes()), 12)
                + Fmt.padLeft(Fmt.count(p.maxSmUtilPercent()), 10)
                + "\n");
      }
    }
    if (!rows.isEmpty()) {
      out.append(
          f.enginePids() == null
              ? "  processes on the GPUs (the engine's tree was not sampled)\n"
              : "  engine processes on the GPUs\n");
      out.append("    ")
          .append(Fmt.padLeft("PID", 8))
          .append(Fmt.padLeft("GPU", 5))
          .append(Fmt.padLeft("VRAM max", 12))
          .append(Fmt.padLeft("SM % max", 10))
          .append('\n');
      for (String row : rows.subList(0, Math.min(GPU_PROCESSES, rows.size()))) {
        out.append(row);
      }
      if (rows.size() > GPU_PROCESSES) {
        out.append("    (").append(rows.size() - GPU_PROCESSES).append(" more)\n");
      }
    }
    if (!others.isEmpty()) {
      List<String> pids = new ArrayList<>();
      for (int pid : others) {
        pids.add(Integer.toString(pid));
      }
      kv(out, "other processes", "PID " + String.join(", ", pids) + " (not in the engine's tree)");
    }
  }

  private static String energy(GpuMetrics.Device d) {
    if (d.energyJoules() == null) {
      return Fmt.ABSENT;
    }
    String source =
        switch (d.energySource()) {
          case COUNTER -> "energy counter";
          case COUNTER_AND_POWER -> "energy counter, power samples at the edges";
          case POWER_TRAPEZOID -> "integrated from power samples";
        };
    return Fmt.sig4(d.energyJoules())
        + " J ("
        + source
        + ", over "
        + Fmt.duration(d.energySpanNanos())
        + (d.energyExtrapolatedNanos() == null
            ? ""
            : ", "
                + Fmt.duration(d.energyExtrapolatedNanos())
                + " held at the nearest power reading")
        + ")";
  }

  /** The product name without the vendor every NVML device shares, to fit a table column. */
  private static String shortName(String name) {
    String n = text(name);
    return n.startsWith("NVIDIA ") ? n.substring("NVIDIA ".length()) : n;
  }

  private static String meanMax(Summary s, String unit) {
    return s == null
        ? Fmt.ABSENT
        : "mean " + Fmt.sig4(s.mean()) + unit + " · max " + Fmt.sig4(s.max()) + unit;
  }

  private static String range(Summary s) {
    long min = Math.round(s.min());
    long max = Math.round(s.max());
    return min == max ? Long.toString(min) : min + " to " + max;
  }

  private static Double mean(Summary s) {
    return s == null ? null : s.mean();
  }

  private static Double max(Summary s) {
    return s == null ? null : s.max();
  }

  private static String whole(Double v) {
    return v == null ? Fmt.ABSENT : Long.toString(Math.round(v));
  }

  private static String gib(Double bytes) {
    return bytes == null ? Fmt.ABSENT : Fmt.sig4(bytes / GIB);
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** A warning line, wrapped rather than cut at the report's width. */
  private static void warning(StringBuilder out, String message) {
    wrapped(out, "  WARNING: ", message);
  }

  /**
   * The correlation block: what the hardware did while requests waited for their first token, while
   * they decoded, and over the whole run. Only sampled sources get a column; no block when none was
   * sampled.
   */
  static void correlation(StringBuilder out, Correlation c) {
    List<ResourceFigures> rows = List.of(c.prefill(), c.decode(), c.wholeRun());
    boolean cpu = false;
    boolean gpu = false;
    for (ResourceFigures r : rows) {
      cpu |= r.cpuPercent() != null;
      gpu |= r.gpuSmPercent() != null || r.powerWatts() != null;
    }
    if (!cpu && !gpu) {
      return;
    }
    out.append("\nCorrelation (mean over request windows; CPU in % of one core)\n");
    StringBuilder head = new StringBuilder("  ").append(Fmt.padRight("", 34));
    if (cpu) {
      head.append(Fmt.padLeft("CPU %", 10));
    }
    if (gpu) {
      head.append(Fmt.padLeft("GPU SM %", 10)).append(Fmt.padLeft("power W", 10));
    }
    out.append(head).append(Fmt.padLeft("windows", 9)).append('\n');
    correlationRow(out, "prefill (send to first token)", c.prefill(), windows(c, true), cpu, gpu);
    correlationRow(out, "decode (first to last token)", c.decode(), windows(c, false), cpu, gpu);
    correlationRow(out, "whole run", c.wholeRun(), null, cpu, gpu);
    if (gpu) {
      out.append("  GPU columns: windows at least as long as the readings average over (SM % ")
          .append(Fmt.duration(Correlation.GPU_SM_RESOLUTION_NANOS))
          .append(", power ")
          .append(Fmt.duration(Correlation.GPU_POWER_RESOLUTION_NANOS))
          .append(")\n");
    }
  }

  private static int windows(Correlation c, boolean prefill) {
    int n = 0;
    for (RequestWindows r : c.requests()) {
      if (prefill || r.decode() != null) {
        n++;
      }
    }
    return n;
  }

  private static void correlationRow(
      StringBuilder out,
      String name,
      ResourceFigures f,
      Integer windows,
      boolean cpu,
      boolean gpu) {
    out.append("  ").append(Fmt.padRight(name, 34));
    if (cpu) {
      out.append(Fmt.padLeft(Fmt.sig4(f.cpuPercent()), 10));
    }
    if (gpu) {
      out.append(Fmt.padLeft(Fmt.sig4(f.gpuSmPercent()), 10))
          .append(Fmt.padLeft(Fmt.sig4(f.powerWatts()), 10));
    }
    out.append(Fmt.padLeft(windows == null ? Fmt.ABSENT : Integer.toString(windows), 9))
        .append('\n');
  }

  /** A line after {@code head}, wrapped rather than cut at the report's width. */
  static void wrapped(StringBuilder out, String head, String message) {
    String indent = " ".repeat(head.length());
    StringBuilder line = new StringBuilder(head);
    boolean empty = true;
    for (String word : text(message).split(" ")) {
      if (!empty && line.length() + 1 + word.length() > TextReport.WIDTH) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    out.append(line).append('\n');
  }

  private static void kv(StringBuilder out, String key, String value) {
    TextReport.kv(out, key, value);
  }

  private static String text(String s) {
    return TextReport.text(s);
  }
}
