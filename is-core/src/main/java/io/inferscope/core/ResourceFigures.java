package io.inferscope.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine's hardware did over a span of the run (one request's prefill or decode window, or
 * a pool of such windows); see {@link Correlation} for how each figure is taken. Absent figures are
 * null, never 0: a source that was not sampled, or had no reading near the span.
 *
 * @param cpuPercent engine process tree CPU, percent of one core
 * @param gpuSmPercent SM utilisation, mean over the devices that had a reading
 * @param gpuSmPercentByDevice SM utilisation per NVML device index, sorted by index
 * @param powerWatts power draw summed over the devices that had a reading
 * @param samples readings used: process-tree intervals plus GPU samples (one per device read)
 */
public record ResourceFigures(
    Double cpuPercent,
    Double gpuSmPercent,
    Map<Integer, Double> gpuSmPercentByDevice,
    Double powerWatts,
    int samples) {

  private static final ResourceFigures NONE = new ResourceFigures(null, null, Map.of(), null, 0);

  public ResourceFigures {
    gpuSmPercentByDevice = Collections.unmodifiableMap(new TreeMap<>(gpuSmPercentByDevice));
  }

  /** Nothing was read. */
  public static ResourceFigures none() {
    return NONE;
  }
}
