package io.inferscope.cli;

import io.inferscope.core.GpuSample;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunClock;
import io.inferscope.core.Timeline;
import io.inferscope.sysmon.GpuAvailability;
import io.inferscope.sysmon.NvmlSampler;
import io.inferscope.sysmon.ProcSampler;
import io.inferscope.sysmon.SamplingLoop;
import java.util.ArrayList;
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
  private final SamplingLoop<List<GpuSample>> gpu;
  private final NvmlSampler nvml;
  private final Timeline<GpuSample> gpuUnavailable;

  private HardwareMonitor(
      EngineTarget target,
      SamplingLoop<ProcessTreeSample> process,
      Timeline<ProcessTreeSample> processUnavailable,
      SamplingLoop<List<GpuSample>> gpu,
      NvmlSampler nvml,
      Timeline<GpuSample> gpuUnavailable) {
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
    SamplingLoop<List<GpuSample>> gpu = null;
    NvmlSampler nvml = null;
    Timeline<GpuSample> gpuUnavailable = null;
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
    Timeline<GpuSample> gpuTimeline;
    List<io.inferscope.core.GpuDevice> devices = List.of();
    if (gpu != null) {
      devices = nvml.devices();
      Timeline<List<GpuSample>> ticks = gpu.stop();
      List<GpuSample> flat = new ArrayList<>();
      for (List<GpuSample> tick : ticks.samples()) {
        flat.addAll(tick);
      }
      gpuTimeline = new Timeline<>(ticks.source(), ticks.periodNanos(), flat, null);
    } else {
      gpuTimeline = gpuUnavailable;
    }
    return new HardwareSamples(target.pid(), tree, devices, gpuTimeline);
  }
}
