package io.inferscope.core;

import java.util.List;

/**
 * One device at one instant. Any figure the driver cannot give is null.
 *
 * @param atNanos run-clock offset of the read
 * @param deviceIndex NVML device index
 * @param smUtilPercent percent of time a kernel ran on the device over the driver's last window
 * @param memoryUtilPercent percent of time device memory was read or written, likewise
 * @param memoryUsedBytes VRAM in use
 * @param powerWatts power draw
 * @param temperatureCelsius GPU temperature
 * @param smClockMhz current SM clock
 * @param memoryClockMhz current memory clock
 * @param energyMillijoules cumulative energy since the driver loaded
 * @param processes per-process use of this device
 */
public record GpuSample(
    long atNanos,
    int deviceIndex,
    Integer smUtilPercent,
    Integer memoryUtilPercent,
    Long memoryUsedBytes,
    Double powerWatts,
    Integer temperatureCelsius,
    Integer smClockMhz,
    Integer memoryClockMhz,
    Long energyMillijoules,
    List<GpuProcessUsage> processes) {
  public GpuSample {
    processes = List.copyOf(processes);
  }
}
