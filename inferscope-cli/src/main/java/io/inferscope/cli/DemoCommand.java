package io.inferscope.cli;

import io.inferscope.core.RunMeta;
import io.inferscope.probe.Endpoint;
import io.inferscope.probe.LoadSpec;
import io.inferscope.probe.Timeouts;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code inferscope demo}: the whole job with nothing installed. Starts the simulated engine on a
 * free loopback port, profiles it, prints the report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Profiles the built-in simulated engine (80 ms TTFT, 15 ms per token with jitter, every"
          + " 25th request shed with HTTP 503) so you can see a full report with no engine,"
          + " model or GPU."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-c", "--concurrency"},
      defaultValue = "8",
      converter = JvmChoice.StreamCount.class,
      description = "Requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = {"-n", "--requests"},
      defaultValue = "48",
      description = "Measured requests (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--stop-grace",
      defaultValue = LoadOptions.STOP_GRACE_DEFAULT,
      converter = Durations.NonNegative.class,
      description = LoadOptions.STOP_GRACE_HELP)
  Duration stopGrace;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws InterruptedException {
    if (concurrency < 1 || requests < 1) {
      throw Errors.usage("--concurrency and --requests must be at least 1");
    }
    output.validate();
    SimConfig config =
        SimConfig.defaults()
            .withTiming(Duration.ofMillis(80), Duration.ofMillis(15), Duration.ofMillis(5))
            .withOutputTokens(48)
            .withFault(SimConfig.Fault.HTTP_503, 25, 0);
    try (SimEngine engine = SimEngine.start(config)) {
      LoadSpec load =
          LoadSpec.builder(URI.create(engine.baseUrl()), Endpoint.CHAT)
              .model("sim-model")
              .prompt(LoadOptions.DEFAULT_PROMPT)
              .maxTokens(48)
              .concurrency(concurrency)
              .requests(requests)
              .warmupRequests(2)
              .timeouts(Timeouts.defaults().withStopGrace(stopGrace))
              .build();
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("concurrency", Integer.toString(concurrency));
      settings.put("requests", Integer.toString(requests));
      settings.put("warmup", "2");
      settings.put("max_tokens", "48");
      settings.put("stop_grace", Durations.format(stopGrace));
      settings.put("engine", "simulated: ttft 80ms, itl 15ms ±5ms, 48 tokens, 503 every 25th");
      RunMeta meta =
          new RunMeta(
              Version.get(),
              "run",
              spec.commandLine().getParseResult().originalArgs(),
              engine.baseUrl(),
              Endpoint.CHAT.code(),
              "sim-model",
              settings);
      return new Profiler(spec.commandLine().getOut(), spec.commandLine().getErr())
          .profile(load, meta, output, demoTarget(), HardwareOptions.defaults());
    } catch (IOException e) {
      throw Errors.failure(
          "cannot start the simulated engine on loopback ("
              + Errors.oneLine(e.getMessage())
              + "): check that 127.0.0.1 is usable");
    }
  }

  /** The simulated engine runs inside this process: its tree is what there is to sample. */
  private static EngineTarget demoTarget() {
    return new EngineTarget(
        (int) ProcessHandle.current().pid(), "this process (in-process simulated engine)", null);
  }
}
