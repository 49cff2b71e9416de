package io.inferscope.sysmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.RunClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler over the fake library: what one tick holds, per-process joins, errors. */
class NvmlSamplerTest {

  @TempDir static Path dir;
  private static Path standard;
  private static Path initFails;

  private NvmlFake fake;
  private NvmlSampler sampler;
  private final RunClock clock = RunClock.startNow();

  @BeforeAll
  static void buildFakes() throws Exception {
    standard = NvmlFake.build(dir.resolve("standard"));
    initFails = NvmlFake.build(dir.resolve("init-fails"), "INIT_FAILS");
  }

  private NvmlSampler open(IntPredicate keepPid) {
    fake = NvmlFake.open(standard);
    GpuAvailability a = NvmlSampler.open(standard, keepPid);
    assertThat(a).isInstanceOf(GpuAvailability.Available.class);
    sampler = ((GpuAvailability.Available) a).sampler();
    return sampler;
  }

  @AfterEach
  void closeAll() {
    if (sampler != null) {
      sampler.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void listsDevicesAtOpen() {
    open(null);
    assertThat(sampler.source()).isEqualTo("nvml");
    assertThat(sampler.devices())
        .containsExactly(
            new GpuDevice(
                0,
                "NVIDIA Fake H100 80GB HBM3",
                "GPU-00000000-1111-2222-3333-444444444444",
                85899345920L,
                700.0),
            new GpuDevice(
                1,
                "NVIDIA Fake L4",
                "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                85899345920L,
                72.0));
  }

  @Test
  void oneTickHoldsEveryFigureOfEveryDevice() throws Exception {
    open(null);
    long before = clock.nowNanos();
    List<GpuSample> tick = sampler.sample(clock).devices();
    long after = clock.nowNanos();
    assertThat(tick).hasSize(2);
    GpuSample s0 = tick.get(0);
    assertThat(s0.atNanos()).isBetween(before, after);
    assertThat(s0.deviceIndex()).isZero();
    assertThat(s0.smUtilPercent()).isEqualTo(87);
    assertThat(s0.memoryUtilPercent()).isEqualTo(41);
    assertThat(s0.memoryUsedBytes()).isEqualTo(17179869189L);
    assertThat(s0.powerWatts()).isEqualTo(312.345);
    assertThat(s0.temperatureCelsius()).isEqualTo(54);
    assertThat(s0.smClockMhz()).isEqualTo(1980);
    assertThat(s0.memoryClockMhz()).isEqualTo(2619);
    assertThat(s0.energyMillijoules()).isEqualTo(5000000000123L);
    // The samples held at open (up to t=2000 us) were read and discarded then.
    assertThat(fake.lastSeen(0)).isEqualTo(2000);
    assertThat(s0.processes())
        .containsExactly(
            new GpuProcessUsage(4242, 17179869307L, null),
            new GpuProcessUsage(4243, null, null),
            new GpuProcessUsage(9999, 1073741824L, null));

    GpuSample s1 = tick.get(1);
    assertThat(s1.atNanos()).isBetween(s0.atNanos(), after);
    assertThat(s1.deviceIndex()).isEqualTo(1);
    assertThat(s1.powerWatts()).isEqualTo(65.432);
    assertThat(s1.memoryClockMhz()).isEqualTo(6251);
    assertThat(s1.energyMillijoules()).isNull(); // NOT_SUPPORTED
    assertThat(s1.temperatureCelsius()).isNull(); // failed: counted below
    assertThat(s1.processes()).hasSize(70);
    assertThat(s1.processes().get(69))
        .isEqualTo(new GpuProcessUsage(5069, (1L << 33) + 70 * 1048576L, null));

    assertThat(sampler.failureCounts())
        .containsExactly(Map.entry("GPU 1: nvmlDeviceGetTemperature failed: Unknown Error", 1L));
    sampler.sample(clock);
    assertThat(sampler.failureCounts())
        .containsExactly(Map.entry("GPU 1: nvmlDeviceGetTemperature failed: Unknown Error", 2L));
  }

  @Test
  void processSmShareIsTheMeanOfTheSamplesSinceTheLastTick() throws Exception {
    open(null);
    sampler.slowReadIntervalNanos(0); // this test is about the join, read utilisation every tick
    fake.pushUtil(0, 4242, 3000, 40, 10);
    fake.pushUtil(0, 4242, 3500, 61, 12);
    fake.pushUtil(0, 7777, 3600, 5, 1); // has no compute context in the list
    List<GpuProcessUsage> procs = sampler.sample(clock).devices().getFirst().processes();
    assertThat(fake.lastSeen(0)).isEqualTo(2000);
    assertThat(procs)
        .containsExactly(
            new GpuProcessUsage(4242, 17179869307L, 51), // (40 + 61) / 2 = 50.5, rounded
            new GpuProcessUsage(4243, null, null),
            new GpuProcessUsage(7777, null, 5),
            new GpuProcessUsage(9999, 1073741824L, null));

    List<GpuProcessUsage> next = sampler.sample(clock).devices().getFirst().processes();
    assertThat(fake.lastSeen(0)).isEqualTo(3600);
    assertThat(next).extracting(GpuProcessUsage::smUtilPercent).containsOnlyNulls();
    assertThat(next).extracting(GpuProcessUsage::pid).containsExactly(4242, 4243, 9999);
  }

  @Test
  void costlyReadsRunOnceASecondNotEveryTick() throws Exception {
    open(null);
    GpuSample first = sampler.sample(clock).devices().getFirst();
    assertThat(first.energyMillijoules()).isEqualTo(5000000000123L);
    fake.pushUtil(0, 4242, 3000, 40, 10);
    GpuSample soon = sampler.sample(clock).devices().getFirst();
    // Within the second: no energy read, no utilisation samples consumed; cheap figures still read.
    assertThat(soon.energyMillijoules()).isNull();
    assertThat(soon.powerWatts()).isEqualTo(312.345);
    assertThat(soon.processes()).extracting(GpuProcessUsage::smUtilPercent).containsOnlyNulls();
    assertThat(fake.lastSeen(0)).isEqualTo(2000);
    sampler.slowReadIntervalNanos(0);
    GpuSample later = sampler.sample(clock).devices().getFirst();
    assertThat(later.energyMillijoules()).isEqualTo(5000000000123L);
    // The utilisation sample pushed before the skipped tick is not lost: it is read now.
    assertThat(later.processes()).contains(new GpuProcessUsage(4242, 17179869307L, 40));
  }

  @Test
  void keepsOnlyTheProcessesTheFilterAcceptsAtEachTick() throws Exception {
    Set<Integer> engine = ConcurrentHashMap.newKeySet();
    engine.add(4242);
    open(engine::contains);
    List<GpuSample> tick = sampler.sample(clock).devices();
    assertThat(tick.get(0).processes()).extracting(GpuProcessUsage::pid).containsExactly(4242);
    assertThat(tick.get(1).processes()).isEmpty();
    engine.add(9999);
    engine.add(5001);
    tick = sampler.sample(clock).devices();
    assertThat(tick.get(0).processes())
        .extracting(GpuProcessUsage::pid)
        .containsExactly(4242, 9999);
    assertThat(tick.get(1).processes()).extracting(GpuProcessUsage::pid).containsExactly(5001);
  }

  @Test
  void aTickInWhichEveryReadFailsThrows() throws Exception {
    open(null);
    fake.shutdownBehindTheBack(); // every call now answers NVML_ERROR_UNINITIALIZED
    assertThatThrownBy(() -> sampler.sample(clock))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "every NVML read failed: GPU 0: nvmlDeviceGetUtilizationRates failed: Uninitialized");
    assertThat(sampler.failureCounts())
        .containsEntry("GPU 0: nvmlDeviceGetPowerUsage failed: Uninitialized", 1L);
  }

  @Test
  void closeIsIdempotentAndEndsSampling() {
    open(null);
    sampler.close();
    sampler.close();
    assertThat(fake.shutdownCalls()).isEqualTo(1);
    assertThatThrownBy(() -> sampler.sample(clock)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void unavailableHostsGetAReason() {
    assertThat(NvmlSampler.open(null, "libnvidia-ml-absent.so.1", null))
        .isEqualTo(
            new GpuAvailability.Unavailable(
                "libnvidia-ml-absent.so.1 not found (no NVIDIA driver on this host)"));
    Path absent = dir.resolve("nowhere/libnvidia-ml.so.1");
    assertThat(NvmlSampler.open(absent, null))
        .isEqualTo(new GpuAvailability.Unavailable(absent + " not found"));
    try (NvmlFake f = NvmlFake.open(initFails)) {
      assertThat(NvmlSampler.open(initFails, null))
          .isEqualTo(new GpuAvailability.Unavailable("nvmlInit_v2 failed: Driver Not Loaded"));
      assertThat(f.initVersion()).isEqualTo(2);
    }
  }

  @Test
  void theDefaultLibraryIsFoundByTheLoaderOrNamedAsMissing() {
    // Depends on the host: CI has no driver; a GPU workstation does. Both answers are checked.
    GpuAvailability a = NvmlSampler.open(null, null);
    switch (a) {
      case GpuAvailability.Available(NvmlSampler s) -> {
        try (s) {
          assertThat(s.devices()).isNotEmpty();
        }
      }
      case GpuAvailability.Unavailable(String reason) ->
          assertThat(reason)
              .isIn(
                  "libnvidia-ml.so.1 not found (no NVIDIA driver on this host)",
                  "NVML sees no GPU");
    }
  }

  @Test
  void probeMainPrintsDevicesAndSamples() throws Exception {
    fake = NvmlFake.open(standard);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status =
        NvmlProbeMain.run(
            new String[] {"--lib", standard.toString(), "--samples", "2", "--period-ms", "5"},
            new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(out)
        .contains("nvml init=nvmlInit_v2 processes=nvmlDeviceGetComputeRunningProcesses_v3")
        .contains(
            "device 0 name=NVIDIA Fake H100 80GB HBM3"
                + " uuid=GPU-00000000-1111-2222-3333-444444444444"
                + " vram_total_bytes=85899345920 power_limit_w=700.000")
        .contains(
            " device=0 sm_pct=87 mem_pct=41 vram_used_bytes=17179869189 power_w=312.345 temp_c=54"
                + " sm_clock_mhz=1980 mem_clock_mhz=2619 energy_mj=5000000000123"
                + " processes=4242:17179869307:-,4243:-:-,9999:1073741824:-")
        .contains(" device=1 sm_pct=3 mem_pct=1 vram_used_bytes=4294967297 power_w=65.432 temp_c=-")
        .contains("failures 2 x GPU 1: nvmlDeviceGetTemperature failed: Unknown Error");
    assertThat(out.lines().filter(l -> l.startsWith("sample 1 "))).hasSize(2);
  }

  @Test
  void probeMainSaysWhyWhenThereIsNoNvml() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Path absent = dir.resolve("nowhere/libnvidia-ml.so.1");
    assertThat(NvmlProbeMain.run(new String[] {"--lib", absent.toString()}, out)).isEqualTo(2);
    assertThat(NvmlProbeMain.run(new String[] {"--frobnicate"}, out)).isEqualTo(64);
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("unavailable: " + absent + " not found")
        .contains("usage: NvmlProbeMain");
  }
}
