package io.inferscope.report;

import static io.inferscope.report.Fixtures.GIB;
import static io.inferscope.report.Fixtures.MIB;
import static io.inferscope.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.core.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class HardwareJsonTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @TempDir Path dir;

  static RunResult sampled() {
    return Fixtures.run(Fixtures.standardTraces(), Fixtures.hardware());
  }

  private static JsonNode tree(RunResult run) {
    return MAPPER.readTree(JsonReport.toJson(RunAnalysis.of(run)));
  }

  private static RunResult reread(JsonNode root) {
    return JsonReport.fromJson(MAPPER.writeValueAsString(root));
  }

  @Test
  void roundTripKeepsEveryHardwareSample() throws IOException {
    RunResult run = sampled();
    RunResult back = JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)));
    assertThat(back).isEqualTo(run);
    assertThat(back.hardware()).isEqualTo(Fixtures.hardware());
    // The process with unreadable io, and the one that joined at 1.5 s, come back as they were.
    assertThat(back.hardware().processTree().samples().get(2).processes().get(1).readBytes())
        .isNull();
    assertThat(back.hardware().processTree().samples().get(3).processes()).hasSize(3);

    Path file = dir.resolve("run.json");
    JsonReport.write(RunAnalysis.of(run), file);
    assertThat(JsonReport.read(file)).isEqualTo(run);
  }

  @Test
  void roundTripKeepsUnavailableSourcesAndEveryNullableField() {
    HardwareSamples unavailable =
        new HardwareSamples(
            null,
            Timeline.unavailable("proc", 1000 * MS, "no process listens on port 8000"),
            List.of(),
            Timeline.unavailable("nvml", 500 * MS, "libnvidia-ml.so.1 not found"));
    RunResult run = Fixtures.run(Fixtures.standardTraces(), unavailable);
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)))).isEqualTo(run);

    ProcessStat bare = new ProcessStat(7, 0, null, 0, 0, 0, 0, 1, null, null, null, null);
    ProcessStat odd =
        new ProcessStat(
            8, 7, "name (with) \"quotes\"\n", Long.MAX_VALUE, 1, 2, 3, 4, 5L, 6L, 7L, 8L);
    GpuSample empty =
        new GpuSample(-5, 3, null, null, null, null, null, null, null, null, List.of());
    GpuSample fractional =
        new GpuSample(
            10,
            3,
            0,
            100,
            0L,
            0.1 + 0.2,
            -10,
            0,
            0,
            Long.MAX_VALUE,
            List.of(new GpuProcessUsage(8, null, null), new GpuProcessUsage(9, 1L, 0)));
    HardwareSamples odds =
        new HardwareSamples(
            7,
            new Timeline<>(
                null,
                0,
                List.of(
                    new ProcessTreeSample(0, 7, List.of()),
                    new ProcessTreeSample(1, 7, List.of(bare, odd))),
                null),
            List.of(new GpuDevice(3, null, null, null, null)),
            new Timeline<>("nvml", 1, Fixtures.ticks(List.of(empty, fractional), 1), null));
    RunResult oddRun =
        new RunResult(
            Fixtures.meta(null), Fixtures.clock(), List.of(), 10 * MS, true, "engine gone", odds);
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(oddRun)))).isEqualTo(oddRun);
  }

  @Test
  void hardwareSectionHasTheDocumentedShape() {
    JsonNode h = tree(sampled()).get("hardware");
    assertThat(h.get("engine_pid").asInt()).isEqualTo(4242);

    JsonNode tree = h.get("process_tree");
    assertThat(tree.get("source").asString()).isEqualTo("proc");
    assertThat(tree.get("period_ns").asLong()).isEqualTo(500 * MS);
    assertThat(tree.get("unavailable_reason").isNull()).isTrue();
    JsonNode sample = tree.get("samples").get(3);
    assertThat(sample.get("at_ns").asLong()).isEqualTo(1500 * MS);
    assertThat(sample.get("root_pid").asInt()).isEqualTo(4242);
    JsonNode compile = sample.get("processes").get(2);
    assertThat(compile.get("pid").asInt()).isEqualTo(4400);
    assertThat(compile.get("ppid").asInt()).isEqualTo(4300);
    assertThat(compile.get("name").asString()).isEqualTo("torch_compile");
    assertThat(compile.get("start_ticks").asLong()).isEqualTo(5000);
    assertThat(compile.get("user_cpu_ns").asLong()).isEqualTo(100 * MS);
    assertThat(compile.get("rss_bytes").asLong()).isEqualTo(256 * MIB);
    assertThat(compile.get("threads").asInt()).isEqualTo(8);
    JsonNode engine = sample.get("processes").get(1);
    assertThat(engine.get("involuntary_context_switches").asLong()).isEqualTo(260);
    // Unreadable, not zero.
    assertThat(engine.get("read_bytes").isNull()).isTrue();
    assertThat(engine.get("write_bytes").isNull()).isTrue();

    JsonNode devices = h.get("gpu_devices");
    assertThat(devices.size()).isEqualTo(2);
    assertThat(devices.get(0).get("name").asString()).isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(devices.get(0).get("memory_total_bytes").asLong()).isEqualTo(Fixtures.H100_BYTES);
    assertThat(devices.get(0).get("power_limit_watts").asDouble()).isEqualTo(700.0);
    assertThat(devices.get(1).get("power_limit_watts").isNull()).isTrue();

    JsonNode gpu = h.get("gpu");
    assertThat(gpu.get("source").asString()).isEqualTo("nvml");
    assertThat(gpu.get("samples").size()).isEqualTo(7);
    JsonNode tick = gpu.get("samples").get(1);
    assertThat(tick.get("at_ns").asLong()).isEqualTo(500 * MS);
    assertThat(tick.get("devices").size()).isEqualTo(2);
    JsonNode g1 = tick.get("devices").get(1);
    assertThat(g1.get("at_ns").asLong()).isEqualTo(501 * MS);
    assertThat(g1.get("device_index").asInt()).isEqualTo(1);
    assertThat(g1.get("sm_util_percent").asInt()).isEqualTo(71);
    assertThat(g1.get("power_watts").asDouble()).isEqualTo(300.0);
    assertThat(g1.get("energy_mj").asLong()).isEqualTo(8_150_000L);
    assertThat(g1.get("processes").get(1).get("pid").asInt()).isEqualTo(9999);
    assertThat(g1.get("processes").get(1).get("used_memory_bytes").asLong()).isEqualTo(2 * GIB);
    assertThat(g1.get("processes").get(0).get("sm_util_percent").isNull()).isTrue();
  }

  @Test
  void samplesAreOneLineEach() {
    String json = JsonReport.toJson(RunAnalysis.of(sampled()));
    List<String> gpuLines =
        json.lines()
            .filter(l -> l.contains("{\"at_ns\": ") && l.contains("\"devices\": "))
            .toList();
    assertThat(gpuLines).hasSize(7);
    assertThat(gpuLines)
        .allSatisfy(
            l -> assertThat(l).matches(" +\\{\"at_ns\": \\d+, \"devices\": \\[ \\{.*\\]},?"));
    List<String> processLines = json.lines().filter(l -> l.contains("\"ppid\": ")).toList();
    assertThat(processLines).hasSize(7);
    assertThat(processLines)
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches(
                        " +\\{\"at_ns\": \\d+, \"root_pid\": \\d+, \"processes\": \\[ .*\\]},?"));
    assertThat(json).contains("\"read_bytes\": null, \"write_bytes\": null}");
    assertThat(json.lines()).noneMatch(l -> l.endsWith(" "));
  }

  /**
   * The rows (samples, phases) are the only change to Jackson's pretty layout: a run without
   * requests or samples has none.
   */
  @Test
  void layoutOutsideTheRowsIsJacksonsDefault() {
    ObjectWriter before =
        ReportJson.MAPPER
            .writer()
            .with(
                new DefaultPrettyPrinter(
                        Separators.createDefaultInstance()
                            .withObjectNameValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n")));
    RunAnalysis a = RunAnalysis.of(Fixtures.run(List.of()));
    assertThat(before.writeValueAsString(RunDocument.of(a))).isEqualTo(JsonReport.toJson(a));
  }

  @Test
  void processTreeMetricsCarryHandComputedFigures() {
    JsonNode m = tree(sampled()).get("metrics").get("hardware").get("process_tree");
    assertThat(m.get("root_pid").asInt()).isEqualTo(4242);
    assertThat(m.get("root_name").asString()).isEqualTo("python3");
    assertThat(m.get("samples").asInt()).isEqualTo(7);
    assertThat(m.get("window_ns").asLong()).isEqualTo(3000 * MS);
    // CPU ns grown per 500 ms interval: 500, 500, 500, 700, 800, 750 ms (torch_compile counts only
    // from its second sample): 3750 ms of CPU in 3 s.
    assertThat(m.get("cpu_percent_mean").asDouble()).isCloseTo(125.0, within(1e-9));
    JsonNode cpu = m.get("cpu_percent");
    assertThat(cpu.get("count").asInt()).isEqualTo(6);
    assertThat(cpu.get("min").asDouble()).isCloseTo(100.0, within(1e-9));
    assertThat(cpu.get("p50").asDouble()).isCloseTo(120.0, within(1e-9));
    assertThat(cpu.get("p90").asDouble()).isCloseTo(155.0, within(1e-9));
    assertThat(cpu.get("max").asDouble()).isCloseTo(160.0, within(1e-9));
    assertThat(m.get("root_cpu_percent_mean").asDouble()).isCloseTo(10.0, within(1e-9));
    assertThat(m.get("descendants_cpu_percent_mean").asDouble()).isCloseTo(115.0, within(1e-9));
    assertThat(m.get("rss_bytes").get("min").asDouble()).isEqualTo(1936.0 * MIB);
    assertThat(m.get("rss_bytes").get("max").asDouble()).isEqualTo(2576.0 * MIB);
    assertThat(m.get("rss_bytes_final").asLong()).isEqualTo(2576 * MIB);
    assertThat(m.get("threads_final").asInt()).isEqualTo(168);
    assertThat(m.get("process_count").get("min").asDouble()).isEqualTo(2.0);
    assertThat(m.get("process_count").get("max").asDouble()).isEqualTo(3.0);
    assertThat(m.get("processes").size()).isEqualTo(3);
    // (6 x 1100 + 3 x 10) voluntary and (6 x 21 + 3 x 2) involuntary switches in 3 s.
    assertThat(m.get("voluntary_context_switches_per_second").asDouble())
        .isCloseTo(2210.0, within(1e-9));
    assertThat(m.get("involuntary_context_switches_per_second").asDouble())
        .isCloseTo(44.0, within(1e-9));
    // The engine core's io is unreadable: the totals are the other two processes'.
    assertThat(m.get("read_bytes_total").asLong()).isEqualTo(6 * MIB);
    assertThat(m.get("write_bytes_total").asLong()).isEqualTo(60 * 1024);
    JsonNode top = m.get("processes");
    assertThat(top.size()).isEqualTo(3);
    assertThat(top.get(0).get("pid").asInt()).isEqualTo(4300);
    assertThat(top.get(0).get("cpu_percent_mean").asDouble()).isCloseTo(90.0, within(1e-9));
    assertThat(top.get(0).get("rss_bytes_max").asLong()).isEqualTo(1920 * MIB);
    assertThat(top.get(1).get("name").asString()).isEqualTo("torch_compile");
    assertThat(top.get(1).get("first_seen_ns").asLong()).isEqualTo(1500 * MS);
    assertThat(top.get(1).get("samples").asInt()).isEqualTo(4);
    assertThat(top.get(1).get("cpu_percent_mean").asDouble()).isCloseTo(50.0, within(1e-9));
    assertThat(tree(sampled()).get("metrics").get("hardware").get("wrapper_warning").isNull())
        .isTrue();
  }

  @Test
  void gpuMetricsCoverTheMeasuredWindow() {
    JsonNode h = tree(sampled()).get("metrics").get("hardware");
    assertThat(h.get("gpu_window_measured").asBoolean()).isTrue();
    assertThat(h.get("gpu_window_start_ns").asLong()).isEqualTo(100 * MS);
    assertThat(h.get("gpu_window_end_ns").asLong()).isEqualTo(2700 * MS);
    assertThat(h.get("output_tokens").asLong()).isEqualTo(18);
    JsonNode m = h.get("gpu");
    JsonNode d0 = m.get("devices").get(0);
    JsonNode d1 = m.get("devices").get(1);
    assertThat(d0.get("uuid").asString()).startsWith("GPU-0a1b2c3d");
    // Samples inside 100..2700 ms: 500 to 2500 ms (and 501 to 2501 ms on GPU 1).
    assertThat(d1.get("samples").asInt()).isEqualTo(5);
    assertThat(d1.get("sm_util_percent").get("mean").asDouble()).isEqualTo(73.0);
    assertThat(d1.get("power_watts").get("mean").asDouble()).isEqualTo(320.0);
    assertThat(d0.get("temperature_celsius").get("max").asDouble()).isEqualTo(65.0);
    // 400 W for 2.6 s.
    assertThat(d0.get("energy_joules").asDouble()).isCloseTo(1040.0, within(1e-9));
    // The counter between its readings around 100 ms (+150 J over 1..501 ms) and 2700 ms (+100 J
    // over 2501..3001 ms): 850 J of whole intervals, minus 29.7 J before, plus 39.8 J after.
    assertThat(d1.get("energy_joules").asDouble()).isCloseTo(860.1, within(1e-9));
    assertThat(d1.get("energy_source").asString()).isEqualTo("counter");
    assertThat(d1.get("energy_span_ns").asLong()).isEqualTo(2600 * MS);
    JsonNode p = d1.get("processes");
    assertThat(p.get(0).get("pid").asInt()).isEqualTo(4300);
    assertThat(p.get(0).get("max_memory_used_bytes").asLong()).isEqualTo(66 * GIB);
    assertThat(p.get(0).get("max_sm_util_percent").isNull()).isTrue();
    assertThat(p.get(1).get("pid").asInt()).isEqualTo(9999);
    // Which of them is the engine's: the pids seen in its tree.
    assertThat(h.get("engine_pids").toString()).isEqualTo("[4242,4300,4400]");
    assertThat(m.get("energy_joules").asDouble()).isCloseTo(1900.1, within(1e-9));
    assertThat(m.get("tokens_per_joule").asDouble()).isCloseTo(18 / 1900.1, within(1e-12));
    assertThat(m.get("imbalance").isNull()).isTrue();
  }

  @Test
  void withoutRequestsTheGpuWindowIsTheWholeSamplingSpan() {
    JsonNode m = tree(Fixtures.sampleOnly(Fixtures.hardware())).get("metrics").get("hardware");
    JsonNode gpu = m.get("gpu");
    assertThat(m.get("gpu_window_measured").asBoolean()).isFalse();
    assertThat(m.get("gpu_window_start_ns").asLong()).isZero();
    assertThat(m.get("gpu_window_end_ns").asLong()).isEqualTo(3001 * MS);
    assertThat(gpu.get("devices").get(0).get("samples").asInt()).isEqualTo(7);
    // Device 0 was last read at 3000 ms, the span ends at 3001 ms (device 1's last read): its
    // last millisecond is held at 400 W; device 1's first (read at 1 ms) at 300 W.
    assertThat(gpu.get("devices").get(0).get("energy_joules").asDouble())
        .isCloseTo(1200.4, within(1e-9));
    assertThat(gpu.get("devices").get(0).get("energy_extrapolated_ns").asLong()).isEqualTo(MS);
    assertThat(gpu.get("devices").get(1).get("energy_joules").asDouble())
        .isCloseTo(950.3, within(1e-9));
    assertThat(m.get("output_tokens").isNull()).isTrue();
    assertThat(gpu.get("tokens_per_joule").isNull()).isTrue();
    assertThat(m.get("process_tree").get("cpu_percent_mean").asDouble())
        .isCloseTo(125.0, within(1e-9));
  }

  @Test
  void sourcesNotSampledHaveNoFigures() {
    JsonNode none = tree(Fixtures.standardRun());
    assertThat(none.get("hardware").get("engine_pid").isNull()).isTrue();
    assertThat(none.get("hardware").get("process_tree").isNull()).isTrue();
    assertThat(none.get("hardware").get("gpu_devices").size()).isZero();
    assertThat(none.get("hardware").get("gpu").isNull()).isTrue();
    assertThat(none.get("metrics").get("hardware").get("process_tree").isNull()).isTrue();
    assertThat(none.get("metrics").get("hardware").get("gpu").isNull()).isTrue();

    HardwareSamples unavailable =
        new HardwareSamples(
            4242,
            Fixtures.processTree(),
            List.of(),
            Timeline.unavailable("nvml", 500 * MS, "libnvidia-ml.so.1 not found"));
    JsonNode root = tree(Fixtures.run(Fixtures.standardTraces(), unavailable));
    JsonNode gpu = root.get("hardware").get("gpu");
    assertThat(gpu.get("unavailable_reason").asString()).isEqualTo("libnvidia-ml.so.1 not found");
    assertThat(gpu.get("samples").size()).isZero();
    assertThat(root.get("metrics").get("hardware").get("gpu").isNull()).isTrue();
    assertThat(root.get("metrics").get("hardware").get("process_tree").isObject()).isTrue();
  }

  @Test
  void gpuProcessesAreNotJudgedWhenTheTreeWasNotSampled() {
    HardwareSamples gpuOnly =
        new HardwareSamples(null, null, Fixtures.gpuDevices(), Fixtures.gpu());
    JsonNode h =
        tree(Fixtures.run(Fixtures.standardTraces(), gpuOnly)).get("metrics").get("hardware");
    assertThat(h.get("gpu").get("devices").get(1).get("processes").size()).isEqualTo(2);
    assertThat(h.get("engine_pids").isNull()).isTrue();
  }

  @Test
  void wrapperAndImbalanceAreFlagged() {
    JsonNode m =
        tree(Fixtures.run(Fixtures.standardTraces(), wrapperOnIdleGpu()))
            .get("metrics")
            .get("hardware");
    assertThat(m.get("wrapper_warning").asString())
        .startsWith("engine PID 4242 (sh) looks like a wrapper");
    JsonNode imbalance = m.get("gpu").get("imbalance");
    assertThat(imbalance.get("spread_percent_points").asDouble()).isCloseTo(88.0, within(1e-9));
    assertThat(imbalance.get("idle_device_indexes").size()).isEqualTo(1);
    assertThat(imbalance.get("idle_device_indexes").get(0).asInt()).isEqualTo(1);
    assertThat(imbalance.get("message").asString()).startsWith("1 of 2 GPUs idle");
  }

  /**
   * Root {@code sh} (1 ms CPU per 500 ms) over a busy child; GPU 0 at 90 % SM, GPU 1 at 2 %. Shared
   * with the text report's tests.
   */
  static HardwareSamples wrapperOnIdleGpu() {
    List<ProcessTreeSample> samples = new ArrayList<>();
    for (int i = 0; i <= 6; i++) {
      samples.add(
          new ProcessTreeSample(
              500 * MS * i,
              4242,
              List.of(
                  new ProcessStat(4242, 1, "sh", 10, i * MS, 0, MIB, 1, 0L, 0L, 0L, 0L),
                  new ProcessStat(
                      4243, 4242, "python3", 11, 400 * MS * i, 0, GIB, 50, 0L, 0L, 0L, 0L))));
    }
    List<GpuSample> gpu = new ArrayList<>();
    for (int i = 0; i <= 6; i++) {
      for (int d = 0; d < 2; d++) {
        gpu.add(
            new GpuSample(
                500 * MS * i + d * MS,
                d,
                d == 0 ? 90 : 2,
                10,
                GIB,
                100.0,
                40,
                1500,
                2600,
                null,
                List.of(new GpuProcessUsage(4243, GIB, null))));
      }
    }
    return new HardwareSamples(
        4242,
        new Timeline<>("proc", 500 * MS, samples, null),
        Fixtures.gpuDevices(),
        new Timeline<>("nvml", 500 * MS, Fixtures.ticks(gpu, 2), null));
  }

  @Test
  void aNullHardwareSectionReadsAsNothingSampledAndAMissingOneIsRefused() {
    ObjectNode root = (ObjectNode) tree(sampled());
    root.putNull("hardware");
    RunResult back = reread(root);
    assertThat(back.hardware()).isEqualTo(HardwareSamples.none());
    assertThat(back).isEqualTo(Fixtures.standardRun());

    root.remove("hardware");
    assertThatThrownBy(() -> reread(root)).hasMessage("run JSON: missing field hardware");
  }

  @Test
  void wrongHardwareFieldsAreNamedWithTheirPath() {
    ObjectNode root = (ObjectNode) tree(sampled());
    ((ObjectNode) root.get("hardware").get("gpu").get("samples").get(2).get("devices").get(1))
        .put("device_index", "one");
    assertThatThrownBy(() -> reread(root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "run JSON: hardware.gpu.samples[2].devices[1].device_index:"
                + " expected an integer, found a string");

    ObjectNode root2 = (ObjectNode) tree(sampled());
    ((ObjectNode)
            root2.get("hardware").get("process_tree").get("samples").get(4).get("processes").get(1))
        .remove("rss_bytes");
    assertThatThrownBy(() -> reread(root2))
        .hasMessage(
            "run JSON: hardware.process_tree.samples[4].processes[1]: missing field rss_bytes");

    ObjectNode root3 = (ObjectNode) tree(sampled());
    ((ObjectNode) root3.get("hardware")).remove("gpu_devices");
    assertThatThrownBy(() -> reread(root3))
        .hasMessage("run JSON: hardware: missing field gpu_devices");

    ObjectNode root4 = (ObjectNode) tree(sampled());
    ((ObjectNode) root4.get("hardware").get("gpu")).put("samples", 3);
    assertThatThrownBy(() -> reread(root4))
        .hasMessage("run JSON: hardware.gpu.samples: expected an array, found an integer");

    ObjectNode root5 = (ObjectNode) tree(sampled());
    ((ArrayNode) root5.get("hardware").get("gpu_devices")).add("GPU 2");
    assertThatThrownBy(() -> reread(root5))
        .hasMessage("run JSON: hardware.gpu_devices[2]: expected an object, found a string");

    ObjectNode root6 = (ObjectNode) tree(sampled());
    ((ObjectNode) root6.get("hardware").get("process_tree")).remove("period_ns");
    assertThatThrownBy(() -> reread(root6))
        .hasMessage("run JSON: hardware.process_tree: missing field period_ns");
  }

  @Test
  void unknownHardwareFieldsAreRefusedAndDerivedFiguresAreNotRead() {
    RunResult run = sampled();
    ObjectNode root = (ObjectNode) tree(run);
    ((ObjectNode) root.get("metrics").get("hardware").get("gpu")).put("energy_joules", 1);
    assertThat(reread(root)).isEqualTo(run);
    ((ObjectNode) root.get("hardware").get("gpu").get("samples").get(0)).put("fan_percent", 30);
    assertThatThrownBy(() -> reread(root))
        .hasMessage(
            "run JSON: hardware.gpu.samples[0]: unknown field fan_percent"
                + " (schema 5 has no such field)");
  }
}
