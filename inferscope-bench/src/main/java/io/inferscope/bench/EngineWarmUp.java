package io.inferscope.bench;

import io.inferscope.cli.Errors;
import io.inferscope.core.RunClock;
import io.inferscope.probe.LoadRunner;
import java.net.URI;
import java.time.Duration;

/**
 * The engine's warm-up before {@code bench fidelity}'s cold level, in a process of its own so that
 * the bench's JVM, the client under test, stays cold: inferscope's client sends the levels' own
 * requests ({@link BenchFidelityCommand#probeLoad}) for a level's time and prints {@code N
 * responses}, or one line on stderr and exit status 1.
 *
 * <pre>java -cp inferscope-bench.jar io.inferscope.bench.EngineWarmUp URL STREAMS TOKENS DURATION
 * </pre>
 */
public final class EngineWarmUp {
  private EngineWarmUp() {}

  public static void main(String[] args) {
    try {
      var load =
          BenchFidelityCommand.probeLoad(
              URI.create(args[0]),
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              Duration.parse(args[3]));
      int responses = LoadRunner.create(load, RunClock.startNow()).run(null).traces().size();
      System.out.println(responses + " responses");
      System.exit(0);
    } catch (RuntimeException e) {
      // One line, the last the bench reads: the cause, not a stack trace.
      System.err.println("engine warm-up: " + Errors.oneLine(e.toString()));
      System.exit(1);
    }
  }
}
