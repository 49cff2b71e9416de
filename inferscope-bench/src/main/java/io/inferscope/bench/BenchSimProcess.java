package io.inferscope.bench;

import io.inferscope.cli.Durations;
import io.inferscope.cli.Errors;
import io.inferscope.cli.Main;
import io.inferscope.sim.ScheduleReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * process measures only itself. Same java binary and class path as this process. Started in a
 * session of its own where {@code setsid} exists: on Linux each session is its own scheduler
 * autogroup, so the kernel shares the CPU between engine and client as between two programs started
 * apart, not among all their threads together.
 */
final class BenchSimProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("serving .* on (http://\\S+) \\(");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_START_LINES = 20;
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Duration SCHEDULE_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final String baseUrl;
  private final boolean ownSession;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(SCHEDULE_TIMEOUT)
          .build();

  private BenchSimProcess(Process process, String baseUrl, boolean ownSession) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.ownSession = ownSession;
  }

  /** Whether this host can start the engine in a session of its own. */
  static boolean canStartOwnSession() {
    return Files.isExecutable(SETSID);
  }

  /** This JVM's own launcher: the bench's child processes run on the JDK that runs it. */
  static String thisJava() {
    return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts {@code inferscope sim} with the given JVM and sim arguments and waits for its URL line.
   *
   * @throws IOException with a one-line reason when it cannot start or print its URL
   */
  static BenchSimProcess start(List<String> jvmArgs, List<String> simArgs) throws IOException {
    List<String> command = new ArrayList<>();
    boolean ownSession = canStartOwnSession();
    if (ownSession) {
      // A child of this JVM leads no process group, so setsid execs the engine in place rather
      // than forking it: the process started here is the engine's JVM itself.
      command.add(SETSID.toString());
    }
    command.add(thisJava());
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
      if (!p.isAlive()) {
        throw new IOException(
            "the engine's process ended after printing its URL (setsid forked?): run the bench"
                + " where setsid is absent or the bench leads no process group");
      }
      return new BenchSimProcess(p, url, ownSession);
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

  /** Whether the engine runs in a session (and so a scheduler autogroup) of its own. */
  boolean ownSession() {
    return ownSession;
  }

  /**
   * The engine's schedule lateness since the last call, which starts a new window ({@code DELETE
   * }{@value ScheduleReport#PATH}); null when the engine does not answer.
   */
  ScheduleReport takeSchedule() throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + ScheduleReport.PATH))
            .timeout(SCHEDULE_TIMEOUT)
            .DELETE()
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? ScheduleReport.parse(r.body()) : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** CPU time the engine process has used so far (user + system), or null when unreadable. */
  Long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(null);
  }

  @Override
  public void close() {
    http.close();
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
