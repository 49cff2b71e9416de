package io.inferscope.sysmon;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import io.inferscope.core.RunClock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Samples every GPU NVML sees: one {@link GpuSample} per device per tick, in device order.
 *
 * <p>Each device's sample is stamped with {@code clock.nowNanos()} read just before that device's
 * first NVML call of the tick; its reads take well under a millisecond on a healthy driver, and the
 * utilisation figures NVML returns describe its own trailing window anyway.
 *
 * <p>Processes: every process with a compute context on the device, with its VRAM, and its SM share
 * as the mean of the driver's per-process utilisation samples taken since the previous tick
 * (rounded to a whole percent; null when the driver took none). A process that only appears in the
 * utilisation samples is listed with unknown VRAM.
 *
 * <p>Errors: a figure the device does not support is null. Any other NVML error also leaves that
 * figure null, and is counted in {@link #failureCounts()}, so one flaky call does not cost the
 * tick's other figures; only a tick in which every call failed throws, for the sampling loop to
 * count. A lost GPU is counted the same way rather than ending sampling of the others.
 *
 * <p>Not for concurrent use beyond what {@code SamplingLoop} does: {@link #sample} and {@link
 * #close} are serialised.
 */
public final class NvmlSampler implements Sampler<GpuTick> {

  /** The {@link io.inferscope.core.Timeline#source()} of GPU samples. */
  public static final String SOURCE = "nvml";

  /**
   * How often the two costly reads run: on an H100 (driver 580) the energy counter takes about 4.2
   * ms of CPU per read and process utilisation about 2.1 ms, against under 0.2 ms for all other
   * figures together (docs/benchmarks.md). Both are cumulative on the driver's side (an energy
   * counter; utilisation samples since a timestamp), so reading them once a second loses nothing
   * but time resolution, and cuts a tick at 100 ms from about 7 % to under 1 % of a core.
   */
  static final long SLOW_READ_INTERVAL_NANOS = 1_000_000_000L;

  private final NvmlLibrary nvml;
  private final List<MemorySegment> handles;
  private final List<GpuDevice> devices;
  private final IntPredicate keepPid;
  private final long[] lastSeenMicros;
  private final long[] lastSlowReadNanos;
  private long slowReadIntervalNanos = SLOW_READ_INTERVAL_NANOS;
  private final Map<String, Long> failures = new TreeMap<>();
  private boolean closed;

  private NvmlSampler(
      NvmlLibrary nvml,
      List<MemorySegment> handles,
      List<GpuDevice> devices,
      IntPredicate keepPid,
      long[] lastSeenMicros,
      Map<String, Long> openFailures) {
    this.nvml = nvml;
    this.handles = List.copyOf(handles);
    this.devices = List.copyOf(devices);
    this.keepPid = keepPid;
    this.lastSeenMicros = lastSeenMicros;
    this.lastSlowReadNanos = new long[devices.size()];
    java.util.Arrays.fill(lastSlowReadNanos, Long.MIN_VALUE);
    this.failures.putAll(openFailures);
  }

  /**
   * Loads NVML and lists its devices. Never throws for a host without GPUs or driver: the answer is
   * {@link GpuAvailability.Unavailable} with the reason.
   *
   * @param library the NVML library file, or null to let the dynamic loader find {@code
   *     libnvidia-ml.so.1}
   * @param keepPid which processes to report, or null for all. It is asked at every tick, on the
   *     sampling thread, so the caller may back it with a concurrent set it keeps up to date with
   *     the engine's process tree. Keeping all is the safer default: inside a container NVML may
   *     report host PIDs that the caller's {@code /proc} does not show, and another tenant's VRAM
   *     on the same GPU is worth knowing.
   */
  public static GpuAvailability open(Path library, IntPredicate keepPid) {
    return open(library, NvmlLibrary.DEFAULT_NAME, keepPid);
  }

  static GpuAvailability open(Path library, String defaultName, IntPredicate keepPid) {
    NvmlLibrary nvml;
    try {
      nvml = NvmlLibrary.load(library, defaultName);
    } catch (NvmlLibrary.UnavailableException e) {
      return new GpuAvailability.Unavailable(e.getMessage());
    }
    try {
      return enumerate(nvml, keepPid);
    } catch (RuntimeException | Error e) {
      nvml.close();
      throw e;
    }
  }

  private static GpuAvailability enumerate(NvmlLibrary nvml, IntPredicate keepPid) {
    int count;
    try {
      count = nvml.deviceCount();
    } catch (NvmlException e) {
      nvml.close();
      return new GpuAvailability.Unavailable(e.getMessage());
    }
    Map<String, Long> openFailures = new TreeMap<>();
    List<MemorySegment> handles = new ArrayList<>();
    List<GpuDevice> devices = new ArrayList<>();
    List<Long> lastSeen = new ArrayList<>();
    String firstSkip = null;
    for (int i = 0; i < count; i++) {
      MemorySegment h;
      try {
        h = nvml.handle(i);
      } catch (NvmlException e) {
        // e.g. NO_PERMISSION on a GPU that this user may not open: sample the others.
        firstSkip = firstSkip == null ? "GPU " + i + ": " + e.getMessage() : firstSkip;
        openFailures.merge("GPU " + i + ": " + e.getMessage(), 1L, Long::sum);
        continue;
      }
      String prefix = "GPU " + i + ": ";
      String name = readOnce(openFailures, prefix, () -> nvml.name(h));
      String uuid = readOnce(openFailures, prefix, () -> nvml.uuid(h));
      NvmlLibrary.Memory memory = readOnce(openFailures, prefix, () -> nvml.memory(h));
      Long limitMw = readOnce(openFailures, prefix, () -> nvml.enforcedPowerLimitMilliwatts(h));
      // Read and discard what the driver already holds, so the first tick sees only new samples.
      List<NvmlLibrary.ProcessUtilization> held =
          readOnce(openFailures, prefix, () -> nvml.processUtilization(h, 0));
      handles.add(h);
      devices.add(
          new GpuDevice(
              i,
              name,
              uuid,
              memory == null ? null : memory.totalBytes(),
              limitMw == null ? null : limitMw / 1000.0));
      lastSeen.add(held == null ? 0L : latest(held, 0L));
    }
    if (devices.isEmpty()) {
      nvml.close();
      return new GpuAvailability.Unavailable(
          count == 0 ? "NVML sees no GPU" : "no GPU NVML may read (" + firstSkip + ")");
    }
    long[] seen = lastSeen.stream().mapToLong(Long::longValue).toArray();
    return new GpuAvailability.Available(
        new NvmlSampler(nvml, handles, devices, keepPid, seen, openFailures));
  }

  /** The devices, in NVML index order, as read at open. */
  public List<GpuDevice> devices() {
    return devices;
  }

  @Override
  public String source() {
    return SOURCE;
  }

  /** For tests: read the costly figures on every tick (0) or at another interval. */
  synchronized void slowReadIntervalNanos(long nanos) {
    slowReadIntervalNanos = nanos;
  }

  /**
   * Reads every device once; the energy counter and process utilisation at most once a second.
   *
   * @throws IOException when every NVML call of the tick failed (e.g. the driver went away)
   */
  @Override
  public synchronized GpuTick sample(RunClock clock) throws IOException {
    if (closed) {
      throw new IllegalStateException("NVML sampler is closed");
    }
    Tick tick = new Tick();
    List<GpuSample> out = new ArrayList<>(devices.size());
    for (int d = 0; d < devices.size(); d++) {
      out.add(sampleDevice(d, clock, tick));
    }
    if (tick.ok == 0 && tick.firstFailure != null) {
      throw new IOException("every NVML read failed: " + tick.firstFailure);
    }
    // Stamped at its first read: the devices that follow are read within the same tick.
    return new GpuTick(out.isEmpty() ? clock.nowNanos() : out.getFirst().atNanos(), out);
  }

  private GpuSample sampleDevice(int d, RunClock clock, Tick tick) {
    MemorySegment h = handles.get(d);
    int index = devices.get(d).index();
    String prefix = "GPU " + index + ": ";
    long at = clock.nowNanos();
    NvmlLibrary.Utilization util = read(tick, prefix, () -> nvml.utilization(h));
    NvmlLibrary.Memory memory = read(tick, prefix, () -> nvml.memory(h));
    Long powerMw = read(tick, prefix, () -> nvml.powerMilliwatts(h));
    Long temperature = read(tick, prefix, () -> nvml.temperatureCelsius(h));
    Long smClock = read(tick, prefix, () -> nvml.clockMhz(h, NvmlLibrary.CLOCK_SM));
    Long memClock = read(tick, prefix, () -> nvml.clockMhz(h, NvmlLibrary.CLOCK_MEM));
    List<NvmlLibrary.ComputeProcess> procs = read(tick, prefix, () -> nvml.computeProcesses(h));
    Long energyMj = null;
    List<NvmlLibrary.ProcessUtilization> samples = null;
    if (lastSlowReadNanos[d] == Long.MIN_VALUE
        || at - lastSlowReadNanos[d] >= slowReadIntervalNanos) {
      lastSlowReadNanos[d] = at;
      energyMj = read(tick, prefix, () -> nvml.totalEnergyMillijoules(h));
      long since = lastSeenMicros[d];
      samples = read(tick, prefix, () -> nvml.processUtilization(h, since));
      if (samples != null) {
        lastSeenMicros[d] = latest(samples, since);
      }
    }
    return new GpuSample(
        at,
        index,
        util == null ? null : util.gpuPercent(),
        util == null ? null : util.memoryPercent(),
        memory == null ? null : memory.usedBytes(),
        powerMw == null ? null : powerMw / 1000.0,
        toInt(temperature),
        toInt(smClock),
        toInt(memClock),
        energyMj,
        processes(procs, samples));
  }

  /** Compute processes joined with their utilisation samples, filtered, sorted by PID. */
  private List<GpuProcessUsage> processes(
      List<NvmlLibrary.ComputeProcess> procs, List<NvmlLibrary.ProcessUtilization> samples) {
    Map<Integer, long[]> sm = new HashMap<>(); // pid -> {sum, count}
    if (samples != null) {
      for (NvmlLibrary.ProcessUtilization s : samples) {
        long[] acc = sm.computeIfAbsent(s.pid(), p -> new long[2]);
        acc[0] += Integer.toUnsignedLong(s.smPercent());
        acc[1]++;
      }
    }
    Map<Integer, Long> memoryByPid = new TreeMap<>();
    if (procs != null) {
      for (NvmlLibrary.ComputeProcess p : procs) {
        // A PID listed twice (several contexts or MIG instances) holds the sum.
        memoryByPid.merge(
            p.pid(),
            p.usedMemoryBytes() == null ? Long.MIN_VALUE : p.usedMemoryBytes(),
            (a, b) -> a == Long.MIN_VALUE || b == Long.MIN_VALUE ? Long.MIN_VALUE : a + b);
      }
    }
    for (Integer pid : sm.keySet()) {
      memoryByPid.putIfAbsent(pid, Long.MIN_VALUE);
    }
    List<GpuProcessUsage> out = new ArrayList<>(memoryByPid.size());
    for (Map.Entry<Integer, Long> e : memoryByPid.entrySet()) {
      int pid = e.getKey();
      if (keepPid != null && !keepPid.test(pid)) {
        continue;
      }
      long[] acc = sm.get(pid);
      out.add(
          new GpuProcessUsage(
              pid,
              e.getValue() == Long.MIN_VALUE ? null : e.getValue(),
              acc == null ? null : (int) Math.round((double) acc[0] / acc[1])));
    }
    return out;
  }

  /**
   * NVML errors counted so far (at open and per tick), by device, call and error text, e.g. {@code
   * GPU 1: nvmlDeviceGetTemperature failed: Unknown Error -> 3}. Figures the device does not
   * support are not errors and are not counted.
   */
  public synchronized Map<String, Long> failureCounts() {
    return Collections.unmodifiableMap(new TreeMap<>(failures));
  }

  /** Which versioned entry points were bound, for diagnostics. */
  String boundSymbols() {
    return "init="
        + nvml.initSymbol()
        + " processes="
        + (nvml.computeProcessesSymbol() == null ? "none" : nvml.computeProcessesSymbol());
  }

  /** Shuts NVML down and unloads the library. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      nvml.close();
    }
  }

  @FunctionalInterface
  private interface NvmlRead<T> {
    T read() throws NvmlException;
  }

  /** Outcome counts of one tick. */
  private static final class Tick {
    int ok;
    String firstFailure;
  }

  private <T> T read(Tick tick, String prefix, NvmlRead<T> r) {
    try {
      T value = r.read();
      tick.ok++;
      return value;
    } catch (NvmlException e) {
      String key = prefix + e.getMessage();
      failures.merge(key, 1L, Long::sum);
      if (tick.firstFailure == null) {
        tick.firstFailure = key;
      }
      return null;
    }
  }

  private static <T> T readOnce(Map<String, Long> failures, String prefix, NvmlRead<T> r) {
    try {
      return r.read();
    } catch (NvmlException e) {
      failures.merge(prefix + e.getMessage(), 1L, Long::sum);
      return null;
    }
  }

  private static long latest(List<NvmlLibrary.ProcessUtilization> samples, long floor) {
    long max = floor;
    for (NvmlLibrary.ProcessUtilization s : samples) {
      // The timestamp is unsigned; real ones (microseconds since the epoch) are far from 2^63.
      max = Math.max(max, s.timeStampMicros());
    }
    return max;
  }

  private static Integer toInt(Long v) {
    return v == null ? null : (int) Math.min(v, Integer.MAX_VALUE);
  }
}
