package io.inferscope.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine's hardware did while requests waited for their first token and while they
 * decoded, read from samples on the same run clock as the requests.
 *
 * <p>Windows, per measured completed request: prefill is send to first text event (queueing and
 * prefill, as the client sees them), decode is first to last text event. The whole run is the
 * measured window (first measured send to last measured end), or the run's whole span when no
 * request was measured.
 *
 * <p>Figures inside a window:
 *
 * <ul>
 *   <li>CPU (a cumulative counter): the rate of each process-tree interval weighted by how much of
 *       it overlaps the window; a window with no length takes the interval that holds it.
 *   <li>GPU SM % and power (instantaneous readings): the mean of each device's samples inside the
 *       window; when a window is shorter than a sampling period and holds none, the device's sample
 *       nearest the window's middle, if it lies within one period of the window. SM % is then the
 *       mean over devices, power the sum over devices.
 * </ul>
 *
 * <p>Pooled figures ({@link #prefill}, {@link #decode}) are the mean over windows of each figure,
 * each window counting once, over the windows that have the figure: what a typical request's window
 * saw. A figure no window has is null, never 0.
 *
 * @param requests each measured completed request's windows, in id order
 * @param prefill pooled over every prefill window
 * @param decode pooled over every decode window
 * @param wholeRun over the whole run
 */
public record Correlation(
    List<RequestWindows> requests,
    ResourceFigures prefill,
    ResourceFigures decode,
    ResourceFigures wholeRun) {

  /**
   * NVML's utilisation is the share of its own sample period (about 1/6 s on current GPUs) in which
   * a kernel ran: a window shorter than that has no SM figure of its own.
   */
  public static final long GPU_SM_RESOLUTION_NANOS = 1_000_000_000L / 6;

  /**
   * Power readings are averaged by the driver over about a second (H100, driver 580): a window
   * shorter than that has no power figure of its own.
   */
  public static final long GPU_POWER_RESOLUTION_NANOS = 1_000_000_000L;

  public Correlation {
    requests = List.copyOf(requests);
  }

  /**
   * Derives the correlation of a run. Pure.
   *
   * @param run the run
   * @param window its measured window, or null when no request was measured (the whole run is then
   *     the run's whole span)
   */
  public static Correlation of(RunResult run, MeasuredWindow window) {
    WindowFigures figures = new WindowFigures(run.hardware());
    List<RequestWindows> requests = new ArrayList<>();
    for (RequestTrace t : run.traces()) {
      EventLog ev = t.events();
      int firstText = ev.firstTextIndex();
      if (t.warmup() || !t.ok() || firstText < 0) {
        continue;
      }
      long firstAt = ev.atNanos(firstText);
      long lastAt = ev.atNanos(ev.lastTextIndex());
      RequestWindows.Window prefill =
          new RequestWindows.Window(t.sendNanos(), firstAt, figures.of(t.sendNanos(), firstAt));
      RequestWindows.Window decode =
          lastAt > firstAt
              ? new RequestWindows.Window(firstAt, lastAt, figures.of(firstAt, lastAt))
              : null;
      requests.add(new RequestWindows(t.id(), prefill, decode));
    }
    long start = window == null ? 0 : window.startNanos();
    long end = window == null ? Math.max(0, run.endNanos()) : window.endNanos();
    List<ResourceFigures> prefills = new ArrayList<>();
    List<ResourceFigures> decodes = new ArrayList<>();
    for (RequestWindows r : requests) {
      prefills.add(r.prefill().figures());
      if (r.decode() != null) {
        decodes.add(r.decode().figures());
      }
    }
    return new Correlation(
        requests, pooled(prefills), pooled(decodes), figures.of(start, Math.max(start, end)));
  }

  /** Mean of each figure over the windows that have it. */
  static ResourceFigures pooled(List<ResourceFigures> windows) {
    Mean cpu = new Mean();
    Mean sm = new Mean();
    Mean watts = new Mean();
    Map<Integer, Mean> byDevice = new TreeMap<>();
    int samples = 0;
    for (ResourceFigures f : windows) {
      cpu.add(f.cpuPercent());
      sm.add(f.gpuSmPercent());
      watts.add(f.powerWatts());
      for (Map.Entry<Integer, Double> e : f.gpuSmPercentByDevice().entrySet()) {
        byDevice.computeIfAbsent(e.getKey(), k -> new Mean()).add(e.getValue());
      }
      samples += f.samples();
    }
    Map<Integer, Double> smByDevice = new TreeMap<>();
    for (Map.Entry<Integer, Mean> e : byDevice.entrySet()) {
      smByDevice.put(e.getKey(), e.getValue().value());
    }
    return new ResourceFigures(cpu.value(), sm.value(), smByDevice, watts.value(), samples);
  }

  private static final class Mean {
    double sum;
    int n;

    void add(Double v) {
      if (v != null && Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }

    Double value() {
      return n == 0 ? null : sum / n;
    }
  }
}
