package io.inferscope.core;

/**
 * A GPU as NVML names it. Absent values are null.
 *
 * @param index NVML device index
 * @param name product name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param uuid device UUID
 * @param memoryTotalBytes total VRAM
 * @param powerLimitWatts enforced power limit, or null
 */
public record GpuDevice(
    int index, String name, String uuid, Long memoryTotalBytes, Double powerLimitWatts) {}
