package io.inferscope.bench;

import io.inferscope.cli.Durations;
import io.inferscope.cli.Errors;
import io.inferscope.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated engine in its own JVM, so its CPU, heap and GC are not the client's and the client
 * process measures only itself. Same java binary and class path as this process.
 */
final class BenchSimProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("serving .* on (http://\\S+) \\(");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_START_LINES = 20;

  private final Process process;
  private final String baseUrl;

  private BenchSimProcess(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /**
   * Starts {@code inferscope sim} with the given JVM and sim arguments and waits for its URL line.
   *
   * @throws IOException with a one-line reason when it cannot start or print its URL
   */
  static BenchSimProcess start(List<String> jvmArgs, List<String> simArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("sim");
    command.addAll(simArgs);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String url = awaitUrl(p);
      return new BenchSimProcess(p, url);
    } catch (IOException | RuntimeException e) {
      stop(p);
      throw e;
    }
  }

  private static String awaitUrl(Process p) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = new CompletableFuture<>();
    // Reads the start lines, then keeps draining so a chatty child never blocks on a full pipe.
    Thread.ofVirtual()
        .name("inferscope-bench-sim-output")
        .start(
            () -> {
              StringBuilder seen = new StringBuilder();
              try {
                String line;
                int lines = 0;
                while ((line = reader.readLine()) != null) {
                  if (!url.isDone()) {
                    Matcher m = URL.matcher(line);
                    if (m.find()) {
                      url.complete(m.group(1));
                    } else if (++lines >= MAX_START_LINES) {
                      url.completeExceptionally(new IOException("no URL line: " + seen));
                    } else {
                      seen.append(Errors.oneLine(line)).append(' ');
                    }
                  }
                }
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
              url.completeExceptionally(
                  new IOException(
                      "it exited before serving"
                          + (seen.isEmpty() ? "" : ": " + seen.toString().strip())));
            });
    try {
      return url.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("no URL line within " + Durations.format(START_TIMEOUT));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting");
    }
  }

  String baseUrl() {
    return baseUrl;
  }

  /** CPU time the engine process has used so far (user + system), or null when unreadable. */
  Long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(null);
  }

  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process p) {
    // Forcibly: the sim serves until told; waiting here means no child outlives the bench.
    p.destroyForcibly();
    boolean interrupted = false;
    while (true) {
      try {
        p.waitFor();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
