package io.inferscope.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Which engine process and GPUs to sample, and how often. */
final class HardwareOptions {
  @Option(names = "--pid", description = "Engine process to sample, with all its descendants.")
  Integer pid;

  @Option(
      names = "--port",
      description =
          "Sample the process listening on this TCP port (default: the --url port when"
              + " the engine runs on this host).")
  Integer port;

  @Option(
      names = "--process-name",
      description = "Sample the one process with this command name (e.g. llama-server).")
  String processName;

  @Option(names = "--no-process", description = "Do not sample the engine's process tree.")
  boolean noProcess;

  @Option(
      names = "--sample-period",
      defaultValue = "50ms",
      converter = Durations.class,
      description = "Process-tree sampling period (default: ${DEFAULT-VALUE}).")
  Duration samplePeriod;

  @Option(
      names = "--gpu-period",
      defaultValue = "100ms",
      converter = Durations.class,
      description =
          "GPU sampling period (default: ${DEFAULT-VALUE}; NVML's own utilisation"
              + " window is about 1/6 s).")
  Duration gpuPeriod;

  @Option(
      names = "--nvml-lib",
      description = "Path of libnvidia-ml.so.1 (default: found by the dynamic loader).")
  Path nvmlLibrary;

  @Option(names = "--no-gpu", description = "Do not sample GPUs.")
  boolean noGpu;

  @Option(
      names = "--engine-metrics-period",
      defaultValue = "1s",
      converter = Durations.class,
      description = "How often the engine's own /metrics is read (default: ${DEFAULT-VALUE}).")
  Duration engineMetricsPeriod;

  @Option(names = "--no-engine-metrics", description = "Do not read the engine's /metrics.")
  boolean noEngineMetrics;

  @Option(
      names = "--engine-metrics-url",
      description =
          "Where the engine's metrics are, when not at the --url's /metrics (e.g. a Dynamo"
              + " frontend or a separate port).")
  String engineMetricsUrl;

  @Option(
      names = "--engine",
      completionCandidates = EnumNames.Engines.class,
      description =
          "Whose metric names to read: ${COMPLETION-CANDIDATES} (default: detected from the"
              + " names).")
  io.inferscope.core.EngineKind engine;

  /** The defaults, for commands that do not offer these options. */
  static HardwareOptions defaults() {
    HardwareOptions o = new HardwareOptions();
    o.samplePeriod = Duration.ofMillis(50);
    o.gpuPeriod = Duration.ofMillis(100);
    o.engineMetricsPeriod = Duration.ofSeconds(1);
    o.noEngineMetrics = false;
    return o;
  }

  void validate() {
    int given = (pid != null ? 1 : 0) + (port != null ? 1 : 0) + (processName != null ? 1 : 0);
    if (given > 1) {
      throw Errors.usage("give one of --pid, --port and --process-name");
    }
    if (noProcess && given > 0) {
      throw Errors.usage("--no-process contradicts --pid/--port/--process-name");
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw Errors.usage("--port must be between 1 and 65535, got " + port);
    }
    if (samplePeriod.toMillis() < 1 || gpuPeriod.toMillis() < 1) {
      throw Errors.usage("--sample-period and --gpu-period must be at least 1ms");
    }
    if (engineMetricsPeriod.toMillis() < 10) {
      throw Errors.usage("--engine-metrics-period must be at least 10ms");
    }
    if (engineMetricsUrl != null) {
      RunCommand.parseUrl(engineMetricsUrl);
    }
    if (engine == io.inferscope.core.EngineKind.UNKNOWN) {
      throw Errors.usage("--engine: name one of vllm, sglang, llama_cpp, tgi, dynamo");
    }
  }
}
