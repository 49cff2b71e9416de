package io.inferscope.report;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import io.inferscope.core.HardwareFigures;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.ProcessTreeSeries;
import io.inferscope.core.Timeline;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/** The hardware members of {@link HtmlChartData}: the engine's process tree and its GPUs. */
final class HtmlHardwareData {

  private static final double MIB = 1024.0 * 1024;
  private static final double GIB = 1024 * MIB;

  private HtmlHardwareData() {}

  /**
   * Tree CPU (percent of one core) and RSS (MiB) per sample. CPU belongs to the interval ending at
   * a sample, so the first sample has none.
   */
  static void process(JsonGenerator g, ChartNotes notes, HardwareSamples h, HardwareFigures f) {
    g.writeObjectPropertyStart("process");
    String absent = absent("Process tree", h.processTree());
    if (absent != null) {
      notes.unavailable(g, "process", absent);
      g.writeEndObject();
      return;
    }
    List<ProcessTreeSample> samples = h.processTree().samples();
    ProcessTreeSeries s = f.processTree().series();
    int[] pick = HtmlChartData.evenly(samples.size(), HtmlChartData.MAX_HARDWARE_POINTS);
    note(g, notes, "process", pick.length, samples.size(), "process samples");
    g.writeArrayPropertyStart("t_ms");
    for (int i : pick) {
      g.writeNumber(HtmlChartData.ms(s.sampleAtNanos()[i]));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("cpu_percent");
    for (int i : pick) {
      double cpu = i == 0 ? Double.NaN : s.cpuPercent()[i - 1];
      number(g, Double.isFinite(cpu) ? cpu : null);
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("rss_mib");
    for (int i : pick) {
      g.writeNumber(s.rssBytes()[i] / MIB);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * One row per sampling tick (stamped at its first read), one column per device: SM %, VRAM in use
   * (GiB) and power (W); a figure the driver did not give is null.
   */
  static void gpu(JsonGenerator g, ChartNotes notes, HardwareSamples h) {
    g.writeObjectPropertyStart("gpu");
    String absent = absent("GPU", h.gpu());
    if (absent != null) {
      notes.unavailable(g, "gpu", absent);
      g.writeEndObject();
      return;
    }
    List<Integer> indices = new ArrayList<>();
    for (GpuDevice d : h.gpuDevices()) {
      indices.add(d.index());
    }
    List<GpuTick> ticks = h.gpu().samples();
    for (GpuTick tick : ticks) {
      for (GpuSample s : tick.devices()) {
        if (!indices.contains(s.deviceIndex())) {
          indices.add(s.deviceIndex());
        }
      }
    }
    int[] pick = HtmlChartData.evenly(ticks.size(), HtmlChartData.MAX_HARDWARE_POINTS);
    note(g, notes, "gpu", pick.length, ticks.size(), "GPU samples per device");
    GpuSample[][] rows = new GpuSample[pick.length][indices.size()];
    for (int r = 0; r < pick.length; r++) {
      for (GpuSample s : ticks.get(pick[r]).devices()) {
        rows[r][indices.indexOf(s.deviceIndex())] = s;
      }
    }
    g.writeArrayPropertyStart("devices");
    for (int index : indices) {
      g.writeStartObject();
      g.writeNumberProperty("index", index);
      GpuDevice d = h.gpuDevice(index);
      g.writeStringProperty("name", d == null || d.name() == null ? null : d.name());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("t_ms");
    for (int r = 0; r < pick.length; r++) {
      g.writeNumber(HtmlChartData.ms(ticks.get(pick[r]).atNanos()));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("sm_percent");
    for (int c = 0; c < indices.size(); c++) {
      g.writeStartArray();
      for (GpuSample[] row : rows) {
        Integer v = row[c] == null ? null : row[c].smUtilPercent();
        number(g, v == null ? null : v.doubleValue());
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("vram_gib");
    for (int c = 0; c < indices.size(); c++) {
      g.writeStartArray();
      for (GpuSample[] row : rows) {
        Long v = row[c] == null ? null : row[c].memoryUsedBytes();
        number(g, v == null ? null : v / GIB);
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("power_w");
    for (int c = 0; c < indices.size(); c++) {
      g.writeStartArray();
      for (GpuSample[] row : rows) {
        number(g, row[c] == null ? null : row[c].powerWatts());
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * The engine's own gauges at each read of its {@code /metrics}: requests running and waiting, and
   * KV-cache usage in percent; a gauge the engine does not give is null.
   */
  static void engine(JsonGenerator g, ChartNotes notes, io.inferscope.core.EngineView e) {
    g.writeObjectPropertyStart("engine");
    String absent =
        e.unavailableReason() != null
            ? (e.unavailableReason().equals("not read")
                ? "Engine view: not read"
                : "Engine view: not available (" + Fmt.singleLine(e.unavailableReason()) + ")")
            : e.points().isEmpty() ? "Engine view: no reads of /metrics" : null;
    if (absent != null) {
      notes.unavailable(g, "engine", absent);
      g.writeEndObject();
      return;
    }
    List<io.inferscope.core.EngineView.Point> points = e.points();
    int[] pick = HtmlChartData.evenly(points.size(), HtmlChartData.MAX_HARDWARE_POINTS);
    note(g, notes, "engine", pick.length, points.size(), "reads");
    g.writeStringProperty("engine", e.engine().name().toLowerCase(java.util.Locale.ROOT));
    g.writeArrayPropertyStart("t_ms");
    for (int i : pick) {
      g.writeNumber(HtmlChartData.ms(points.get(i).atNanos()));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("running");
    for (int i : pick) {
      number(g, points.get(i).running());
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("waiting");
    for (int i : pick) {
      number(g, points.get(i).waiting());
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("kv_percent");
    for (int i : pick) {
      Double kv = points.get(i).kvUsage();
      number(g, kv == null ? null : kv * 100);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The line shown instead of a source's chart, or null when there is something to draw. */
  static String absent(String what, Timeline<?> t) {
    if (t == null) {
      return what + ": not sampled";
    }
    if (!t.available()) {
      return what + ": not available (" + Fmt.singleLine(t.unavailableReason()) + ")";
    }
    if (t.samples().isEmpty()) {
      return what + ": no samples were taken";
    }
    return null;
  }

  private static void note(
      JsonGenerator g, ChartNotes notes, String chart, int shown, int total, String what) {
    if (shown < total) {
      notes.note(g, chart, "showing " + shown + " of " + total + " " + what + ", evenly spaced");
    }
  }

  private static void number(JsonGenerator g, Double v) {
    if (v == null || !Double.isFinite(v)) {
      g.writeNull();
    } else {
      g.writeNumber(v);
    }
  }
}
