package io.inferscope.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * GPU figures over a window of a run (usually the measured window of {@link RunMetrics}), from the
 * NVML samples taken on the run clock. Absent figures are null, never 0.
 *
 * @param devices one entry per device, in the order given
 * @param energyJoules energy of all devices over the window, or null when any device's is unknown
 *     (a partial sum would flatter tokens per joule)
 * @param tokensPerJoule output tokens of the window / {@code energyJoules}, or null when either is
 *     absent or zero
 * @param imbalance set when devices' mean SM use differs by {@value #IMBALANCE_POINTS} points or
 *     more, or when a device is idle beside one at least {@value #BUSY_SM_PERCENT} % busy; else
 *     null
 */
public record GpuMetrics(
    List<Device> devices, Double energyJoules, Double tokensPerJoule, Imbalance imbalance) {

  /** Spread of mean SM use between devices, in percentage points, that counts as imbalance. */
  public static final double IMBALANCE_POINTS = 50;

  /** A device whose mean SM use is below this percentage is called idle. */
  public static final double IDLE_SM_PERCENT = 10;

  /**
   * An idle device beside one this busy is an imbalance whatever the spread: a small model keeps an
   * H100 only 20-27 % busy serving 8 streams (docs/validation.md), and a tensor-parallel split that
   * left a GPU idle beside it is still worth saying.
   */
  public static final double BUSY_SM_PERCENT = 20;

  public GpuMetrics {
    devices = List.copyOf(devices);
  }

  /** Where a device's energy figure came from. */
  public enum EnergySource {
    /** NVML's cumulative energy counter ({@code nvmlDeviceGetTotalEnergyConsumption}). */
    COUNTER("counter"),
    /**
     * The counter where its readings reach, and the power samples over the window's edges beyond
     * them (the counter is read at most once a second, so its last reading often falls before the
     * window ends).
     */
    COUNTER_AND_POWER("counter_and_power"),
    /** Power samples integrated by the trapezoid rule, when the counter is absent or unusable. */
    POWER_TRAPEZOID("power_trapezoid");

    private final String label;

    EnergySource(String label) {
      this.label = label;
    }

    /** The name used in reports and JSON. */
    public String label() {
      return label;
    }
  }

  /**
   * One device over the window. Summaries are over the samples inside the window and null when
   * there are none with that figure.
   *
   * @param index NVML device index
   * @param name product name, or null
   * @param uuid device UUID, or null
   * @param samples samples of this device inside the window
   * @param smUtilPercent SM utilisation
   * @param memoryUtilPercent memory bandwidth utilisation
   * @param memoryUsedBytes VRAM in use
   * @param powerWatts power draw
   * @param temperatureCelsius GPU temperature
   * @param smClockMhz SM clock
   * @param memoryClockMhz memory clock
   * @param energyJoules energy over the whole window, the same span as the window's tokens, or null
   * @param energySource how {@code energyJoules} was obtained, or null with it
   * @param energySpanNanos the part of the window the readings reach, or null with the energy
   * @param energyExtrapolatedNanos the rest of the window, before the first or after the last
   *     reading, taken at the nearest power reading; null when the readings reach the whole window
   * @param processes per-process peaks, by PID
   */
  public record Device(
      int index,
      String name,
      String uuid,
      int samples,
      Summary smUtilPercent,
      Summary memoryUtilPercent,
      Summary memoryUsedBytes,
      Summary powerWatts,
      Summary temperatureCelsius,
      Summary smClockMhz,
      Summary memoryClockMhz,
      Double energyJoules,
      EnergySource energySource,
      Long energySpanNanos,
      Long energyExtrapolatedNanos,
      List<ProcessPeak> processes) {
    public Device {
      processes = List.copyOf(processes);
    }
  }

  /**
   * One process's peak use of one device over the window.
   *
   * @param pid process id as NVML reports it
   * @param maxMemoryUsedBytes the most VRAM it held, or null when the driver never said
   * @param maxSmUtilPercent its highest SM share, or null when the driver never said
   */
  public record ProcessPeak(int pid, Long maxMemoryUsedBytes, Integer maxSmUtilPercent) {}

  /**
   * Devices used very unevenly, e.g. a tensor-parallel setting that left GPUs idle.
   *
   * @param spreadPercentPoints busiest device's mean SM use minus the idlest device's
   * @param idleDeviceIndexes devices whose mean SM use is below {@value #IDLE_SM_PERCENT} percent
   * @param message one line for a person, e.g. {@code 2 of 4 GPUs idle ...}
   */
  public record Imbalance(
      double spreadPercentPoints, List<Integer> idleDeviceIndexes, String message) {
    public Imbalance {
      idleDeviceIndexes = List.copyOf(idleDeviceIndexes);
    }
  }

  /**
   * Derives the window's GPU figures. Pure.
   *
   * <p>Energy per device covers the whole window, as the tokens it is divided into do: the
   * counter's increase where its readings reach (at least two, never decreasing: a decrease means a
   * driver reload or wrap), the power samples integrated by the trapezoid rule over the edges
   * beyond them or over the whole window when the counter is unusable, and, before the first or
   * after the last reading, the nearest power reading held ({@link
   * Device#energyExtrapolatedNanos}). Series are taken as linear between samples, so an edge
   * between two samples is interpolated.
   *
   * @param devices the devices, as listed at open
   * @param ticks the GPU reads
   * @param windowStartNanos run-clock start of the window
   * @param windowEndNanos run-clock end of the window, not before the start
   * @param outputTokens output tokens of the window, or null
   */
  public static GpuMetrics of(
      List<GpuDevice> devices,
      List<GpuTick> ticks,
      long windowStartNanos,
      long windowEndNanos,
      Long outputTokens) {
    if (windowEndNanos < windowStartNanos) {
      throw new IllegalArgumentException(
          "window ends before it starts: " + windowStartNanos + " > " + windowEndNanos);
    }
    Map<Integer, List<GpuSample>> byDevice = GpuTick.samplesByDevice(ticks);
    List<Device> out = new ArrayList<>(devices.size());
    double total = 0;
    boolean totalKnown = !devices.isEmpty();
    for (GpuDevice d : devices) {
      List<GpuSample> all = byDevice.getOrDefault(d.index(), List.of());
      Device m = device(d, all, windowStartNanos, windowEndNanos);
      out.add(m);
      if (m.energyJoules() == null) {
        totalKnown = false;
      } else {
        total += m.energyJoules();
      }
    }
    Double energy = totalKnown ? total : null;
    Double perJoule =
        outputTokens == null || outputTokens <= 0 || energy == null || energy <= 0
            ? null
            : outputTokens / energy;
    return new GpuMetrics(out, energy, perJoule, imbalance(out));
  }

  private static Device device(GpuDevice d, List<GpuSample> all, long start, long end) {
    List<GpuSample> in = new ArrayList<>();
    for (GpuSample s : all) {
      if (s.atNanos() >= start && s.atNanos() <= end) {
        in.add(s);
      }
    }
    Energy energy = energy(all, start, end);
    return new Device(
        d.index(),
        d.name(),
        d.uuid(),
        in.size(),
        summary(in, s -> toDouble(s.smUtilPercent())),
        summary(in, s -> toDouble(s.memoryUtilPercent())),
        summary(in, s -> toDouble(s.memoryUsedBytes())),
        summary(in, GpuSample::powerWatts),
        summary(in, s -> toDouble(s.temperatureCelsius())),
        summary(in, s -> toDouble(s.smClockMhz())),
        summary(in, s -> toDouble(s.memoryClockMhz())),
        energy == null ? null : energy.joules,
        energy == null ? null : energy.source,
        energy == null ? null : energy.spanNanos,
        energy == null || energy.extrapolatedNanos == 0 ? null : energy.extrapolatedNanos,
        peaks(in));
  }

  private record Energy(
      double joules, EnergySource source, long spanNanos, long extrapolatedNanos) {}

  /** The window's energy (see {@link #of}), or null when no reading falls in the window. */
  private static Energy energy(List<GpuSample> all, long start, long end) {
    List<double[]> power = new ArrayList<>(); // {atNanos, watts}
    for (GpuSample s : all) {
      if (s.powerWatts() != null && Double.isFinite(s.powerWatts())) {
        power.add(new double[] {s.atNanos(), s.powerWatts()});
      }
    }
    long[] counted = new long[2]; // the span the counter covers
    Double counter = counterJoules(all, start, end, counted);
    if (counter == null) {
      if (power.size() < 2) {
        return null;
      }
      long a = Math.max(start, (long) power.getFirst()[0]);
      long b = Math.min(end, (long) power.getLast()[0]);
      if (b <= a) {
        return null;
      }
      long held = (a - start) + (end - b);
      return new Energy(powerJoules(power, start, end), EnergySource.POWER_TRAPEZOID, b - a, held);
    }
    long a = counted[0];
    long b = counted[1];
    if ((a == start && b == end) || power.isEmpty()) {
      return new Energy(counter, EnergySource.COUNTER, b - a, 0);
    }
    // The counter's readings stop short of an edge: the power samples cover the rest.
    double joules = counter + powerJoules(power, start, a) + powerJoules(power, b, end);
    long reachStart = Math.min(a, Math.max(start, (long) power.getFirst()[0]));
    long reachEnd = Math.max(b, Math.min(end, (long) power.getLast()[0]));
    long held = (reachStart - start) + (end - reachEnd);
    return new Energy(joules, EnergySource.COUNTER_AND_POWER, reachEnd - reachStart, held);
  }

  /**
   * Counter increase over [start, end] clipped to the readings, in joules, with the clipped span in
   * {@code span}; null if unusable.
   */
  private static Double counterJoules(List<GpuSample> all, long start, long end, long[] span) {
    List<long[]> points = new ArrayList<>(); // {atNanos, millijoules}
    for (GpuSample s : all) {
      if (s.energyMillijoules() != null) {
        points.add(new long[] {s.atNanos(), s.energyMillijoules()});
      }
    }
    int[] range = bracket(points, start, end);
    if (range == null) {
      return null;
    }
    for (int i = range[0] + 1; i <= range[1]; i++) {
      if (points.get(i)[1] < points.get(i - 1)[1]) {
        return null; // went backwards: driver reload or wrap; the power samples still hold
      }
    }
    long a = Math.max(start, points.get(range[0])[0]);
    long b = Math.min(end, points.get(range[1])[0]);
    span[0] = a;
    span[1] = b;
    return (valueAt(points, range, b) - valueAt(points, range, a)) / 1000.0;
  }

  /**
   * Energy of the power series over [lo, hi]: linear between samples, the nearest sample's power
   * held before the first and after the last. Zero for an empty interval.
   */
  private static double powerJoules(List<double[]> power, long lo, long hi) {
    if (hi <= lo || power.isEmpty()) {
      return 0;
    }
    List<Double> at = new ArrayList<>();
    at.add((double) lo);
    for (double[] p : power) {
      if (p[0] > lo && p[0] < hi) {
        at.add(p[0]);
      }
    }
    at.add((double) hi);
    double joules = 0;
    for (int i = 1; i < at.size(); i++) {
      double t0 = at.get(i - 1);
      double t1 = at.get(i);
      joules += (powerAt(power, t0) + powerAt(power, t1)) / 2 * (t1 - t0) / 1e9;
    }
    return joules;
  }

  private static double powerAt(List<double[]> power, double t) {
    if (t <= power.getFirst()[0]) {
      return power.getFirst()[1];
    }
    if (t >= power.getLast()[0]) {
      return power.getLast()[1];
    }
    for (int i = 1; i < power.size(); i++) {
      double[] p0 = power.get(i - 1);
      double[] p1 = power.get(i);
      if (t <= p1[0]) {
        return p1[0] == p0[0] ? p1[1] : p0[1] + (p1[1] - p0[1]) * (t - p0[0]) / (p1[0] - p0[0]);
      }
    }
    return power.getLast()[1];
  }

  /**
   * Indexes of the readings that bound [start, end] (the last at or before the start, the first at
   * or after the end, each clamped to the readings), or null when they cover no time in it.
   */
  private static int[] bracket(List<long[]> points, long start, long end) {
    if (points.size() < 2) {
      return null;
    }
    int first = 0;
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i)[0] <= start) {
        first = i;
      }
    }
    int last = points.size() - 1;
    for (int i = points.size() - 1; i >= 0; i--) {
      if (points.get(i)[0] >= end) {
        last = i;
      }
    }
    long a = Math.max(start, points.get(first)[0]);
    long b = Math.min(end, points.get(last)[0]);
    return b > a ? new int[] {first, last} : null;
  }

  /** The reading at time t, linear between the two readings around it. */
  private static double valueAt(List<long[]> points, int[] range, long t) {
    for (int i = range[0]; i < range[1]; i++) {
      long t0 = points.get(i)[0];
      long t1 = points.get(i + 1)[0];
      if (t >= t0 && t <= t1) {
        double v0 = points.get(i)[1];
        double v1 = points.get(i + 1)[1];
        return t1 == t0 ? v1 : v0 + (v1 - v0) * (double) (t - t0) / (t1 - t0);
      }
    }
    return points.get(range[1])[1];
  }

  private static List<ProcessPeak> peaks(List<GpuSample> in) {
    Map<Integer, Long> memory = new TreeMap<>();
    Map<Integer, Integer> sm = new TreeMap<>();
    for (GpuSample s : in) {
      for (GpuProcessUsage p : s.processes()) {
        memory.putIfAbsent(p.pid(), null);
        sm.putIfAbsent(p.pid(), null);
        if (p.usedMemoryBytes() != null) {
          memory.merge(p.pid(), p.usedMemoryBytes(), Math::max);
        }
        if (p.smUtilPercent() != null) {
          sm.merge(p.pid(), p.smUtilPercent(), Math::max);
        }
      }
    }
    List<ProcessPeak> out = new ArrayList<>(memory.size());
    for (Integer pid : memory.keySet()) {
      out.add(new ProcessPeak(pid, memory.get(pid), sm.get(pid)));
    }
    return out;
  }

  private static Imbalance imbalance(List<Device> devices) {
    List<Device> measured = new ArrayList<>();
    for (Device d : devices) {
      if (d.smUtilPercent() != null) {
        measured.add(d);
      }
    }
    if (measured.size() < 2) {
      return null;
    }
    Device busiest = measured.getFirst();
    Device idlest = measured.getFirst();
    for (Device d : measured) {
      if (d.smUtilPercent().mean() > busiest.smUtilPercent().mean()) {
        busiest = d;
      }
      if (d.smUtilPercent().mean() < idlest.smUtilPercent().mean()) {
        idlest = d;
      }
    }
    double spread = busiest.smUtilPercent().mean() - idlest.smUtilPercent().mean();
    boolean idleBesideBusy =
        idlest.smUtilPercent().mean() < IDLE_SM_PERCENT
            && busiest.smUtilPercent().mean() >= BUSY_SM_PERCENT;
    if (spread < IMBALANCE_POINTS && !idleBesideBusy) {
      return null;
    }
    List<Integer> idle = new ArrayList<>();
    List<String> idleText = new ArrayList<>();
    for (Device d : measured) {
      if (d.smUtilPercent().mean() < IDLE_SM_PERCENT) {
        idle.add(d.index());
        idleText.add(String.format(Locale.ROOT, "GPU %d %.0f%%", d.index(), mean(d)));
      }
    }
    String message =
        idle.isEmpty()
            ? String.format(
                Locale.ROOT,
                "GPU SM use uneven: GPU %d mean %.0f%% vs GPU %d mean %.0f%%",
                idlest.index(),
                mean(idlest),
                busiest.index(),
                mean(busiest))
            : String.format(
                Locale.ROOT,
                "%d of %d GPUs idle (mean SM: %s) while GPU %d averaged %.0f%%",
                idle.size(),
                measured.size(),
                String.join(", ", idleText),
                busiest.index(),
                mean(busiest));
    return new Imbalance(spread, idle, message);
  }

  private static double mean(Device d) {
    return d.smUtilPercent().mean();
  }

  @FunctionalInterface
  private interface Figure {
    Double of(GpuSample s);
  }

  private static Summary summary(List<GpuSample> samples, Figure f) {
    double[] values = new double[samples.size()];
    int n = 0;
    for (GpuSample s : samples) {
      Double v = f.of(s);
      if (v != null && Double.isFinite(v)) {
        values[n++] = v;
      }
    }
    return Summary.of(Arrays.copyOf(values, n));
  }

  private static Double toDouble(Number n) {
    return n == null ? null : n.doubleValue();
  }
}
