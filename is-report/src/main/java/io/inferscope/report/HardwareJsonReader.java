package io.inferscope.report;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the {@code hardware} section back into {@link HardwareSamples}, by the rules of {@link
 * RunJsonReader}: unknown fields skipped, non-null fields required, nullable ones may be omitted.
 */
final class HardwareJsonReader {

  private final JsonCursor c;

  HardwareJsonReader(JsonCursor c) {
    this.c = c;
  }

  /** The section whose value is current; null reads as nothing sampled. */
  HardwareSamples read() {
    if (c.isNull()) {
      return HardwareSamples.none();
    }
    String at = c.startObject();
    Integer enginePid = null;
    Timeline<ProcessTreeSample> tree = null;
    List<GpuDevice> devices = null;
    Timeline<GpuSample> gpu = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "engine_pid" -> enginePid = c.nullableInt();
        case "process_tree" -> tree = timeline(this::treeSample);
        case "gpu_devices" -> devices = list(this::device);
        case "gpu" -> gpu = timeline(this::gpuSample);
        default -> c.skip();
      }
    }
    return new HardwareSamples(enginePid, tree, c.require(devices, at, "gpu_devices"), gpu);
  }

  private <S> Timeline<S> timeline(Supplier<S> sample) {
    if (c.isNull()) {
      return null;
    }
    String at = c.startObject();
    String source = null;
    Long period = null;
    String reason = null;
    List<S> samples = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "source" -> source = c.nullableString();
        case "period_ns" -> period = c.longValue();
        case "unavailable_reason" -> reason = c.nullableString();
        case "samples" -> samples = list(sample);
        default -> c.skip();
      }
    }
    return new Timeline<>(
        source, c.require(period, at, "period_ns"), c.require(samples, at, "samples"), reason);
  }

  private <T> List<T> list(Supplier<T> element) {
    c.startArray();
    List<T> values = new ArrayList<>();
    while (c.nextElement()) {
      values.add(element.get());
    }
    return values;
  }

  private ProcessTreeSample treeSample() {
    String at = c.startObject();
    Long atNanos = null;
    Integer root = null;
    List<ProcessStat> processes = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "at_ns" -> atNanos = c.longValue();
        case "root_pid" -> root = c.intValue();
        case "processes" -> processes = list(this::process);
        default -> c.skip();
      }
    }
    return new ProcessTreeSample(
        c.require(atNanos, at, "at_ns"),
        c.require(root, at, "root_pid"),
        c.require(processes, at, "processes"));
  }

  private ProcessStat process() {
    String at = c.startObject();
    Integer pid = null;
    Integer ppid = null;
    String name = null;
    Long startTicks = null;
    Long user = null;
    Long system = null;
    Long rss = null;
    Integer threads = null;
    Long voluntary = null;
    Long involuntary = null;
    Long read = null;
    Long write = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "pid" -> pid = c.intValue();
        case "ppid" -> ppid = c.intValue();
        case "name" -> name = c.nullableString();
        case "start_ticks" -> startTicks = c.longValue();
        case "user_cpu_ns" -> user = c.longValue();
        case "system_cpu_ns" -> system = c.longValue();
        case "rss_bytes" -> rss = c.longValue();
        case "threads" -> threads = c.intValue();
        case "voluntary_context_switches" -> voluntary = c.nullableLong();
        case "involuntary_context_switches" -> involuntary = c.nullableLong();
        case "read_bytes" -> read = c.nullableLong();
        case "write_bytes" -> write = c.nullableLong();
        default -> c.skip();
      }
    }
    return new ProcessStat(
        c.require(pid, at, "pid"),
        c.require(ppid, at, "ppid"),
        name,
        c.require(startTicks, at, "start_ticks"),
        c.require(user, at, "user_cpu_ns"),
        c.require(system, at, "system_cpu_ns"),
        c.require(rss, at, "rss_bytes"),
        c.require(threads, at, "threads"),
        voluntary,
        involuntary,
        read,
        write);
  }

  private GpuDevice device() {
    String at = c.startObject();
    Integer index = null;
    String name = null;
    String uuid = null;
    Long memory = null;
    Double powerLimit = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "index" -> index = c.intValue();
        case "name" -> name = c.nullableString();
        case "uuid" -> uuid = c.nullableString();
        case "memory_total_bytes" -> memory = c.nullableLong();
        case "power_limit_watts" -> powerLimit = c.nullableDouble();
        default -> c.skip();
      }
    }
    return new GpuDevice(c.require(index, at, "index"), name, uuid, memory, powerLimit);
  }

  private GpuSample gpuSample() {
    String at = c.startObject();
    Long atNanos = null;
    Integer device = null;
    Integer sm = null;
    Integer memoryUtil = null;
    Long memoryUsed = null;
    Double power = null;
    Integer temperature = null;
    Integer smClock = null;
    Integer memoryClock = null;
    Long energy = null;
    List<GpuProcessUsage> processes = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "at_ns" -> atNanos = c.longValue();
        case "device" -> device = c.intValue();
        case "sm_util_percent" -> sm = c.nullableInt();
        case "memory_util_percent" -> memoryUtil = c.nullableInt();
        case "memory_used_bytes" -> memoryUsed = c.nullableLong();
        case "power_watts" -> power = c.nullableDouble();
        case "temperature_celsius" -> temperature = c.nullableInt();
        case "sm_clock_mhz" -> smClock = c.nullableInt();
        case "memory_clock_mhz" -> memoryClock = c.nullableInt();
        case "energy_mj" -> energy = c.nullableLong();
        case "processes" -> processes = list(this::gpuProcess);
        default -> c.skip();
      }
    }
    return new GpuSample(
        c.require(atNanos, at, "at_ns"),
        c.require(device, at, "device"),
        sm,
        memoryUtil,
        memoryUsed,
        power,
        temperature,
        smClock,
        memoryClock,
        energy,
        c.require(processes, at, "processes"));
  }

  private GpuProcessUsage gpuProcess() {
    String at = c.startObject();
    Integer pid = null;
    Long memory = null;
    Integer sm = null;
    while (c.nextProperty()) {
      switch (c.name()) {
        case "pid" -> pid = c.intValue();
        case "used_memory_bytes" -> memory = c.nullableLong();
        case "sm_util_percent" -> sm = c.nullableInt();
        default -> c.skip();
      }
    }
    return new GpuProcessUsage(c.require(pid, at, "pid"), memory, sm);
  }
}
