package io.inferscope.sysmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.sysmon.NvmlLibrary.ComputeProcess;
import io.inferscope.sysmon.NvmlLibrary.ProcessUtilization;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binding against the fake library: exact marshalled values, fallbacks, error mapping. */
class NvmlLibraryTest {

  private static final long NA = 0xFFFFFFFFL; // instance id without MIG

  @TempDir static Path dir;
  private static Path standard;
  private static Path noV3;
  private static Path v1Only;
  private static Path initFails;
  private static Path noInitV2;

  private NvmlFake fake;
  private NvmlLibrary nvml;

  @BeforeAll
  static void buildFakes() throws Exception {
    standard = NvmlFake.build(dir.resolve("standard"));
    noV3 = NvmlFake.build(dir.resolve("no-v3"), "NO_V3");
    v1Only = NvmlFake.build(dir.resolve("v1-only"), "NO_V3", "NO_V2");
    initFails = NvmlFake.build(dir.resolve("init-fails"), "INIT_FAILS");
    noInitV2 = NvmlFake.build(dir.resolve("no-init-v2"), "NO_INIT_V2");
  }

  private NvmlLibrary load(Path lib) throws Exception {
    fake = NvmlFake.open(lib);
    nvml = NvmlLibrary.load(lib, NvmlLibrary.DEFAULT_NAME);
    return nvml;
  }

  @AfterEach
  void closeAll() {
    if (nvml != null) {
      nvml.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void javaLayoutsMatchWhatTheCCompilerLaysOut() throws Exception {
    load(standard);
    long[] c = fake.cLayout();
    long[] java = {
      NvmlLibrary.UTILIZATION.byteSize(),
      NvmlLibrary.offset(NvmlLibrary.UTILIZATION, "memory"),
      NvmlLibrary.MEMORY.byteSize(),
      NvmlLibrary.offset(NvmlLibrary.MEMORY, "free"),
      NvmlLibrary.offset(NvmlLibrary.MEMORY, "used"),
      NvmlLibrary.PROCESS_INFO_V1.byteSize(),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_INFO_V1, "usedGpuMemory"),
      NvmlLibrary.PROCESS_INFO_V2.byteSize(),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_INFO_V2, "usedGpuMemory"),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_INFO_V2, "gpuInstanceId"),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_INFO_V2, "computeInstanceId"),
      NvmlLibrary.PROCESS_UTILIZATION_SAMPLE.byteSize(),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_UTILIZATION_SAMPLE, "timeStamp"),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_UTILIZATION_SAMPLE, "smUtil"),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_UTILIZATION_SAMPLE, "memUtil"),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_UTILIZATION_SAMPLE, "encUtil"),
      NvmlLibrary.offset(NvmlLibrary.PROCESS_UTILIZATION_SAMPLE, "decUtil"),
    };
    assertThat(java).containsExactly(c);
    // and what nvml.h implies on LP64, written out
    assertThat(java).containsExactly(8, 4, 24, 8, 16, 16, 8, 24, 8, 16, 20, 32, 8, 16, 20, 24, 28);
  }

  @Test
  void marshalsDeviceFigures() throws Exception {
    load(standard);
    assertThat(nvml.initSymbol()).isEqualTo("nvmlInit_v2");
    assertThat(fake.initVersion()).isEqualTo(2);
    assertThat(nvml.deviceCount()).isEqualTo(2);
    MemorySegment d0 = nvml.handle(0);
    MemorySegment d1 = nvml.handle(1);
    assertThat(nvml.name(d0)).isEqualTo("NVIDIA Fake H100 80GB HBM3");
    assertThat(nvml.name(d1)).isEqualTo("NVIDIA Fake L4");
    assertThat(nvml.uuid(d0)).isEqualTo("GPU-00000000-1111-2222-3333-444444444444");
    assertThat(nvml.uuid(d1)).isEqualTo("GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    assertThat(nvml.utilization(d0)).isEqualTo(new NvmlLibrary.Utilization(87, 41));
    assertThat(nvml.utilization(d1)).isEqualTo(new NvmlLibrary.Utilization(3, 1));
    assertThat(nvml.memory(d0))
        .isEqualTo(new NvmlLibrary.Memory(85899345920L, 85899345920L - 17179869189L, 17179869189L));
    assertThat(nvml.memory(d1).usedBytes()).isEqualTo(4294967297L);
    assertThat(nvml.powerMilliwatts(d0)).isEqualTo(312345L);
    assertThat(nvml.enforcedPowerLimitMilliwatts(d0)).isEqualTo(700000L);
    assertThat(nvml.enforcedPowerLimitMilliwatts(d1)).isEqualTo(72000L);
    assertThat(nvml.temperatureCelsius(d0)).isEqualTo(54L);
    assertThat(nvml.clockMhz(d0, NvmlLibrary.CLOCK_SM)).isEqualTo(1980L);
    assertThat(nvml.clockMhz(d0, NvmlLibrary.CLOCK_MEM)).isEqualTo(2619L);
    assertThat(nvml.clockMhz(d1, NvmlLibrary.CLOCK_MEM)).isEqualTo(6251L);
    assertThat(nvml.totalEnergyMillijoules(d0)).isEqualTo(5000000000123L);
    fake.energyMillijoules(0, 5000000001000L);
    assertThat(nvml.totalEnergyMillijoules(d0)).isEqualTo(5000000001000L);
  }

  @Test
  void notSupportedIsAbsentAndOtherErrorsThrowWithTheDriverText() throws Exception {
    load(standard);
    MemorySegment d1 = nvml.handle(1);
    assertThat(nvml.totalEnergyMillijoules(d1)).isNull();
    assertThat(nvml.processUtilization(d1, 0)).isNull();
    assertThatThrownBy(() -> nvml.temperatureCelsius(d1))
        .isInstanceOfSatisfying(
            NvmlException.class,
            e -> {
              assertThat(e.code()).isEqualTo(999);
              assertThat(e.function()).isEqualTo("nvmlDeviceGetTemperature");
              assertThat(e.getMessage())
                  .isEqualTo("nvmlDeviceGetTemperature failed: Unknown Error");
            });
    assertThatThrownBy(() -> nvml.handle(2))
        .isInstanceOf(NvmlException.class)
        .hasMessage("nvmlDeviceGetHandleByIndex_v2 failed: Invalid Argument");
    assertThat(nvml.errorString(9)).isEqualTo("Driver Not Loaded");
  }

  @Test
  void computeProcessesV3WithUnavailableMemory() throws Exception {
    load(standard);
    assertThat(nvml.computeProcessesSymbol()).isEqualTo("nvmlDeviceGetComputeRunningProcesses_v3");
    List<ComputeProcess> procs = nvml.computeProcesses(nvml.handle(0));
    assertThat(fake.computeVersion()).isEqualTo(3);
    assertThat(procs)
        .containsExactly(
            new ComputeProcess(4242, 17179869307L, NA, NA), // 16 GiB + 123: all 64 bits kept
            new ComputeProcess(4243, null, NA, NA), // NVML_VALUE_NOT_AVAILABLE
            new ComputeProcess(9999, 1073741824L, 1L, 2L));
    assertThat(fake.computeCalls(0)).isEqualTo(1);
  }

  @Test
  void processBufferGrowsOnInsufficientSizeAndStaysGrown() throws Exception {
    load(standard);
    MemorySegment d1 = nvml.handle(1);
    List<ComputeProcess> procs = nvml.computeProcesses(d1);
    assertThat(fake.computeCalls(1)).isEqualTo(2); // 64 too small, then 70 + headroom
    assertThat(procs).hasSize(70);
    assertThat(procs.getFirst())
        .isEqualTo(new ComputeProcess(5000, (1L << 33) + 1048576L, 0L, 100L));
    assertThat(procs.getLast())
        .isEqualTo(new ComputeProcess(5069, (1L << 33) + 70 * 1048576L, 69L, 169L));
    nvml.computeProcesses(d1);
    assertThat(fake.computeCalls(1)).isEqualTo(3);
  }

  @Test
  void fallsBackToV2() throws Exception {
    load(noV3);
    assertThat(nvml.computeProcessesSymbol()).isEqualTo("nvmlDeviceGetComputeRunningProcesses_v2");
    List<ComputeProcess> procs = nvml.computeProcesses(nvml.handle(0));
    assertThat(fake.computeVersion()).isEqualTo(2);
    assertThat(procs.getFirst()).isEqualTo(new ComputeProcess(4242, 17179869307L, NA, NA));
    assertThat(procs.get(2)).isEqualTo(new ComputeProcess(9999, 1073741824L, 1L, 2L));
  }

  @Test
  void fallsBackToTheV1StructOnOldDrivers() throws Exception {
    load(v1Only);
    assertThat(nvml.computeProcessesSymbol()).isEqualTo("nvmlDeviceGetComputeRunningProcesses");
    List<ComputeProcess> procs = nvml.computeProcesses(nvml.handle(0));
    assertThat(fake.computeVersion()).isEqualTo(1);
    assertThat(procs)
        .containsExactly(
            new ComputeProcess(4242, 17179869307L, null, null),
            new ComputeProcess(4243, null, null, null),
            new ComputeProcess(9999, 1073741824L, null, null));
    List<ComputeProcess> many = nvml.computeProcesses(nvml.handle(1)); // 16-byte stride throughout
    assertThat(many.getLast())
        .isEqualTo(new ComputeProcess(5069, (1L << 33) + 70 * 1048576L, null, null));
  }

  @Test
  void processUtilizationSinceATimestamp() throws Exception {
    load(standard);
    MemorySegment d0 = nvml.handle(0);
    assertThat(nvml.processUtilization(d0, 0))
        .containsExactly(
            new ProcessUtilization(4242, 1000, 11, 3, 7, 9),
            new ProcessUtilization(4242, 2000, 12, 4, 7, 9));
    assertThat(nvml.processUtilization(d0, 1000))
        .containsExactly(new ProcessUtilization(4242, 2000, 12, 4, 7, 9));
    assertThat(nvml.processUtilization(d0, 2000)).isEmpty(); // NVML_ERROR_NOT_FOUND
    assertThat(fake.lastSeen(0)).isEqualTo(2000);
    for (int i = 0; i < 100; i++) {
      fake.pushUtil(0, 6000 + i, 3000 + i, i, 0);
    }
    List<ProcessUtilization> many = nvml.processUtilization(d0, 2000);
    assertThat(many).hasSize(100);
    assertThat(many.getLast()).isEqualTo(new ProcessUtilization(6099, 3099, 99, 0, 7, 9));
  }

  @Test
  void initFailureGivesTheDriverText() throws Exception {
    fake = NvmlFake.open(initFails);
    assertThatThrownBy(() -> NvmlLibrary.load(initFails, NvmlLibrary.DEFAULT_NAME))
        .isInstanceOf(NvmlLibrary.UnavailableException.class)
        .hasMessage("nvmlInit_v2 failed: Driver Not Loaded");
  }

  @Test
  void fallsBackToUnversionedInit() throws Exception {
    load(noInitV2);
    assertThat(nvml.initSymbol()).isEqualTo("nvmlInit");
    assertThat(fake.initVersion()).isEqualTo(1);
  }

  @Test
  void missingOrForeignLibrariesAreReasonsNotCrashes() throws Exception {
    assertThatThrownBy(() -> NvmlLibrary.load(null, "libnvidia-ml-absent.so.1"))
        .isInstanceOf(NvmlLibrary.UnavailableException.class)
        .hasMessage("libnvidia-ml-absent.so.1 not found (no NVIDIA driver on this host)");
    Path absent = dir.resolve("absent/libnvidia-ml.so.1");
    assertThatThrownBy(() -> NvmlLibrary.load(absent, NvmlLibrary.DEFAULT_NAME))
        .hasMessage(absent + " not found");
    Path broken = NvmlFake.buildUnloadable(dir.resolve("broken"));
    assertThatThrownBy(() -> NvmlLibrary.load(broken, NvmlLibrary.DEFAULT_NAME))
        .isInstanceOf(NvmlLibrary.UnavailableException.class)
        .hasMessageStartingWith(broken + " could not be loaded: ");
    // A real shared library that is not NVML: libc is always there, by name.
    assertThatThrownBy(() -> NvmlLibrary.load(null, "libc.so.6"))
        .isInstanceOf(NvmlLibrary.UnavailableException.class)
        .hasMessageStartingWith("libc.so.6 is not a usable NVML library");
  }

  @Test
  void closeShutsDownOnce() throws Exception {
    load(standard);
    nvml.close();
    nvml.close();
    assertThat(fake.shutdownCalls()).isEqualTo(1);
  }
}
