package io.inferscope.sysmon;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fake {@code libnvidia-ml.so.1} of {@code src/test/resources/nvml/fake_nvml.c}, compiled with
 * gcc for a test, and a handle on its {@code fake_*} symbols to steer and observe it. Opening the
 * same file again reaches the same loaded copy as the code under test.
 */
@SuppressWarnings("restricted") // binds the fake's own symbols
final class NvmlFake implements AutoCloseable {

  private final Path library;
  private final Arena arena = Arena.ofShared();
  private final SymbolLookup lookup;

  private NvmlFake(Path library) {
    this.library = library;
    this.lookup = SymbolLookup.libraryLookup(library, arena);
  }

  /**
   * Compiles the fake into {@code dir/libnvidia-ml.so.1} with the given {@code -D} macros (e.g.
   * {@code NO_V3}). Fails, never skips, without gcc: CI has it.
   */
  static Path build(Path dir, String... defines) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path source = dir.resolve("fake_nvml.c");
    try (InputStream in = NvmlFake.class.getResourceAsStream("/nvml/fake_nvml.c")) {
      if (in == null) {
        throw new AssertionError("test resource /nvml/fake_nvml.c is missing");
      }
      Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
    }
    Path out = dir.resolve("libnvidia-ml.so.1");
    List<String> args = new ArrayList<>(List.of("-shared", "-fPIC", "-O1", "-Wall", "-Werror"));
    for (String d : defines) {
      args.add("-D" + d);
    }
    args.addAll(List.of("-o", out.toString(), source.toString()));
    gcc(args);
    return out;
  }

  /**
   * Builds a shared library that exists and is well formed but cannot be loaded: it needs a library
   * that is gone (as after a half-removed driver).
   */
  static Path buildUnloadable(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path dep = Files.writeString(dir.resolve("dep.c"), "int dep(void) { return 1; }\n");
    Path use =
        Files.writeString(
            dir.resolve("use.c"), "int dep(void);\nint use(void) { return dep(); }\n");
    Path depLib = dir.resolve("libinferscopegone.so");
    gcc(List.of("-shared", "-fPIC", "-o", depLib.toString(), dep.toString()));
    Path out = dir.resolve("libnvidia-ml.so.1");
    gcc(
        List.of(
            "-shared",
            "-fPIC",
            "-o",
            out.toString(),
            use.toString(),
            "-L" + dir,
            "-linferscopegone"));
    Files.delete(depLib);
    return out;
  }

  private static void gcc(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("gcc");
    cmd.addAll(args);
    Process gcc;
    try {
      gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "gcc is required to build the fake libnvidia-ml.so.1 for the NVML tests: install gcc"
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gcc.waitFor(120, TimeUnit.SECONDS)) {
      gcc.destroyForcibly();
      throw new AssertionError("gcc did not finish within 120 s");
    }
    if (gcc.exitValue() != 0) {
      throw new AssertionError("gcc failed (" + cmd + "):\n" + log);
    }
  }

  /** Opens the built fake and resets its state. */
  static NvmlFake open(Path library) {
    NvmlFake f = new NvmlFake(library);
    f.reset();
    return f;
  }

  Path library() {
    return library;
  }

  void reset() {
    call("fake_reset", FunctionDescriptor.ofVoid());
  }

  /** Adds a process utilization sample the driver "took" on a device. */
  void pushUtil(int device, int pid, long timeStampMicros, int sm, int mem) {
    MethodHandle h =
        Linker.nativeLinker()
            .downcallHandle(
                symbol("fake_push_util"),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    try {
      h.invokeExact(device, pid, timeStampMicros, sm, mem);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** Calls the fake's nvmlShutdown behind the sampler's back: every later call fails. */
  void shutdownBehindTheBack() {
    MethodHandle h =
        Linker.nativeLinker()
            .downcallHandle(symbol("nvmlShutdown"), FunctionDescriptor.of(JAVA_INT));
    try {
      int ignored = (int) h.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  int computeCalls(int device) {
    return global("fake_compute_calls", 8).get(JAVA_INT, 4L * device);
  }

  int computeVersion() {
    return global("fake_compute_version", 4).get(JAVA_INT, 0);
  }

  int initVersion() {
    return global("fake_init_version", 4).get(JAVA_INT, 0);
  }

  int shutdownCalls() {
    return global("fake_shutdown_calls", 4).get(JAVA_INT, 0);
  }

  /** The lastSeenTimeStamp the last nvmlDeviceGetProcessUtilization call passed for a device. */
  long lastSeen(int device) {
    return global("fake_last_seen", 16).get(JAVA_LONG, 8L * device);
  }

  void energyMillijoules(int device, long mj) {
    global("fake_energy_mj", 16).set(JAVA_LONG, 8L * device, mj);
  }

  /** sizeof/offsetof of the NVML structs as gcc lays them out; see fake_layout in the C file. */
  long[] cLayout() {
    return global("fake_layout", 17 * 8).toArray(JAVA_LONG);
  }

  private MemorySegment global(String name, long bytes) {
    return symbol(name).reinterpret(bytes);
  }

  private MemorySegment symbol(String name) {
    return lookup.find(name).orElseThrow(() -> new AssertionError("fake lacks " + name));
  }

  private void call(String name, FunctionDescriptor fd) {
    MethodHandle h = Linker.nativeLinker().downcallHandle(symbol(name), fd);
    try {
      h.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  @Override
  public void close() {
    arena.close();
  }
}
