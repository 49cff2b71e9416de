package io.inferscope.cli;

import io.inferscope.sim.SimEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code inferscope sim}: serve a simulated OpenAI-compatible engine until stopped. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Serves a simulated OpenAI-compatible streaming engine (no model, no GPU) with chosen timing"
          + " and injected faults, for trying inferscope and testing against known figures."
    })
final class SimCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = {"-p", "--port"},
      defaultValue = "8000",
      description = "Port to bind, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = {"-d", "--duration"},
      converter = Durations.class,
      description = "Stop after this long (default: run until Ctrl-C).")
  Duration duration;

  @Mixin SimOptions sim;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw Errors.usage("--port must be between 0 and 65535, got " + port);
    }
    SimEngine engine;
    try {
      engine = SimEngine.start(sim.toConfig(host, port));
    } catch (IOException e) {
      throw Errors.failure(
          "cannot serve on "
              + host
              + ":"
              + port
              + " ("
              + Errors.oneLine(e.getMessage())
              + "): choose another --port or stop whatever holds it");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              engine.close();
              stopped.countDown();
            },
            "inferscope-sim-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.println(
        "inferscope sim: serving OpenAI-compatible streams on "
            + engine.baseUrl()
            + " (Ctrl-C to stop)");
    out.flush();
    if (duration == null) {
      stopped.await();
    } else if (!stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
      engine.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return ExitCodes.OK;
  }
}
