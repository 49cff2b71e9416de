package io.inferscope.report;

import static io.inferscope.report.Fixtures.MIB;
import static io.inferscope.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.Timeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HardwareTextTest {

  private static String render(HardwareSamples h) {
    return TextReport.render(RunAnalysis.of(Fixtures.run(Fixtures.standardTraces(), h)));
  }

  /** The one line that starts with {@code prefix}. */
  private static String line(String report, String prefix) {
    List<String> found = report.lines().filter(l -> l.startsWith(prefix)).toList();
    assertThat(found).as("line starting with '%s' in:%n%s", prefix, report).hasSize(1);
    return found.get(0);
  }

  private static String kv(String report, String key) {
    return line(report, "  " + Fmt.padRight(key, TextReport.KEY_WIDTH));
  }

  private static List<String> cells(String row) {
    return Arrays.asList(row.trim().split(" {2,}"));
  }

  private static long count(String report, String text) {
    return report.lines().filter(l -> l.contains(text)).count();
  }

  private static void assertFits(String report) {
    assertThat(report.lines())
        .allSatisfy(
            l -> {
              assertThat(l.length()).as(l).isLessThanOrEqualTo(TextReport.WIDTH);
              assertThat(l).as(l).doesNotEndWith(" ");
            });
  }

  @Test
  void processTreeSectionHasHandComputedFigures() {
    String r = render(Fixtures.hardware());
    assertThat(r).contains("\nProcess tree (7 samples over 3.000 s, every 500.0 ms)\n");
    assertThat(kv(r, "engine PID")).endsWith("4242 (python3)");
    assertThat(kv(r, "processes")).endsWith("2 to 3 alive at a time, 3 seen in all");
    // Tree CPU per interval 100, 100, 100, 140, 160, 150 % of a core.
    assertThat(kv(r, "CPU % of one core"))
        .endsWith("mean 125.0 · p50 120.0 · p90 155.0 · peak 160.0");
    // Tree RSS from 1936 MiB to 2576 MiB, 15920 MiB over 7 samples on average.
    assertThat(kv(r, "RSS total"))
        .endsWith("min 1.891 GiB · mean 2.221 GiB · max 2.516 GiB · final 2.516 GiB");
    assertThat(kv(r, "threads")).endsWith("final 168 · max 168");
    assertThat(kv(r, "ctx switches (main)")).endsWith("2210 voluntary/s · 44.00 involuntary/s");
    assertThat(kv(r, "disk I/O")).endsWith("read 6.000 MiB · written 60.00 KiB");
    assertThat(r).doesNotContain("WARNING: engine PID");
  }

  @Test
  void topProcessesAreRankedByCpu() {
    String r = render(Fixtures.hardware());
    assertThat(r).contains("  top processes by CPU\n");
    assertThat(cells(line(r, "        4300  VLLM")))
        .containsExactly("4300", "VLLM::EngineCor", "90.00", "1.875 GiB", "120", "start");
    // Joined at 1.5 s.
    assertThat(cells(line(r, "        4400  torch")))
        .containsExactly("4400", "torch_compile", "50.00", "256.0 MiB", "8", "1.500 s");
    assertThat(r.indexOf("4300  VLLM")).isLessThan(r.indexOf("4400  torch"));
    assertThat(r.indexOf("4400  torch")).isLessThan(r.indexOf("4242  python3"));

    // Seven processes: the five busiest are listed, the rest counted.
    List<ProcessTreeSample> samples = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<ProcessStat> processes = new ArrayList<>();
      for (int p = 0; p < 7; p++) {
        processes.add(
            new ProcessStat(
                100 + p, 1, "worker-" + p, p, i * p * 10 * MS, 0, MIB, 1, null, null, null, null));
      }
      samples.add(new ProcessTreeSample(i * 1000 * MS, 100, processes));
    }
    HardwareSamples many =
        new HardwareSamples(100, new Timeline<>("proc", 1000 * MS, samples, null), List.of(), null);
    String m = render(many);
    assertThat(m).contains("worker-6").contains("worker-2").doesNotContain("worker-1 ");
    assertThat(m).contains("    (2 more)\n");
    // Nothing readable from io: said once, not as zero.
    assertThat(kv(m, "disk I/O")).endsWith("- (/proc/PID/io not readable)");
    assertThat(kv(m, "ctx switches (main)")).endsWith("- voluntary/s · - involuntary/s");
  }

  @Test
  void aWrapperRootAndAnIdleGpuAreWarnedAboutWithinTheWidth() {
    String r = render(HardwareJsonTest.wrapperOnIdleGpu());
    assertThat(r).contains("  WARNING: engine PID 4242 (sh) looks like a wrapper");
    assertThat(r)
        .contains("  WARNING: 1 of 2 GPUs idle (mean SM: GPU 1 2%) while GPU 0 averaged 90%");
    // The wrapper message is longer than a line: continued, not cut.
    assertThat(r).doesNotContain("...");
    assertThat(r).contains("descendants 80.0 %)");
    // No energy counter: integrated from power on both devices (100 W for 2.6 s each).
    assertThat(r).contains("  energy of GPU 0, 1 integrated from power samples");
    assertThat(kv(r, "energy (all GPUs)")).endsWith("520.0 J");
    assertFits(r);
  }

  @Test
  void oneSampleIsNotAnUnreadableDiskCounter() {
    Timeline<io.inferscope.core.ProcessTreeSample> all = Fixtures.processTree();
    HardwareSamples one =
        new HardwareSamples(
            4242,
            new Timeline<>("proc", all.periodNanos(), all.samples().subList(0, 1), null),
            List.of(),
            null);
    assertThat(kv(render(one), "disk I/O")).endsWith("- (one sample: no interval to measure)");
    assertThat(kv(render(Fixtures.hardware()), "disk I/O")).contains(" read ", " written ");
  }

  @Test
  void timelinesWithoutSamplesShowDashes() {
    HardwareSamples empty =
        new HardwareSamples(
            4242,
            new Timeline<>("proc", 500 * MS, List.of(), null),
            Fixtures.gpuDevices().subList(0, 1),
            new Timeline<>("nvml", 500 * MS, List.of(), null));
    RunResult run = Fixtures.run(Fixtures.standardTraces(), empty);
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)))).isEqualTo(run);
    String r = TextReport.render(RunAnalysis.of(run));
    assertThat(r).contains("\nProcess tree (0 samples, every 500.0 ms)\n");
    assertThat(kv(r, "engine PID")).endsWith(" 4242");
    assertThat(kv(r, "processes")).endsWith(" -");
    assertThat(kv(r, "CPU % of one core")).endsWith("mean - · p50 - · p90 - · peak -");
    assertThat(r).doesNotContain("top processes");
    assertThat(kv(r, "device")).endsWith("0 · NVIDIA H100 80GB HBM3 · 0 samples in window");
    assertThat(kv(r, "SM busy")).endsWith(" -");
    assertThat(kv(r, "energy")).endsWith(" -");
    assertFits(r);

    HardwareSamples noDevice =
        new HardwareSamples(null, null, List.of(), new Timeline<>("nvml", MS, List.of(), null));
    assertThat(render(noDevice)).contains("\nGPU: no device was listed\n");
  }

  @Test
  void anUnsampledProcessTreeIsOneLine() {
    HardwareSamples h =
        new HardwareSamples(
            null,
            Timeline.unavailable("proc", 1000 * MS, "no process listens on port 8000"),
            List.of(),
            null);
    String r = render(h);
    assertThat(r).contains("\nProcess tree: not sampled (no process listens on port 8000)\n");
    assertThat(count(r, "Process tree")).isEqualTo(1);
    assertThat(r).doesNotContain("GPU");
  }

  @Test
  void severalGpusAreATableWithOneLineEach() {
    String r = render(Fixtures.hardware());
    assertThat(r).contains("\nGPU (2 devices, measured window 2.600 s)\n");
    assertThat(line(r, "  GPU  name")).contains("mean").contains("max/total");
    assertThat(cells(line(r, "    0  H100")))
        .containsExactly(
            "0",
            "H100 80GB HBM3",
            "83.00",
            "85.00",
            "40.00",
            "70.49/79.65",
            "400.0",
            "400.0",
            "65",
            "1980",
            "1040");
    assertThat(cells(line(r, "    1  H100")))
        .containsExactly(
            "1",
            "H100 80GB HBM3",
            "73.00",
            "75.00",
            "30.00",
            "68.00/79.65",
            "320.0",
            "400.0",
            "55",
            "1900",
            "860.1");
    assertThat(kv(r, "energy (all GPUs)")).endsWith("1900 J");
    // 18 output tokens for 1900.1 J.
    assertThat(kv(r, "tokens per joule")).endsWith("0.009 (105.6 J per output token)");
    assertThat(r).contains("  engine processes on the GPUs\n");
    assertThat(cells(line(r, "        4300    0"))).containsExactly("4300", "0", "69.49 GiB", "85");
    assertThat(cells(line(r, "        4300    1"))).containsExactly("4300", "1", "66.00 GiB", "-");
    assertThat(kv(r, "other processes")).endsWith("PID 9999 (not in the engine's tree)");
    assertThat(r).doesNotContain("SM busy").doesNotContain("WARNING: 1 of");
    assertFits(r);
  }

  @Test
  void oneGpuIsAKeyValueBlock() {
    List<GpuTick> gpu0 =
        Fixtures.gpu().samples().stream()
            .map(t -> new GpuTick(t.atNanos(), t.devices().subList(0, 1)))
            .toList();
    HardwareSamples h =
        new HardwareSamples(
            4242,
            Fixtures.processTree(),
            Fixtures.gpuDevices().subList(0, 1),
            new Timeline<>("nvml", 500 * MS, gpu0, null));
    String r = render(h);
    assertThat(r).contains("\nGPU (1 device, measured window 2.600 s)\n");
    assertThat(r).doesNotContain("  GPU  name").doesNotContain("energy (all GPUs)");
    assertThat(kv(r, "device")).endsWith("0 · NVIDIA H100 80GB HBM3 · 5 samples in window");
    assertThat(kv(r, "SM busy")).endsWith("mean 83.00 % · max 85.00 %");
    assertThat(kv(r, "memory busy")).endsWith("mean 40.00 % · max 40.00 %");
    assertThat(kv(r, "VRAM used")).endsWith("max 70.49 GiB of 79.65 GiB");
    assertThat(kv(r, "power")).endsWith("mean 400.0 W · max 400.0 W · limit 700.0 W");
    assertThat(kv(r, "temperature")).endsWith("max 65 °C");
    assertThat(kv(r, "SM clock")).endsWith("mean 1980 MHz");
    assertThat(kv(r, "memory clock")).endsWith("mean 2619 MHz");
    assertThat(kv(r, "energy")).endsWith("1040 J (energy counter, over 2.600 s)");
    // 18 tokens for 1040 J.
    assertThat(kv(r, "tokens per joule")).endsWith("0.017 (57.78 J per output token)");
    assertThat(cells(line(r, "        4300    0"))).containsExactly("4300", "0", "69.49 GiB", "85");
    assertThat(r).doesNotContain("other processes");
    assertFits(r);
  }

  @Test
  void anUnavailableGpuIsExactlyOneLine() {
    HardwareSamples h =
        new HardwareSamples(
            4242,
            Fixtures.processTree(),
            List.of(),
            Timeline.unavailable("nvml", 500 * MS, "libnvidia-ml.so.1 not found"));
    String r = render(h);
    assertThat(count(r, "GPU: not available (libnvidia-ml.so.1 not found)")).isEqualTo(1);
    assertThat(r.lines().filter(l -> l.contains("GPU"))).hasSize(1);
    assertThat(r).contains("\nGPU: not available (libnvidia-ml.so.1 not found)\n");
    assertThat(r).contains("Process tree (7 samples");
  }

  @Test
  void gpuProcessesAreListedAllWhenTheTreeWasNotSampled() {
    String r = render(new HardwareSamples(null, null, Fixtures.gpuDevices(), Fixtures.gpu()));
    assertThat(r).doesNotContain("Process tree");
    assertThat(r).contains("  processes on the GPUs (the engine's tree was not sampled)\n");
    assertThat(cells(line(r, "        9999"))).containsExactly("9999", "1", "2.000 GiB", "-");
    assertThat(r).doesNotContain("other processes");
  }

  @Test
  void hardwareSectionsFollowTheTokenAndServerSections() {
    String r = render(Fixtures.hardware());
    int server = r.indexOf("\nServer view");
    int tree = r.indexOf("\nProcess tree");
    int gpu = r.indexOf("\nGPU (");
    assertThat(server).isPositive();
    assertThat(tree).isGreaterThan(server);
    assertThat(gpu).isGreaterThan(tree);
    assertThat(r).endsWith("\n").doesNotEndWith("\n\n");
    assertThat(TextReport.render(RunAnalysis.of(Fixtures.standardRun())))
        .doesNotContain("Process tree")
        .doesNotContain("GPU");
  }

  @Test
  void aSampleOnlyRunHasNoFailureWording() {
    RunResult run = Fixtures.sampleOnly(Fixtures.hardware());
    String r = TextReport.render(RunAnalysis.of(run));
    assertThat(r).contains("\nno load was sent (sample-only)\n");
    assertThat(r)
        .doesNotContain("FAILED")
        .doesNotContain("failed")
        .doesNotContain("Load\n")
        .doesNotContain("measured requests")
        .doesNotContain("Latency")
        .doesNotContain("Tokens");
    assertThat(line(r, "  mode ")).endsWith(" sample-only");
    assertThat(r).contains("\nGPU (2 devices, whole sampling span 3.001 s)\n");
    assertThat(kv(r, "energy (all GPUs)")).endsWith("2151 J");
    assertThat(kv(r, "tokens per joule")).endsWith(" -");
    assertThat(r).contains("Process tree (7 samples");
    assertFits(r);
    assertThat(TextReport.oneLineSummary(RunAnalysis.of(run)))
        .isEqualTo("no load sent (sample-only) · engine CPU 125.0 % of a core · GPU 2151 J");

    RunResult bare = Fixtures.sampleOnly(HardwareSamples.none());
    assertThat(TextReport.render(RunAnalysis.of(bare))).contains("no load was sent (sample-only)");
    assertThat(TextReport.oneLineSummary(RunAnalysis.of(bare)))
        .isEqualTo("no load sent (sample-only)");
  }

  @Test
  void noLineIsWiderThanTheReportWhateverTheNames() {
    String longName = "x".repeat(150);
    List<GpuDevice> devices = new ArrayList<>();
    List<GpuSample> samples = new ArrayList<>();
    for (int d = 0; d < 8; d++) {
      devices.add(new GpuDevice(d, "NVIDIA " + longName, "GPU-" + longName, 1L << 50, 1e6));
    }
    for (int i = 0; i < 3; i++) {
      for (int d = 0; d < 8; d++) {
        List<GpuProcessUsage> processes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
          processes.add(new GpuProcessUsage(1_000_000 + p, 900L << 40, 100));
        }
        samples.add(
            new GpuSample(
                i * 1000 * MS + d,
                d,
                100,
                100,
                999L << 40,
                123456.789,
                105,
                99999,
                99999,
                (long) i << 50,
                processes));
      }
    }
    List<ProcessTreeSample> tree = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tree.add(
          new ProcessTreeSample(
              i * 1000 * MS,
              1_000_000,
              List.of(
                  new ProcessStat(
                      1_000_000,
                      1,
                      "\u001b[31m" + longName,
                      1,
                      i * 100_000 * MS,
                      0,
                      900L << 40,
                      99999,
                      (long) i << 40,
                      (long) i << 40,
                      (long) i << 50,
                      (long) i << 50))));
    }
    HardwareSamples h =
        new HardwareSamples(
            1_000_000,
            new Timeline<>("proc", 1000 * MS, tree, null),
            devices,
            new Timeline<>("nvml", 1000 * MS, Fixtures.ticks(samples, devices.size()), null));
    RunMeta meta =
        new RunMeta("0.1.0", "sample-only", List.of(), null, null, null, Map.of("duration", "3s"));
    String r =
        TextReport.render(
            RunAnalysis.of(
                new RunResult(meta, Fixtures.clock(), List.of(), 3000 * MS, true, longName, h)));
    assertFits(r);
    assertThat(r).doesNotContain("\u001b");

    HardwareSamples reasons =
        new HardwareSamples(
            null,
            Timeline.unavailable("proc", MS, "reason " + longName),
            List.of(),
            Timeline.unavailable("nvml", MS, "reason\n" + longName));
    String u = render(reasons);
    assertThat(u.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    assertThat(u).contains("GPU: not available (reason xxx");
  }
}
