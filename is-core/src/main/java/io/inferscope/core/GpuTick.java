package io.inferscope.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One read of every GPU: the devices are read one after another, in index order, each stamped at
 * its own read, so a tick's samples do not share one instant.
 *
 * @param atNanos run-clock offset when the tick began (its first device read)
 * @param devices the devices read in this tick, in index order; a device whose read failed is
 *     missing
 */
public record GpuTick(long atNanos, List<GpuSample> devices) {
  public GpuTick {
    devices = List.copyOf(devices);
  }

  /** Every device's samples across the ticks, by device index, each list in time order. */
  public static Map<Integer, List<GpuSample>> samplesByDevice(List<GpuTick> ticks) {
    Map<Integer, List<GpuSample>> byDevice = new TreeMap<>();
    for (GpuTick tick : ticks) {
      for (GpuSample s : tick.devices()) {
        byDevice.computeIfAbsent(s.deviceIndex(), k -> new ArrayList<>()).add(s);
      }
    }
    for (List<GpuSample> list : byDevice.values()) {
      list.sort(Comparator.comparingLong(GpuSample::atNanos));
    }
    return byDevice;
  }
}
