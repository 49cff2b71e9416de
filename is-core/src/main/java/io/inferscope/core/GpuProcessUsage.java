package io.inferscope.core;

/**
 * One process's use of one GPU at one sample.
 *
 * @param pid process id (host PID namespace)
 * @param usedMemoryBytes VRAM used by the process, or null when the driver does not say
 * @param smUtilPercent the process's share of SM time over the last interval, or null
 */
public record GpuProcessUsage(int pid, Long usedMemoryBytes, Integer smUtilPercent) {}
