package io.inferscope.cli;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuTick;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunClock;
import io.inferscope.core.Timeline;
import io.inferscope.sysmon.GpuAvailability;
import io.inferscope.sysmon.NvmlSampler;
import io.inferscope.sysmon.ProcSampler;
import io.inferscope.sysmon.SamplingLoop;
import java.util.List;
import java.util.function.Consumer;

/**
 * Samples the engine's process tree and the GPUs on the run clock for as long as the run lasts.
 * Every sampler runs in the same {@link SamplingLoop}; this class only decides which run.
 */
final class HardwareMonitor {
  private final EngineTarget target;
  private final SamplingLoop<ProcessTreeSample> process;
  private final Timeline<ProcessTreeSample> processUnavailable;
  private final SamplingLoop<GpuTick> gpu;
  private final NvmlSampler nvml;
  private final Timeline<GpuTick> gpuUnavailable;

  private HardwareMonitor(
      EngineTarget target,
      SamplingLoop<ProcessTreeSample> process,
      Timeline<ProcessTreeSample> processUnavailable,
      SamplingLoop<GpuTick> gpu,
      NvmlSampler nvml,
      Timeline<GpuTick> gpuUnavailable) {
    this.target = target;
    this.process = process;
    this.processUnavailable = processUnavailable;
    this.gpu = gpu;
    this.nvml = nvml;
    this.gpuUnavailable = gpuUnavailable;
  }

  /**
   * Starts sampling now.
   *
   * @param onEngineGone called once, from a sampler thread, when the engine process exits
   */
  static HardwareMonitor start(
      EngineTarget target, HardwareOptions o, RunClock clock, Consumer<String> onEngineGone) {
    SamplingLoop<ProcessTreeSample> process = null;
    Timeline<ProcessTreeSample> processUnavailable = null;
    if (target.pid() != null) {
      process =
          SamplingLoop.start(new ProcSampler(target.pid()), clock, o.samplePeriod, onEngineGone);
    } else {
      processUnavailable = Timeline.unavailable("proc", o.samplePeriod.toNanos(), target.reason());
    }
    SamplingLoop<GpuTick> gpu = null;
    NvmlSampler nvml = null;
    Timeline<GpuTick> gpuUnavailable = null;
    if (o.noGpu) {
      gpuUnavailable =
          Timeline.unavailable(
              NvmlSampler.SOURCE, o.gpuPeriod.toNanos(), "switched off (--no-gpu)");
    } else {
      switch (NvmlSampler.open(o.nvmlLibrary, null)) {
        case GpuAvailability.Available a -> {
          nvml = a.sampler();
          gpu = SamplingLoop.start(nvml, clock, o.gpuPeriod, null);
        }
        case GpuAvailability.Unavailable u ->
            gpuUnavailable =
                Timeline.unavailable(NvmlSampler.SOURCE, o.gpuPeriod.toNanos(), u.reason());
      }
    }
    return new HardwareMonitor(target, process, processUnavailable, gpu, nvml, gpuUnavailable);
  }

  /** Stops every sampler and returns what they took. Idempotent. */
  HardwareSamples stop() {
    Timeline<ProcessTreeSample> tree = process != null ? process.stop() : processUnavailable;
    Timeline<GpuTick> gpuTimeline = gpuUnavailable;
    List<GpuDevice> devices = List.of();
    if (gpu != null) {
      devices = nvml.devices();
      gpuTimeline = gpu.stop();
    }
    return new HardwareSamples(target.pid(), tree, devices, gpuTimeline);
  }
}
