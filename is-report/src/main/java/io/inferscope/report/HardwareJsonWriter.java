package io.inferscope.report;

import io.inferscope.core.Correlation;
import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuMetrics;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessAggregate;
import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeMetrics;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.ResourceFigures;
import io.inferscope.core.Timeline;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Writes the {@code hardware} section (every sample, read back exactly) and the hardware part of
 * {@code metrics} (derived, never read). Process and GPU samples are rows, one line each (see
 * {@link ReportPrettyPrinter}): the shape stays plain objects for any reader, the file stays a line
 * per sample rather than a dozen.
 */
final class HardwareJsonWriter {

  /** Processes listed under {@code metrics.process_tree.top_processes}; the samples hold all. */
  static final int TOP_PROCESSES = 10;

  private final RunJsonWriter w;
  private final JsonGenerator g;

  HardwareJsonWriter(RunJsonWriter w, JsonGenerator g) {
    this.w = w;
    this.g = g;
  }

  void samples(HardwareSamples h) {
    g.writeObjectPropertyStart("hardware");
    w.number("engine_pid", h.enginePid());
    processTree(h.processTree());
    ReportPrettyPrinter.rows(g);
    g.writeArrayPropertyStart("gpu_devices");
    for (GpuDevice d : h.gpuDevices()) {
      g.writeStartObject();
      g.writeNumberProperty("index", d.index());
      w.string("name", d.name());
      w.string("uuid", d.uuid());
      w.number("memory_total_bytes", d.memoryTotalBytes());
      w.number("power_limit_watts", d.powerLimitWatts());
      g.writeEndObject();
    }
    g.writeEndArray();
    gpu(h.gpu());
    g.writeEndObject();
  }

  private void processTree(Timeline<ProcessTreeSample> t) {
    if (timelineStart("process_tree", t)) {
      return;
    }
    g.writeArrayPropertyStart("samples");
    for (ProcessTreeSample s : t.samples()) {
      g.writeStartObject();
      g.writeNumberProperty("at_ns", s.atNanos());
      g.writeNumberProperty("root_pid", s.rootPid());
      ReportPrettyPrinter.rows(g);
      g.writeArrayPropertyStart("processes");
      for (ProcessStat p : s.processes()) {
        process(p);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void process(ProcessStat p) {
    g.writeStartObject();
    g.writeNumberProperty("pid", p.pid());
    g.writeNumberProperty("ppid", p.ppid());
    w.string("name", p.name());
    g.writeNumberProperty("start_ticks", p.startTicks());
    g.writeNumberProperty("user_cpu_ns", p.userCpuNanos());
    g.writeNumberProperty("system_cpu_ns", p.systemCpuNanos());
    g.writeNumberProperty("rss_bytes", p.rssBytes());
    g.writeNumberProperty("threads", p.threads());
    w.number("voluntary_context_switches", p.voluntaryContextSwitches());
    w.number("involuntary_context_switches", p.involuntaryContextSwitches());
    w.number("read_bytes", p.readBytes());
    w.number("write_bytes", p.writeBytes());
    g.writeEndObject();
  }

  private void gpu(Timeline<GpuSample> t) {
    if (timelineStart("gpu", t)) {
      return;
    }
    ReportPrettyPrinter.rows(g);
    g.writeArrayPropertyStart("samples");
    for (GpuSample s : t.samples()) {
      g.writeStartObject();
      g.writeNumberProperty("at_ns", s.atNanos());
      g.writeNumberProperty("device", s.deviceIndex());
      w.number("sm_util_percent", s.smUtilPercent());
      w.number("memory_util_percent", s.memoryUtilPercent());
      w.number("memory_used_bytes", s.memoryUsedBytes());
      w.number("power_watts", s.powerWatts());
      w.number("temperature_celsius", s.temperatureCelsius());
      w.number("sm_clock_mhz", s.smClockMhz());
      w.number("memory_clock_mhz", s.memoryClockMhz());
      w.number("energy_mj", s.energyMillijoules());
      g.writeArrayPropertyStart("processes");
      for (GpuProcessUsage p : s.processes()) {
        g.writeStartObject();
        g.writeNumberProperty("pid", p.pid());
        w.number("used_memory_bytes", p.usedMemoryBytes());
        w.number("sm_util_percent", p.smUtilPercent());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Writes a timeline's name and its fields before the samples; true when it wrote null instead
   * (not sampled), so there is nothing more to write.
   */
  private boolean timelineStart(String name, Timeline<?> t) {
    if (t == null) {
      g.writeNullProperty(name);
      return true;
    }
    g.writeObjectPropertyStart(name);
    w.string("source", t.source());
    g.writeNumberProperty("period_ns", t.periodNanos());
    w.string("unavailable_reason", t.unavailableReason());
    return false;
  }

  /** {@code metrics.process_tree} and {@code metrics.gpu}. */
  void metrics(HardwareFigures f) {
    treeMetrics(f);
    gpuMetrics(f);
  }

  /**
   * {@code metrics.correlation}: the hardware figures over prefill windows, decode windows and the
   * whole run (each null when nothing was sampled).
   */
  void correlation(Correlation c) {
    g.writeObjectPropertyStart("correlation");
    figures("prefill", c.prefill());
    figures("decode", c.decode());
    figures("whole_run", c.wholeRun());
    g.writeEndObject();
  }

  private void figures(String name, ResourceFigures f) {
    g.writeObjectPropertyStart(name);
    w.number("cpu_percent", f.cpuPercent());
    w.number("gpu_sm_percent", f.gpuSmPercent());
    g.writeObjectPropertyStart("gpu_sm_percent_by_device");
    for (Map.Entry<Integer, Double> e : f.gpuSmPercentByDevice().entrySet()) {
      w.number(Integer.toString(e.getKey()), e.getValue());
    }
    g.writeEndObject();
    w.number("power_watts", f.powerWatts());
    g.writeNumberProperty("samples", f.samples());
    g.writeEndObject();
  }

  private void treeMetrics(HardwareFigures f) {
    ProcessTreeMetrics m = f.tree();
    if (m == null) {
      g.writeNullProperty("process_tree");
      return;
    }
    g.writeObjectPropertyStart("process_tree");
    w.number("root_pid", m.rootPid());
    w.string("root_name", m.rootName());
    g.writeNumberProperty("samples", m.samples());
    w.number("window_ns", m.windowNanos());
    w.number("cpu_percent_mean", m.cpuPercentMean());
    w.summary("cpu_percent", m.cpuPercent());
    w.number("root_cpu_percent_mean", m.rootCpuPercentMean());
    w.number("descendants_cpu_percent_mean", m.descendantsCpuPercentMean());
    w.summary("rss_bytes", m.rssBytes());
    w.number("rss_bytes_final", m.rssBytesFinal());
    w.summary("threads", m.threads());
    w.number("threads_final", m.threadsFinal());
    w.summary("process_count", m.processCount());
    g.writeNumberProperty("processes_seen", m.processes().size());
    w.number("voluntary_context_switches_per_second", m.voluntaryContextSwitchesPerSecond());
    w.number("involuntary_context_switches_per_second", m.involuntaryContextSwitchesPerSecond());
    w.number("read_bytes_total", m.readBytesTotal());
    w.number("write_bytes_total", m.writeBytesTotal());
    ReportPrettyPrinter.rows(g);
    g.writeArrayPropertyStart("top_processes");
    List<ProcessAggregate> top = m.processes();
    for (ProcessAggregate p : top.subList(0, Math.min(TOP_PROCESSES, top.size()))) {
      g.writeStartObject();
      g.writeNumberProperty("pid", p.pid());
      g.writeNumberProperty("start_ticks", p.startTicks());
      w.string("name", p.name());
      g.writeNumberProperty("samples", p.samples());
      g.writeNumberProperty("first_seen_ns", p.firstSeenNanos());
      g.writeNumberProperty("last_seen_ns", p.lastSeenNanos());
      w.number("cpu_percent_mean", p.cpuPercentMean());
      g.writeNumberProperty("rss_bytes_max", p.rssBytesMax());
      g.writeNumberProperty("threads_max", p.threadsMax());
      g.writeEndObject();
    }
    g.writeEndArray();
    w.string("wrapper_warning", f.wrapperWarning());
    g.writeEndObject();
  }

  private void gpuMetrics(HardwareFigures f) {
    GpuMetrics m = f.gpu();
    if (m == null) {
      g.writeNullProperty("gpu");
      return;
    }
    g.writeObjectPropertyStart("gpu");
    g.writeStringProperty("window", f.gpuWindowMeasured() ? "measured" : "sampling_span");
    g.writeNumberProperty("window_start_ns", f.gpuWindowStartNanos());
    g.writeNumberProperty("window_end_ns", f.gpuWindowEndNanos());
    g.writeArrayPropertyStart("devices");
    for (GpuMetrics.Device d : m.devices()) {
      device(f, d);
    }
    g.writeEndArray();
    w.number("energy_joules", m.energyJoules());
    w.number("output_tokens", f.outputTokens());
    w.number("tokens_per_joule", m.tokensPerJoule());
    GpuMetrics.Imbalance i = m.imbalance();
    if (i == null) {
      g.writeNullProperty("imbalance");
    } else {
      g.writeObjectPropertyStart("imbalance");
      w.number("spread_percent_points", i.spreadPercentPoints());
      g.writeArrayPropertyStart("idle_devices");
      for (int index : i.idleDeviceIndexes()) {
        g.writeNumber(index);
      }
      g.writeEndArray();
      w.string("message", i.message());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private void device(HardwareFigures f, GpuMetrics.Device d) {
    g.writeStartObject();
    g.writeNumberProperty("index", d.index());
    w.string("name", d.name());
    w.string("uuid", d.uuid());
    GpuDevice listed = f.device(d.index());
    w.number("memory_total_bytes", listed == null ? null : listed.memoryTotalBytes());
    w.number("power_limit_watts", listed == null ? null : listed.powerLimitWatts());
    g.writeNumberProperty("samples", d.samples());
    w.summary("sm_util_percent", d.smUtilPercent());
    w.summary("memory_util_percent", d.memoryUtilPercent());
    w.summary("memory_used_bytes", d.memoryUsedBytes());
    w.summary("power_watts", d.powerWatts());
    w.summary("temperature_celsius", d.temperatureCelsius());
    w.summary("sm_clock_mhz", d.smClockMhz());
    w.summary("memory_clock_mhz", d.memoryClockMhz());
    w.number("energy_joules", d.energyJoules());
    w.string("energy_source", d.energySource() == null ? null : d.energySource().label());
    w.number("energy_span_ns", d.energySpanNanos());
    ReportPrettyPrinter.rows(g);
    g.writeArrayPropertyStart("processes");
    for (GpuMetrics.ProcessPeak p : d.processes()) {
      g.writeStartObject();
      g.writeNumberProperty("pid", p.pid());
      w.number("max_memory_used_bytes", p.maxMemoryUsedBytes());
      w.number("max_sm_util_percent", p.maxSmUtilPercent());
      Boolean engine = f.isEngine(p.pid());
      if (engine == null) {
        g.writeNullProperty("engine");
      } else {
        g.writeBooleanProperty("engine", engine);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
