package io.inferscope.sysmon;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A thin binding of the NVML C API ({@code libnvidia-ml.so.1}) through the Foreign Function and
 * Memory API: one method per entry point inferscope reads, with the signatures, return codes and
 * struct layouts of {@code nvml.h} (NVML API 13). No Java NVML artifact is maintained, so the
 * binding lives here (ADR 0006).
 *
 * <p>Conventions: a figure the device does not support ({@code NVML_ERROR_NOT_SUPPORTED}), or whose
 * entry point this driver does not export, comes back null; any other error throws {@link
 * NvmlException}. Versioned entry points are probed newest first, so an older driver still works.
 *
 * <p>Not thread-safe: one caller at a time ({@link NvmlSampler} serialises its calls).
 */
@SuppressWarnings("restricted") // binding a native library is what this class is for
final class NvmlLibrary implements AutoCloseable {

  static final String DEFAULT_NAME = "libnvidia-ml.so.1";

  // nvmlReturn_t values (nvml.h)
  static final int SUCCESS = 0;
  static final int ERROR_NOT_SUPPORTED = 3;
  static final int ERROR_NOT_FOUND = 6;
  static final int ERROR_INSUFFICIENT_SIZE = 7;

  /** {@code NVML_VALUE_NOT_AVAILABLE}: {@code (unsigned long long) -1}. */
  static final long VALUE_NOT_AVAILABLE = -1L;

  static final int TEMPERATURE_GPU = 0; // nvmlTemperatureSensors_t
  static final int CLOCK_SM = 1; // nvmlClockType_t
  static final int CLOCK_MEM = 2;

  /** NVML_DEVICE_NAME_V2_BUFFER_SIZE and NVML_DEVICE_UUID_V2_BUFFER_SIZE are both 96. */
  static final int STRING_BUFFER_BYTES = 96;

  /** First buffer for process lists; grown on {@code NVML_ERROR_INSUFFICIENT_SIZE}. */
  static final int FIRST_CAPACITY = 64;

  private static final int MAX_GROWTHS = 4;

  /** {@code nvmlUtilization_t}: {@code {unsigned int gpu; unsigned int memory;}}, 8 bytes. */
  static final StructLayout UTILIZATION =
      MemoryLayout.structLayout(JAVA_INT.withName("gpu"), JAVA_INT.withName("memory"));

  /** {@code nvmlMemory_t} (v1): {@code {unsigned long long total, free, used;}}, 24 bytes. */
  static final StructLayout MEMORY =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("total"), JAVA_LONG.withName("free"), JAVA_LONG.withName("used"));

  /**
   * {@code nvmlProcessInfo_v1_t}: {@code {unsigned int pid; unsigned long long usedGpuMemory;}}.
   * The 64-bit field is 8-aligned, so 4 bytes of padding follow the pid: 16 bytes.
   */
  static final StructLayout PROCESS_INFO_V1 =
      MemoryLayout.structLayout(
          JAVA_INT.withName("pid"),
          MemoryLayout.paddingLayout(4),
          JAVA_LONG.withName("usedGpuMemory"));

  /**
   * {@code nvmlProcessInfo_v2_t} (also what {@code _v3} takes): {@code {unsigned int pid; unsigned
   * long long usedGpuMemory; unsigned int gpuInstanceId; unsigned int computeInstanceId;}}: pid at
   * 0, padding, memory at 8, the instance ids at 16 and 20; 24 bytes.
   */
  static final StructLayout PROCESS_INFO_V2 =
      MemoryLayout.structLayout(
          JAVA_INT.withName("pid"),
          MemoryLayout.paddingLayout(4),
          JAVA_LONG.withName("usedGpuMemory"),
          JAVA_INT.withName("gpuInstanceId"),
          JAVA_INT.withName("computeInstanceId"));

  /**
   * {@code nvmlProcessUtilizationSample_t}: {@code {unsigned int pid; unsigned long long timeStamp;
   * unsigned int smUtil, memUtil, encUtil, decUtil;}}: pid at 0, padding, timestamp (CPU time,
   * microseconds) at 8, the four percentages at 16..28; 32 bytes.
   */
  static final StructLayout PROCESS_UTILIZATION_SAMPLE =
      MemoryLayout.structLayout(
          JAVA_INT.withName("pid"),
          MemoryLayout.paddingLayout(4),
          JAVA_LONG.withName("timeStamp"),
          JAVA_INT.withName("smUtil"),
          JAVA_INT.withName("memUtil"),
          JAVA_INT.withName("encUtil"),
          JAVA_INT.withName("decUtil"));

  /** {@code nvmlUtilization_t}. */
  record Utilization(int gpuPercent, int memoryPercent) {}

  /** {@code nvmlMemory_t}. */
  record Memory(long totalBytes, long freeBytes, long usedBytes) {}

  /**
   * One entry of {@code nvmlDeviceGetComputeRunningProcesses*}. Memory is null for {@code
   * NVML_VALUE_NOT_AVAILABLE}; the instance ids (unsigned; {@code 0xFFFFFFFF} without MIG) are null
   * when the driver only has the v1 struct.
   */
  record ComputeProcess(
      int pid, Long usedMemoryBytes, Long gpuInstanceId, Long computeInstanceId) {}

  /** One {@code nvmlProcessUtilizationSample_t}. */
  record ProcessUtilization(
      int pid,
      long timeStampMicros,
      int smPercent,
      int memoryPercent,
      int encoderPercent,
      int decoderPercent) {}

  /** NVML could not be loaded or initialised; the message says why, for a person. */
  static final class UnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnavailableException(String reason) {
      super(reason);
    }

    UnavailableException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  private static final FunctionDescriptor INT_VOID = FunctionDescriptor.of(JAVA_INT);
  private static final FunctionDescriptor INT_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
  private static final FunctionDescriptor INT_PTR_PTR =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
  private static final FunctionDescriptor INT_INT_PTR =
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
  private static final FunctionDescriptor INT_PTR_INT_PTR =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
  private static final FunctionDescriptor INT_PTR_PTR_INT =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
  private static final FunctionDescriptor INT_PTR_PTR_PTR =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  private static final FunctionDescriptor INT_PTR_PTR_PTR_LONG =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
  private static final FunctionDescriptor PTR_INT = FunctionDescriptor.of(ADDRESS, JAVA_INT);

  private final Arena arena;
  private final String initSymbol;
  private final MethodHandle init;
  private final MethodHandle shutdown;
  private final MethodHandle errorString;
  private final String countSymbol;
  private final MethodHandle count;
  private final String handleSymbol;
  private final MethodHandle handle;
  private final MethodHandle name;
  private final MethodHandle uuid;
  private final MethodHandle utilization;
  private final MethodHandle memory;
  private final MethodHandle power;
  private final MethodHandle powerLimit;
  private final MethodHandle temperature;
  private final MethodHandle clock;
  private final MethodHandle energy;
  private final String computeProcessesSymbol;
  private final MethodHandle computeProcesses;
  private final StructLayout processInfoLayout;
  private final MethodHandle processUtilization;
  private int processCapacity = FIRST_CAPACITY;
  private int utilizationCapacity = FIRST_CAPACITY;
  private boolean closed;

  private NvmlLibrary(Arena arena, SymbolLookup lookup, String libraryLabel)
      throws UnavailableException {
    this.arena = arena;
    Bound ini = first(lookup, INT_VOID, "nvmlInit_v2", "nvmlInit");
    Bound shut = first(lookup, INT_VOID, "nvmlShutdown");
    Bound cnt = first(lookup, INT_PTR, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
    Bound hnd =
        first(lookup, INT_INT_PTR, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
    if (ini == null || shut == null || cnt == null || hnd == null) {
      throw new UnavailableException(
          libraryLabel
              + " is not a usable NVML library (it lacks nvmlInit, nvmlShutdown,"
              + " nvmlDeviceGetCount or nvmlDeviceGetHandleByIndex)");
    }
    initSymbol = ini.symbol;
    this.init = ini.handle;
    shutdown = shut.handle;
    countSymbol = cnt.symbol;
    count = cnt.handle;
    handleSymbol = hnd.symbol;
    handle = hnd.handle;
    errorString = handleOrNull(lookup, PTR_INT, "nvmlErrorString");
    name = handleOrNull(lookup, INT_PTR_PTR_INT, "nvmlDeviceGetName");
    uuid = handleOrNull(lookup, INT_PTR_PTR_INT, "nvmlDeviceGetUUID");
    utilization = handleOrNull(lookup, INT_PTR_PTR, "nvmlDeviceGetUtilizationRates");
    memory = handleOrNull(lookup, INT_PTR_PTR, "nvmlDeviceGetMemoryInfo");
    power = handleOrNull(lookup, INT_PTR_PTR, "nvmlDeviceGetPowerUsage");
    powerLimit = handleOrNull(lookup, INT_PTR_PTR, "nvmlDeviceGetEnforcedPowerLimit");
    temperature = handleOrNull(lookup, INT_PTR_INT_PTR, "nvmlDeviceGetTemperature");
    clock = handleOrNull(lookup, INT_PTR_INT_PTR, "nvmlDeviceGetClockInfo");
    energy = handleOrNull(lookup, INT_PTR_PTR, "nvmlDeviceGetTotalEnergyConsumption");
    // _v3 and _v2 take the 24-byte v2 struct; the unversioned one the 16-byte v1 struct.
    Bound procs =
        first(
            lookup,
            INT_PTR_PTR_PTR,
            "nvmlDeviceGetComputeRunningProcesses_v3",
            "nvmlDeviceGetComputeRunningProcesses_v2",
            "nvmlDeviceGetComputeRunningProcesses");
    computeProcessesSymbol = procs == null ? null : procs.symbol;
    computeProcesses = procs == null ? null : procs.handle;
    processInfoLayout =
        procs != null && procs.symbol.equals("nvmlDeviceGetComputeRunningProcesses")
            ? PROCESS_INFO_V1
            : PROCESS_INFO_V2;
    processUtilization =
        handleOrNull(lookup, INT_PTR_PTR_PTR_LONG, "nvmlDeviceGetProcessUtilization");
  }

  /**
   * Loads the library and initialises NVML.
   *
   * @param library the library file, or null to let the dynamic loader find {@code defaultName}
   * @param defaultName the library name the loader resolves when no file is given
   * @throws UnavailableException with a reason for a person when the library is absent, is not
   *     NVML, or NVML fails to initialise
   */
  static NvmlLibrary load(Path library, String defaultName) throws UnavailableException {
    Arena arena = Arena.ofShared();
    String label = library == null ? defaultName : library.toString();
    SymbolLookup lookup;
    try {
      lookup =
          library == null
              ? SymbolLookup.libraryLookup(defaultName, arena)
              : SymbolLookup.libraryLookup(library, arena);
    } catch (IllegalArgumentException e) {
      arena.close();
      if (library == null) {
        throw new UnavailableException(
            defaultName + " not found (no NVIDIA driver on this host)", e);
      }
      if (!Files.exists(library)) {
        throw new UnavailableException(library + " not found", e);
      }
      throw new UnavailableException(library + " could not be loaded: " + e.getMessage(), e);
    }
    NvmlLibrary nvml;
    try {
      nvml = new NvmlLibrary(arena, lookup, label);
    } catch (UnavailableException e) {
      arena.close();
      throw e;
    }
    int code = nvml.callInit();
    if (code != SUCCESS) {
      String reason = nvml.initSymbol + " failed: " + nvml.errorString(code);
      arena.close();
      throw new UnavailableException(reason);
    }
    return nvml;
  }

  private int callInit() {
    try {
      return (int) init.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("calling " + initSymbol, t);
    }
  }

  /**
   * The init entry point that was bound: {@code nvmlInit_v2}, or {@code nvmlInit} on old drivers.
   */
  String initSymbol() {
    return initSymbol;
  }

  /** The compute-process entry point that was bound, or null when the driver has none. */
  String computeProcessesSymbol() {
    return computeProcessesSymbol;
  }

  /** {@code nvmlErrorString}: the driver's text for a return code. */
  String errorString(int code) {
    if (errorString == null) {
      return "NVML error " + code;
    }
    try {
      MemorySegment text = (MemorySegment) errorString.invokeExact(code);
      if (text.address() == 0) {
        return "NVML error " + code;
      }
      // A static NUL-terminated string: give the zero-length result a size to read it through.
      return text.reinterpret(4096).getString(0);
    } catch (Throwable t) {
      throw new IllegalStateException("calling nvmlErrorString", t);
    }
  }

  int deviceCount() throws NvmlException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_INT);
      check(countSymbol, call(count, out), true);
      return out.get(JAVA_INT, 0);
    }
  }

  /** The device handle ({@code nvmlDevice_t}, an opaque pointer) of an index. */
  MemorySegment handle(int index) throws NvmlException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      check(handleSymbol, call(handle, index, out), true);
      return out.get(ADDRESS, 0);
    }
  }

  String name(MemorySegment device) throws NvmlException {
    return string(name, "nvmlDeviceGetName", device);
  }

  String uuid(MemorySegment device) throws NvmlException {
    return string(uuid, "nvmlDeviceGetUUID", device);
  }

  private String string(MethodHandle h, String fn, MemorySegment device) throws NvmlException {
    if (h == null) {
      return null;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(STRING_BUFFER_BYTES);
      if (!check(fn, call(h, device, buf, STRING_BUFFER_BYTES), false)) {
        return null;
      }
      buf.set(JAVA_BYTE, STRING_BUFFER_BYTES - 1, (byte) 0); // never read past the buffer
      return buf.getString(0);
    }
  }

  Utilization utilization(MemorySegment device) throws NvmlException {
    if (utilization == null) {
      return null;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(UTILIZATION);
      if (!check("nvmlDeviceGetUtilizationRates", call(utilization, device, out), false)) {
        return null;
      }
      return new Utilization(
          out.get(JAVA_INT, offset(UTILIZATION, "gpu")),
          out.get(JAVA_INT, offset(UTILIZATION, "memory")));
    }
  }

  Memory memory(MemorySegment device) throws NvmlException {
    if (memory == null) {
      return null;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(MEMORY);
      if (!check("nvmlDeviceGetMemoryInfo", call(memory, device, out), false)) {
        return null;
      }
      return new Memory(
          out.get(JAVA_LONG, offset(MEMORY, "total")),
          out.get(JAVA_LONG, offset(MEMORY, "free")),
          out.get(JAVA_LONG, offset(MEMORY, "used")));
    }
  }

  /** Power draw in milliwatts. */
  Long powerMilliwatts(MemorySegment device) throws NvmlException {
    return unsignedInt(power, "nvmlDeviceGetPowerUsage", device);
  }

  /** Enforced power limit in milliwatts. */
  Long enforcedPowerLimitMilliwatts(MemorySegment device) throws NvmlException {
    return unsignedInt(powerLimit, "nvmlDeviceGetEnforcedPowerLimit", device);
  }

  /** GPU die temperature ({@code NVML_TEMPERATURE_GPU}) in degrees Celsius. */
  Long temperatureCelsius(MemorySegment device) throws NvmlException {
    return unsignedInt(temperature, "nvmlDeviceGetTemperature", device, TEMPERATURE_GPU);
  }

  /** Current clock of a domain ({@link #CLOCK_SM}, {@link #CLOCK_MEM}) in MHz. */
  Long clockMhz(MemorySegment device, int clockType) throws NvmlException {
    return unsignedInt(clock, "nvmlDeviceGetClockInfo", device, clockType);
  }

  /** Energy since the driver loaded, in millijoules (Volta and newer). */
  Long totalEnergyMillijoules(MemorySegment device) throws NvmlException {
    if (energy == null) {
      return null;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_LONG);
      if (!check("nvmlDeviceGetTotalEnergyConsumption", call(energy, device, out), false)) {
        return null;
      }
      return out.get(JAVA_LONG, 0);
    }
  }

  private Long unsignedInt(MethodHandle h, String fn, MemorySegment device) throws NvmlException {
    if (h == null) {
      return null;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_INT);
      if (!check(fn, call(h, device, out), false)) {
        return null;
      }
      return Integer.toUnsignedLong(out.get(JAVA_INT, 0));
    }
  }

  private Long unsignedInt(MethodHandle h, String fn, MemorySegment device, int arg)
      throws NvmlException {
    if (h == null) {
      return null;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_INT);
      if (!check(fn, call(h, device, arg, out), false)) {
        return null;
      }
      return Integer.toUnsignedLong(out.get(JAVA_INT, 0));
    }
  }

  /**
   * Processes with a compute context on the device, or null when the driver cannot list them. The
   * buffer starts at {@link #FIRST_CAPACITY} entries and grows when NVML answers {@code
   * NVML_ERROR_INSUFFICIENT_SIZE}; the grown size is kept for the next call.
   */
  List<ComputeProcess> computeProcesses(MemorySegment device) throws NvmlException {
    if (computeProcesses == null) {
      return null;
    }
    StructLayout layout = processInfoLayout;
    boolean v1 = layout == PROCESS_INFO_V1;
    for (int attempt = 0; ; attempt++) {
      try (Arena a = Arena.ofConfined()) {
        int capacity = processCapacity;
        MemorySegment countInOut = a.allocate(JAVA_INT);
        countInOut.set(JAVA_INT, 0, capacity);
        MemorySegment infos = a.allocate(layout, capacity);
        int code = call(computeProcesses, device, countInOut, infos);
        if (code == ERROR_INSUFFICIENT_SIZE && attempt < MAX_GROWTHS) {
          processCapacity = grown(capacity, countInOut.get(JAVA_INT, 0));
          continue;
        }
        if (!check(computeProcessesSymbol, code, false)) {
          return null;
        }
        int n = Math.min(countInOut.get(JAVA_INT, 0), capacity);
        long stride = layout.byteSize();
        long pidAt = offset(layout, "pid");
        long memoryAt = offset(layout, "usedGpuMemory");
        List<ComputeProcess> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          long base = i * stride;
          long used = infos.get(JAVA_LONG, base + memoryAt);
          Long gi = null;
          Long ci = null;
          if (!v1) {
            gi =
                Integer.toUnsignedLong(infos.get(JAVA_INT, base + offset(layout, "gpuInstanceId")));
            ci =
                Integer.toUnsignedLong(
                    infos.get(JAVA_INT, base + offset(layout, "computeInstanceId")));
          }
          out.add(
              new ComputeProcess(
                  infos.get(JAVA_INT, base + pidAt),
                  used == VALUE_NOT_AVAILABLE ? null : used,
                  gi,
                  ci));
        }
        return out;
      }
    }
  }

  /**
   * Per-process utilization samples the driver took after {@code lastSeenMicros} (its CPU
   * timestamp; 0 for all it holds): an empty list when there are none ({@code
   * NVML_ERROR_NOT_FOUND}), null when the device or driver cannot give them.
   */
  List<ProcessUtilization> processUtilization(MemorySegment device, long lastSeenMicros)
      throws NvmlException {
    if (processUtilization == null) {
      return null;
    }
    StructLayout layout = PROCESS_UTILIZATION_SAMPLE;
    for (int attempt = 0; ; attempt++) {
      try (Arena a = Arena.ofConfined()) {
        int capacity = utilizationCapacity;
        MemorySegment countInOut = a.allocate(JAVA_INT);
        countInOut.set(JAVA_INT, 0, capacity);
        MemorySegment samples = a.allocate(layout, capacity);
        int code = call(processUtilization, device, samples, countInOut, lastSeenMicros);
        if (code == ERROR_NOT_FOUND) {
          return List.of();
        }
        if (code == ERROR_INSUFFICIENT_SIZE && attempt < MAX_GROWTHS) {
          utilizationCapacity = grown(capacity, countInOut.get(JAVA_INT, 0));
          continue;
        }
        if (!check("nvmlDeviceGetProcessUtilization", code, false)) {
          return null;
        }
        int n = Math.min(countInOut.get(JAVA_INT, 0), capacity);
        long stride = layout.byteSize();
        List<ProcessUtilization> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          long base = i * stride;
          out.add(
              new ProcessUtilization(
                  samples.get(JAVA_INT, base + offset(layout, "pid")),
                  samples.get(JAVA_LONG, base + offset(layout, "timeStamp")),
                  samples.get(JAVA_INT, base + offset(layout, "smUtil")),
                  samples.get(JAVA_INT, base + offset(layout, "memUtil")),
                  samples.get(JAVA_INT, base + offset(layout, "encUtil")),
                  samples.get(JAVA_INT, base + offset(layout, "decUtil"))));
        }
        return out;
      }
    }
  }

  /** The next buffer size: what NVML asked for plus headroom for processes starting meanwhile. */
  private static int grown(int capacity, int required) {
    return Math.max(capacity * 2, required + 16);
  }

  /** Shuts NVML down and unloads the library. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      int ignored = (int) shutdown.invokeExact();
    } catch (Throwable t) {
      // Shutting down is best effort: the library is unloaded next either way.
    } finally {
      arena.close();
    }
  }

  static long offset(StructLayout layout, String field) {
    return layout.byteOffset(groupElement(field));
  }

  /**
   * True on success, false on "not supported" (the figure is absent), an exception otherwise. Where
   * the call is essential ({@code required}), "not supported" is an error too.
   */
  private boolean check(String fn, int code, boolean required) throws NvmlException {
    if (code == SUCCESS) {
      return true;
    }
    if (code == ERROR_NOT_SUPPORTED && !required) {
      return false;
    }
    throw new NvmlException(fn, code, errorString(code));
  }

  private record Bound(String symbol, MethodHandle handle) {}

  /** The first of the symbols the library exports, bound to the descriptor, or null. */
  private static Bound first(SymbolLookup lookup, FunctionDescriptor fd, String... symbols) {
    for (String s : symbols) {
      Optional<MemorySegment> addr = lookup.find(s);
      if (addr.isPresent()) {
        return new Bound(s, Linker.nativeLinker().downcallHandle(addr.get(), fd));
      }
    }
    return null;
  }

  private static MethodHandle handleOrNull(
      SymbolLookup lookup, FunctionDescriptor fd, String symbol) {
    Bound b = first(lookup, fd, symbol);
    return b == null ? null : b.handle;
  }

  // Exact-typed invocations, one per C signature shape. A downcall throws nothing checked; a
  // Throwable here is a JVM failure, not an NVML error.

  private static int call(MethodHandle h, MemorySegment a) {
    try {
      return (int) h.invokeExact(a);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static int call(MethodHandle h, int a, MemorySegment b) {
    try {
      return (int) h.invokeExact(a, b);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static int call(MethodHandle h, MemorySegment a, MemorySegment b) {
    try {
      return (int) h.invokeExact(a, b);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static int call(MethodHandle h, MemorySegment a, int b, MemorySegment c) {
    try {
      return (int) h.invokeExact(a, b, c);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static int call(MethodHandle h, MemorySegment a, MemorySegment b, int c) {
    try {
      return (int) h.invokeExact(a, b, c);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static int call(MethodHandle h, MemorySegment a, MemorySegment b, MemorySegment c) {
    try {
      return (int) h.invokeExact(a, b, c);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static int call(
      MethodHandle h, MemorySegment a, MemorySegment b, MemorySegment c, long d) {
    try {
      return (int) h.invokeExact(a, b, c, d);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
