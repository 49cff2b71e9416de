package io.inferscope.core;

import java.util.List;

/**
 * What the engine's hardware did during a run, on the run clock: its process tree and its GPUs. A
 * source that was not sampled is null; one that could not be sampled is a {@link Timeline} with its
 * reason.
 *
 * @param enginePid the root of the sampled process tree, or null when no process was sampled
 * @param processTree the tree's samples, or null when no process was sampled
 * @param gpuDevices the devices seen, in NVML index order (empty when none)
 * @param gpu one tick per read of the GPUs, in time order, or null when GPUs were not sampled
 */
public record HardwareSamples(
    Integer enginePid,
    Timeline<ProcessTreeSample> processTree,
    List<GpuDevice> gpuDevices,
    Timeline<GpuTick> gpu) {

  private static final HardwareSamples NONE = new HardwareSamples(null, null, List.of(), null);

  public HardwareSamples {
    gpuDevices = List.copyOf(gpuDevices);
  }

  /** Nothing was sampled. */
  public static HardwareSamples none() {
    return NONE;
  }

  /** The device listed with {@code index}, or null. */
  public GpuDevice gpuDevice(int index) {
    for (GpuDevice d : gpuDevices) {
      if (d.index() == index) {
        return d;
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return processTree == null && gpu == null;
  }
}
