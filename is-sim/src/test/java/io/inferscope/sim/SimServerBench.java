package io.inferscope.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves one SSE token schedule from the engine's own HTTP/1.1 server and from the JDK's {@code
 * com.sun.net.httpserver.HttpServer}, and reports what a ground-truth engine must get right: how
 * late each token leaves against its schedule, and the engine's CPU per event. A main class run by
 * hand (docs/benchmarks.md), not a test.
 *
 * <p>Each engine runs in its own JVM, in its own session ({@code setsid}), as a real engine would.
 * Every event carries the engine's {@link System#nanoTime()} read just before its write; the client
 * stamps its own send time on the same clock, so lateness = send stamp − (client send + TTFT + i ×
 * gap) for token i. It includes the request's way into the engine, the same for both servers.
 *
 * <pre>
 * java -cp is-sim/target/test-classes:is-sim/target/classes io.inferscope.sim.SimServerBench \
 *     [repeats] [streams,...] [rounds] [variant,...]
 * </pre>
 */
public final class SimServerBench {

  private static final Duration TTFT = Duration.ofMillis(20);
  private static final Duration GAP = Duration.ofMillis(10);
  private static final int TOKENS = 64;

  /** Events that carry a stamp: the role chunk, one per token, the finish chunk. */
  private static final int STAMPED_EVENTS = TOKENS + 2;

  private static final byte[] STAMP_FIELD =
      ",\"x_inferscope_sent_ns\":".getBytes(StandardCharsets.US_ASCII);
  private static final String REQUEST_BODY =
      "{\"model\":\"sim-model\",\"stream\":true,\"max_tokens\":"
          + TOKENS
          + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}]}";

  /** USER_HZ: /proc counts CPU time in these ticks on every current Linux architecture. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private SimServerBench() {}

  /** The servers compared. */
  enum Variant {
    /** The engine's own server ({@link SimEngine}). */
    HANDWRITTEN,
    /** JDK HttpServer, handlers on virtual threads, TCP_NODELAY on. */
    JDK,
    /** The same with the JDK server's default, Nagle's algorithm on. */
    JDK_NAGLE;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static Variant of(String code) {
      return valueOf(code.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }

  /** One measured level: lateness in ns of every token, engine CPU, events and failures. */
  record Level(
      long[] latenessNanos,
      long[] ownLatenessNanos,
      long engineCpuNanos,
      long events,
      int failures) {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("engine")) {
      serve(Variant.of(args[1]));
      return;
    }
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] streams =
        Arrays.stream((args.length > 1 ? args[1] : "64,256,512").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    List<Variant> variants =
        Arrays.stream((args.length > 3 ? args[3] : "handwritten,jdk,jdk-nagle").split(","))
            .map(Variant::of)
            .toList();
    System.out.printf(
        "%d tokens, TTFT %d ms, gap %d ms, %d requests per stream, %d repeats, %d processors%n",
        TOKENS,
        TTFT.toMillis(),
        GAP.toMillis(),
        rounds,
        repeats,
        Runtime.getRuntime().availableProcessors());
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (int repeat = 1; repeat <= repeats; repeat++) {
      // Variants alternate within each repeat, so that a slow minute of the host hits all alike.
      for (Variant variant : variants) {
        try (Engine engine = Engine.start(variant)) {
          drive(engine, 256, 1); // warm-up: the JIT compiles both sides' hot paths
          for (int n : streams) {
            Level level = drive(engine, n, rounds);
            double[] row = row(level);
            results.computeIfAbsent(variant.code() + " " + n, k -> new ArrayList<>()).add(row);
            System.out.printf(
                "repeat %d %-12s %4d streams: lateness p50 %.3f p99 %.3f max %.3f ms,"
                    + " own p50 %.3f p99 %.3f max %.3f ms, engine %.1f µs/event, %d events,"
                    + " %d failures%n",
                repeat,
                variant.code(),
                n,
                row[0],
                row[1],
                row[2],
                row[5],
                row[6],
                row[7],
                row[3],
                level.events(),
                level.failures());
          }
        }
      }
    }
    System.out.println();
    System.out.println(
        "| server | streams | lateness p50 ms | p99 | max | own lateness p50 ms | p99 | max |"
            + " engine CPU µs/event | failures |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
      String[] key = e.getKey().split(" ");
      List<double[]> rows = e.getValue();
      System.out.printf(
          "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f |%n",
          key[0],
          key[1],
          spread(rows, 0, "%.3f"),
          spread(rows, 1, "%.2f"),
          spread(rows, 2, "%.1f"),
          spread(rows, 5, "%.3f"),
          spread(rows, 6, "%.2f"),
          spread(rows, 7, "%.1f"),
          spread(rows, 3, "%.1f"),
          rows.stream().mapToDouble(r -> r[4]).sum());
    }
  }

  /** The median of the repeats and, in brackets, their range. */
  private static String spread(List<double[]> rows, int column, String format) {
    double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    String median = String.format(format, values[values.length / 2]);
    if (values.length == 1) {
      return median;
    }
    return median
        + " ("
        + String.format(format, values[0])
        + "–"
        + String.format(format, values[values.length - 1])
        + ")";
  }

  /**
   * Lateness p50, p99, max from the client's send, CPU, failures, then lateness from the engine.
   */
  private static double[] row(Level level) {
    long[] sorted = level.latenessNanos().clone();
    Arrays.sort(sorted);
    long[] own = level.ownLatenessNanos().clone();
    Arrays.sort(own);
    return new double[] {
      percentile(sorted, 50) / 1e6,
      percentile(sorted, 99) / 1e6,
      sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
      level.events() == 0 ? Double.NaN : level.engineCpuNanos() / 1e3 / level.events(),
      level.failures(),
      percentile(own, 50) / 1e6,
      percentile(own, 99) / 1e6,
      own.length == 0 ? Double.NaN : own[own.length - 1] / 1e6
    };
  }

  /** Linear interpolation between closest ranks, as every percentile in inferscope (ADR 0002). */
  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * p / 100;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** {@code streams} clients at once, each sending {@code rounds} requests one after another. */
  private static Level drive(Engine engine, int streams, int rounds) throws Exception {
    long[][] lateness = new long[streams][];
    long[][] ownLateness = new long[streams][];
    long[] events = new long[streams];
    int[] failures = new int[streams];
    List<Thread> threads = new ArrayList<>(streams);
    long cpuBefore = engine.cpuNanos();
    for (int s = 0; s < streams; s++) {
      int stream = s;
      threads.add(
          Thread.ofPlatform()
              .name("client-" + s)
              .start(
                  () -> {
                    long[] mine = new long[rounds * TOKENS];
                    long[] own = new long[rounds * TOKENS];
                    int at = 0;
                    for (int r = 0; r < rounds; r++) {
                      try {
                        long[] stamps = new long[STAMPED_EVENTS + 8];
                        long sentNanos = request(engine.port(), stamps);
                        int stamped = (int) stamps[stamps.length - 1];
                        events[stream] += stamped + 1; // and the unstamped [DONE]
                        if (stamped != STAMPED_EVENTS) {
                          failures[stream]++;
                          continue;
                        }
                        for (int i = 0; i < TOKENS; i++) {
                          long due = sentNanos + TTFT.toNanos() + i * GAP.toNanos();
                          // The role chunk leaves as the engine starts the request: its own anchor.
                          long ownDue = stamps[0] + TTFT.toNanos() + i * GAP.toNanos();
                          own[at] = stamps[i + 1] - ownDue;
                          mine[at++] = stamps[i + 1] - due;
                        }
                      } catch (IOException e) {
                        failures[stream]++;
                      }
                    }
                    lateness[stream] = Arrays.copyOf(mine, at);
                    ownLateness[stream] = Arrays.copyOf(own, at);
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long cpuNanos = engine.cpuNanos() - cpuBefore;
    long[] all = Arrays.stream(lateness).flatMapToLong(Arrays::stream).toArray();
    long[] allOwn = Arrays.stream(ownLateness).flatMapToLong(Arrays::stream).toArray();
    return new Level(
        all, allOwn, cpuNanos, Arrays.stream(events).sum(), Arrays.stream(failures).sum());
  }

  /**
   * One streamed request on a fresh connection; fills {@code stamps} with the events' send stamps
   * in order (the count in the last slot) and returns the client's send time.
   */
  private static long request(int port, long[] stamps) throws IOException {
    byte[] body = REQUEST_BODY.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
                + " application/json\r\nAccept-Encoding: identity\r\nConnection: close\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      long sentNanos = System.nanoTime();
      socket.getOutputStream().write(request);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
      int count = 0;
      byte[] line = new byte[4096];
      boolean first = true;
      int len;
      while ((len = readLine(in, line)) >= 0) {
        if (first) {
          if (!new String(line, 0, Math.min(len, 12), StandardCharsets.US_ASCII)
              .equals("HTTP/1.1 200")) {
            throw new IOException("status line " + new String(line, 0, len));
          }
          first = false;
          continue;
        }
        int field = indexOf(line, len, STAMP_FIELD);
        if (field >= 0 && count < stamps.length - 1) {
          stamps[count++] = parseLong(line, field + STAMP_FIELD.length, len);
        }
      }
      stamps[stamps.length - 1] = count;
      return sentNanos;
    }
  }

  /** Reads one line without its CRLF into {@code line}; -1 at the end of the stream. */
  private static int readLine(InputStream in, byte[] line) throws IOException {
    int len = 0;
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return len > 0 && line[len - 1] == '\r' ? len - 1 : len;
      }
      if (len < line.length) {
        line[len++] = (byte) b;
      }
    }
    return len == 0 ? -1 : len;
  }

  private static int indexOf(byte[] hay, int len, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= len; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long parseLong(byte[] bytes, int from, int len) {
    long value = 0;
    for (int i = from; i < len && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
      value = value * 10 + (bytes[i] - '0');
    }
    return value;
  }

  private static SimConfig config() {
    return SimConfig.defaults()
        .withTiming(TTFT, GAP, Duration.ZERO)
        .withOutputTokens(TOKENS)
        .withStampMonotonic(true);
  }

  // ---- the engine process ----

  /** Serves until stdin closes (the driver ends), printing the bound port first. */
  private static void serve(Variant variant) throws IOException {
    AutoCloseable server =
        switch (variant) {
          case HANDWRITTEN -> SimEngine.start(config());
          case JDK, JDK_NAGLE -> JdkSse.start(config());
        };
    int port = server instanceof SimEngine engine ? engine.port() : ((JdkSse) server).port();
    System.out.println("port " + port);
    System.out.flush();
    while (System.in.read() != -1) {
      // the driver closes our stdin when it is done
    }
    try {
      server.close();
    } catch (Exception e) {
      // exiting either way
    }
  }

  /**
   * The same stream on the JDK's HttpServer: the same schedule, chunk texts and stamps as {@link
   * CompletionRun}'s fault-free path, one chunk written and flushed per event.
   */
  static final class JdkSse implements AutoCloseable {
    private final HttpServer server;

    private JdkSse(HttpServer server) {
      this.server = server;
    }

    static JdkSse start(SimConfig config) throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
      // Without an executor every handler would run on the one dispatcher thread.
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      AtomicLong requests = new AtomicLong();
      server.createContext("/v1/chat/completions", exchange -> stream(config, requests, exchange));
      server.start();
      return new JdkSse(server);
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }

    private static void stream(SimConfig config, AtomicLong requests, HttpExchange exchange)
        throws IOException {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        long arrivalNanos = System.nanoTime();
        CompletionRequest request;
        try {
          request = CompletionRequest.parse(Endpoint.CHAT, body);
        } catch (RequestException e) {
          exchange.sendResponseHeaders(400, -1);
          return;
        }
        long index = requests.getAndIncrement();
        TokenSchedule schedule =
            TokenSchedule.plan(config, request.outputTokens(config.outputTokens()), index);
        ChunkFormatter format =
            new ChunkFormatter(
                Endpoint.CHAT,
                index,
                System.currentTimeMillis() / 1000,
                request.model(),
                config.seed(),
                config.reasoningTokens());
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // 0: chunked
        OutputStream out = exchange.getResponseBody();
        ByteArrayOutputStream frame = new ByteArrayOutputStream(512);
        event(out, frame, format.role(config.roleChunk()));
        int tokens = schedule.tokens();
        for (int i = 0; i < tokens; i++) {
          awaitDeadline(arrivalNanos + schedule.dueNanos(i));
          event(out, frame, format.text(i, i + 1));
        }
        awaitDeadline(arrivalNanos + schedule.endNanos());
        event(out, frame, format.finish(request.capped(config.outputTokens()) ? "length" : "stop"));
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }

    /** {@code data: <json with the stamp>} and a blank line, as one chunk: one write, one flush. */
    private static void event(OutputStream out, ByteArrayOutputStream frame, CharSequence json)
        throws IOException {
      frame.reset();
      frame.writeBytes(
          ("data: " + json.subSequence(0, json.length() - 1)).getBytes(StandardCharsets.UTF_8));
      frame.writeBytes(STAMP_FIELD);
      frame.writeBytes(Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
      frame.writeBytes("}\n\n".getBytes(StandardCharsets.US_ASCII));
      frame.writeTo(out);
      out.flush();
    }

    private static void awaitDeadline(long deadlineNanos) {
      long remaining;
      while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(remaining);
      }
    }
  }

  /** The engine as a child process in its own session. */
  private record Engine(Process process, int port, long pid) implements AutoCloseable {

    static Engine start(Variant variant) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>();
      command.add("setsid");
      command.add(java);
      if (variant == Variant.JDK) {
        command.add("-Dsun.net.httpserver.nodelay=true");
      }
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              SimServerBench.class.getName(),
              "engine",
              variant.code()));
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("port ")) {
        process.destroyForcibly();
        throw new IOException("engine did not start: " + line);
      }
      // setsid execs in place (the child is no group leader), so the pid is the engine's JVM.
      String name =
          Files.readString(Path.of("/proc", Long.toString(process.pid()), "comm")).strip();
      if (!name.equals("java")) {
        process.destroyForcibly();
        throw new IOException("pid " + process.pid() + " is " + name + ", not the engine's JVM");
      }
      return new Engine(process, Integer.parseInt(line.substring(5)), process.pid());
    }

    /** The engine's user + system CPU time so far, all its threads, from /proc. */
    long cpuNanos() throws IOException {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is stat's field 3 (state); utime and stime are fields 14 and 15.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    @Override
    public void close() throws IOException {
      process.getOutputStream().close();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
