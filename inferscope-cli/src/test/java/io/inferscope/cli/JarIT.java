package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as users run it: a child JVM with {@code java -jar}. */
class JarIT {

  record Proc(int code, String out, String err) {}

  static Proc java(Path dir, String... args) throws IOException, InterruptedException {
    return java(dir, List.of(), args);
  }

  /** {@code java [jvmOptions] -jar inferscope.jar args} in {@code dir}. */
  static Proc java(Path dir, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    assertThat(jar).exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("inferscope " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Proc(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void versionFromTheManifestBuild(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "--version");
    assertThat(p.code()).isZero();
    assertThat(p.out()).startsWith("inferscope 0.").contains("Java 25");
    // The shaded jar carries the build's facts: the commit git names here, a build time.
    Matcher line = VersionTest.LINE.matcher(p.out().lines().findFirst().orElseThrow());
    assertThat(line.matches()).as(p.out()).isTrue();
    assertThat(line.group(2)).isEqualTo(VersionTest.gitCommitHere());
    assertThat(line.group(3)).isNotEqualTo(Version.UNKNOWN);
    assertThat(p.err()).doesNotContain("WARNING");
  }

  /** The benchmarks have their own jar (inferscope-bench, ADR 0001): none of them ships here. */
  @Test
  void theJarHoldsNoBenchmark() throws Exception {
    try (JarFile jar = new JarFile(System.getProperty("inferscope.jar"))) {
      List<String> names = jar.stream().map(JarEntry::getName).toList();
      assertThat(names).contains("io/inferscope/cli/Main.class");
      assertThat(names)
          .noneMatch(n -> n.startsWith("io/inferscope/bench/"))
          .noneMatch(n -> n.matches("io/inferscope/(.+/)?Bench[^/]*\\.class"));
    }
  }

  private static final Pattern REWRITTEN =
      Pattern.compile("picocli/|org/intellij/lang/annotations/|org/jetbrains/annotations/");

  /**
   * The build rewrites picocli's Java 5 class files as Java 8 ones with stack maps, so that the
   * JDK's AOT cache keeps them (src/build/UpgradeOldClassFiles.java): none older is left, and every
   * class it rewrote (picocli's, and two annotation jars') loads under the type-checking verifier
   * with the jar first on the class path.
   */
  @Test
  void picocliShipsAsJava8ClassFilesThatVerify(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    int picocli = 0;
    int rewritten = 0;
    try (JarFile jf = new JarFile(jar.toFile())) {
      for (JarEntry e : jf.stream().toList()) {
        if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
          byte[] head = jf.getInputStream(e).readNBytes(8);
          int major = (head[6] & 0xff) << 8 | head[7] & 0xff;
          assertThat(major).as(e.getName()).isGreaterThanOrEqualTo(50);
          picocli += e.getName().startsWith("picocli/") ? 1 : 0;
          rewritten += REWRITTEN.matcher(e.getName()).lookingAt() ? 1 : 0;
        }
      }
    }
    assertThat(picocli).isGreaterThan(100);
    Path testClasses =
        Path.of(LoadJarClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xverify:all",
                "-cp",
                jar + java.io.File.pathSeparator + testClasses,
                LoadJarClasses.class.getName(),
                jar.toString(),
                "picocli/",
                "org/intellij/lang/annotations/",
                "org/jetbrains/annotations/")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.txt").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("out.txt"));
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.strip()).isEqualTo(Integer.toString(rewritten));
  }

  /**
   * OTLP export from the shaded jar: the JDK sender is found through its merged service file, and
   * no OkHttp sender ships beside it (ADR 0018).
   */
  @Test
  void theJarExportsOverOtlpWithTheJdkSenderAlone(@TempDir Path dir) throws Exception {
    try (JarFile jar = new JarFile(System.getProperty("inferscope.jar"))) {
      JarEntry services =
          jar.getJarEntry(
              "META-INF/services/io.opentelemetry.sdk.common.export.HttpSenderProvider");
      assertThat(services).isNotNull();
      assertThat(new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8))
          .contains("JdkHttpSenderProvider")
          .doesNotContain("OkHttp");
      assertThat(jar.stream().map(JarEntry::getName))
          .noneMatch(n -> n.startsWith("io/opentelemetry/exporter/sender/okhttp/"));
    }
    Proc demo = java(dir, "demo", "-c", "2", "-n", "4", "--json", "demo.json", "-q");
    assertThat(demo.code()).as(demo.err()).isZero();
    int requests = RunAnalysis.of(JsonReport.read(dir.resolve("demo.json"))).requests().size();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      Proc p = java(dir, "report", "demo.json", "--otlp-endpoint", receiver.url());
      assertThat(p.code()).as(p.err()).isZero();
      assertThat(p.err().strip())
          .startsWith("inferscope: OTLP: " + (requests + 1) + " spans and ")
          .doesNotContain("\n");
      assertThat(receiver.spans()).hasSize(requests + 1);
    }
    // A receiver that is down: the one line, and none of the SDK's own log output (a stack trace).
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Proc down = java(dir, "report", "demo.json", "--otlp-endpoint", "http://127.0.0.1:" + port);
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(down.err())
        .isEqualTo(
            "inferscope: OTLP export to http://127.0.0.1:"
                + port
                + " failed: traces: connection refused; metrics: not sent; the run's other outputs"
                + " are intact"
                + System.lineSeparator());
  }

  @Test
  void benchSaysWhereTheBenchmarksAre(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "bench", "fidelity");
    assertThat(p.code()).isEqualTo(2);
    assertThat(p.err().strip())
        .startsWith("inferscope: ")
        .contains("./inferscope bench", "inferscope-bench.jar")
        .doesNotContain("\n");
    assertThat(p.out()).isEmpty();
  }

  @Test
  void demoProducesReportAndJson(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "demo", "-c", "4", "-n", "8", "--json", "demo.json");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("TTFT");
    assertThat(dir.resolve("demo.json")).exists();
    assertThat(Files.readString(dir.resolve("demo.json"))).contains("\"schema_version\"");
  }

  /**
   * Two class set-ups that once lay on the way to the first request and are work, not loading (an
   * AOT cache cannot do them ahead of time; docs/benchmarks.md, "Start-up time to first request"):
   * Netty's flight-recorder events, whose annotations took about 80 ms to read, and {@code
   * BigDecimal}, about 20 ms. The JVM's class-initialisation log of a real run orders them against
   * the run's analysis, which starts once the load is over.
   */
  @Test
  void theWayToTheLoadSetsUpNeitherNettysRecorderEventsNorBigDecimal(@TempDir Path dir)
      throws Exception {
    Process sim = startSim("--ttft", "5ms", "--itl", "1ms", "--output-tokens", "8");
    try {
      String url = urlOf(sim);
      Path log = dir.resolve("init.log");
      Proc p =
          java(
              dir,
              List.of("-Xlog:class+init=info:file=" + log),
              "run",
              "--url",
              url,
              "-n",
              "1",
              "--max-tokens",
              "8",
              "--no-gpu",
              "--no-process",
              "--progress",
              "off",
              "--json",
              "run.json");
      assertThat(p.code()).as(p.err()).isZero();
      List<String> inits =
          Files.readAllLines(log).stream().filter(l -> l.contains(" Initializing '")).toList();
      int streamClient = indexOf(inits, "io/inferscope/probe/StreamClient");
      int analysis = indexOf(inits, "io/inferscope/core/RunAnalysis");
      // Both were set up: the stream reader before the load, the analysis after it.
      assertThat(streamClient).isNotNegative().isLessThan(analysis);
      assertThat(indexOf(inits, "io/netty/buffer/AllocateChunkEvent")).isNegative();
      assertThat(indexOf(inits, "io/netty/buffer/AbstractAllocatorEvent")).isNegative();
      int bigDecimal = indexOf(inits, "java/math/BigDecimal");
      if (bigDecimal >= 0) {
        assertThat(bigDecimal).as(inits.get(bigDecimal)).isGreaterThan(analysis);
      }
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int indexOf(List<String> inits, String internalName) {
    for (int i = 0; i < inits.size(); i++) {
      if (inits.get(i).contains(" Initializing '" + internalName + "'")) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A run of one stream starts at once unless asked to warm the client first: then the stream
   * reader's self-warm runs before the load, on loopback, and the run's settings say so.
   */
  @Test
  void selfWarmOnWarmsARunOfOneStreamAndAutoDoesNot(@TempDir Path dir) throws Exception {
    Process sim = startSim("--ttft", "5ms", "--itl", "1ms", "--output-tokens", "8");
    try {
      String url = urlOf(sim);
      for (String mode : List.of("on", "auto")) {
        Path json = dir.resolve(mode + ".json");
        Proc p =
            java(
                dir,
                "run",
                "--url",
                url,
                "-c",
                "1",
                "-n",
                "1",
                "--max-tokens",
                "8",
                "--self-warm",
                mode,
                "--no-gpu",
                "--no-process",
                "--progress",
                "off",
                "--json",
                json.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.err().contains("inferscope: warmed the stream reader first: "))
            .as("%s: %s", mode, p.err())
            .isEqualTo(mode.equals("on"));
        assertThat(Files.readString(json))
            .containsPattern("\"self_warm\"\\s*:\\s*\"" + mode + "\"");
      }
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void usageErrorExitsTwo(@TempDir Path dir) throws Exception {
    Proc p = java(dir, "run", "--url", "not a url", "-n", "1");
    assertThat(p.code()).isEqualTo(2);
    assertThat(p.err().strip()).startsWith("inferscope: ").doesNotContain("\n");
  }

  /** The engine dies mid-run: the run stops, keeps what it measured, and says why. */
  @Test
  void engineExitMidRunGivesAPartialReport(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process sim =
        new ProcessBuilder(
                java,
                "-jar",
                jar.toString(),
                "sim",
                "--port",
                "0",
                "--ttft",
                "10ms",
                "--itl",
                "20ms",
                "--output-tokens",
                "400")
            .redirectErrorStream(true)
            .start();
    try {
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertThat(line).contains("http://127.0.0.1:");
      String url = line.substring(line.indexOf("http://"), line.indexOf(" (Ctrl-C"));
      Thread killer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      awaitProgress(dir.resolve("stderr.txt"), 0, 1); // streams are under way
                    } catch (Exception | AssertionError e) {
                      return; // the engine lives: the run's end is checked below
                    }
                    sim.destroyForcibly();
                  });
      long t0 = System.nanoTime();
      Proc p =
          java(
              dir,
              "run",
              "--url",
              url,
              "--pid",
              Long.toString(sim.pid()),
              "-c",
              "2",
              "-d",
              "60s",
              "--no-gpu",
              "--json",
              "run.json",
              "--progress",
              "on");
      killer.join();
      assertThat(System.nanoTime() - t0)
          .as("stopped for the engine, not at the end of its 60 s")
          .isLessThan(60_000_000_000L);
      assertThat(p.code()).as(p.err()).isEqualTo(1);
      assertThat(p.err()).contains("cut short").contains("exited");
      String json = Files.readString(dir.resolve("run.json"));
      assertThat(json).contains("\"partial\": true").contains("\"stop_reason\": \"engine process");
      assertThat(p.out()).contains("PARTIAL");
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code inferscope sim} as a child; returns it and its URL. */
  private static Process startSim(String... extra) throws IOException {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString(), "sim", "--port", "0"));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String urlOf(Process sim) throws IOException {
    String line =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(line).contains("http://127.0.0.1:");
    return line.substring(line.indexOf("http://"), line.indexOf(" (Ctrl-C"));
  }

  private static Process startInferscope(Path dir, String... args) throws IOException {
    Path jar = Path.of(System.getProperty("inferscope.jar"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
  }

  private static void signal(Process p, String sig) throws Exception {
    if (sig.equals("INT")) {
      // A process started with SIGINT ignored keeps it ignored, and its children inherit that.
      assertThat(ignores(p.pid(), 2))
          .as(
              "SIGINT is ignored by the run under test, as by this JVM (%s): the suite was started"
                  + " in the background of a script; start it with job control (set -m) or in"
                  + " the foreground",
              ignores(ProcessHandle.current().pid(), 2))
          .isFalse();
    }
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** Whether process {@code pid} ignores signal {@code number} ({@code SigIgn} in its status). */
  private static boolean ignores(long pid, int number) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
        return (mask & (1L << (number - 1))) != 0;
      }
    }
    return false;
  }

  /**
   * Waits until the run's progress line (on stderr, with {@code --progress on}) shows at least
   * {@code ok} requests ended without failure and {@code inFlight} in flight; 60 s at most, a guard
   * against a hang.
   */
  private static void awaitProgress(Path stderr, int ok, int inFlight) throws Exception {
    Pattern line = Pattern.compile("(\\d+)(?:/\\d+)? done · (\\d+) in flight · (\\d+) failed");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String text = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
      Matcher m = line.matcher(text);
      while (m.find()) {
        long done = Long.parseLong(m.group(1));
        long failed = Long.parseLong(m.group(3));
        if (done - failed >= ok && Long.parseLong(m.group(2)) >= inFlight) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("progress in 60 s: " + text).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Waits until {@code stderr} holds {@code text}; 60 s at most, a guard against a hang. */
  private static void awaitLine(Path stderr, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String now = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
      if (now.contains(text)) {
        return;
      }
      assertThat(System.nanoTime()).as("\"%s\" in 60 s: %s", text, now).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /**
   * Waits until {@code p} runs a thread of this name (Linux keeps its first 15 characters); 60 s at
   * most, a guard against a hang.
   */
  private static void awaitThread(Process p, String name) throws Exception {
    String comm = name.substring(0, Math.min(15, name.length()));
    Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (var threads = Files.list(tasks)) {
        if (threads.anyMatch(t -> comm.equals(commOf(t)))) {
          return;
        }
      } catch (IOException e) {
        // the process is gone: the deadline below reports it
      }
      assertThat(p.isAlive()).as("%s alive while waiting for its thread %s", p, name).isTrue();
      assertThat(System.nanoTime()).as("thread %s in 60 s", name).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static String commOf(Path task) {
    try {
      return Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return ""; // the thread ended
    }
  }

  /**
   * Ctrl-C while a large run warms its stream reader (up to 8 s, before anything is sent): the
   * warm-up ends after its batch and the run exits 130 with one line saying nothing was sent or
   * written. The run is frozen (SIGSTOP) as soon as a thread of the warm-up exists (the first is
   * its read phase's loopback server) and SIGINT is queued before it goes on (SIGCONT): the warm-up
   * then has at least 64,000 events or 15,000 requests left, and it looks for a stop after each
   * batch or every 100 ms, so the order does not hang on how fast this test sends the signal.
   */
  @Test
  void sigintDuringTheSelfWarmExits130AndSaysNothingWasMeasured(@TempDir Path dir)
      throws Exception {
    Process sim = startSim("--ttft", "10ms", "--itl", "20ms", "--output-tokens", "16");
    try {
      String url = urlOf(sim);
      Process run =
          startInferscope(
              dir,
              "run",
              "--url",
              url,
              "-c",
              "256",
              "-n",
              "256",
              "--no-gpu",
              "--no-process",
              "--json",
              "run.json",
              "--progress",
              "off");
      awaitThread(run, "inferscope-self-warm-server");
      signal(run, "STOP");
      signal(run, "INT");
      signal(run, "CONT");
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGINT").isTrue();
      String err = Files.readString(dir.resolve("stderr.txt"));
      assertThat(run.exitValue()).as(err).isEqualTo(130);
      assertThat(err.strip())
          .isEqualTo(
              "inferscope: interrupted by SIGINT while the stream reader warmed up, before the"
                  + " load started: nothing measured, nothing written");
      assertThat(dir.resolve("run.json")).doesNotExist();
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Ctrl-C mid-run: the load stops, the partial report is written, exit 130. */
  @Test
  void sigintWritesAPartialReportAndExits130(@TempDir Path dir) throws Exception {
    Process sim = startSim("--ttft", "10ms", "--itl", "20ms", "--output-tokens", "400");
    try {
      String url = urlOf(sim);
      Process run =
          startInferscope(
              dir,
              "run",
              "--url",
              url,
              "-c",
              "4",
              "-d",
              "120s",
              "--no-gpu",
              "--json",
              "run.json",
              "--progress",
              "on");
      awaitProgress(dir.resolve("stderr.txt"), 1, 0); // a request has ended well
      signal(run, "INT");
      // The wait is a guard against a hang: a run that ignored the signal would go on for 120 s.
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGINT").isTrue();
      String err = Files.readString(dir.resolve("stderr.txt"));
      assertThat(run.exitValue()).as(err).isEqualTo(130);
      RunResult saved = JsonReport.read(dir.resolve("run.json"));
      assertThat(saved.partial()).isTrue();
      assertThat(saved.stopReason()).isEqualTo("interrupted by SIGINT");
      assertThat(saved.traces()).isNotEmpty();
      assertThat(RunAnalysis.of(saved).metrics().ok()).isPositive();
      assertThat(Files.readString(dir.resolve("stdout.txt"))).contains("PARTIAL");
      try (var files = Files.list(dir)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("no temporary file left")
            .containsExactlyInAnyOrder("run.json", "stdout.txt", "stderr.txt");
      }
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM ends an open-ended sample-only attach: the report is written, exit 143. */
  @Test
  void sigtermEndsSampleOnlyWithItsReport(@TempDir Path dir) throws Exception {
    Process target = new ProcessBuilder("sleep", "60").start();
    try {
      Process attach =
          startInferscope(
              dir,
              "run",
              "--sample-only",
              "--pid",
              Long.toString(target.pid()),
              "--no-gpu",
              "--json",
              "sample.json");
      awaitThread(attach, "inferscope-sampler-proc"); // sampling has begun
      signal(attach, "TERM");
      assertThat(attach.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(attach.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isEqualTo(143);
      RunResult saved = JsonReport.read(dir.resolve("sample.json"));
      assertThat(saved.meta().mode()).isEqualTo("sample-only");
      assertThat(saved.hardware().processTree().samples()).isNotEmpty();
    } finally {
      target.destroyForcibly();
    }
  }

  /**
   * {@code --stop-grace 0}: Ctrl-C cuts the streams in flight at once. Each stream is 400 tokens 50
   * ms apart on the simulated engine's schedule, 20 s, so neither of the two in flight when the
   * signal is sent can have finished: the report holds exactly those two, cancelled with the
   * signal's reason.
   */
  @Test
  void sigintWithAStopGraceOfZeroCancelsTheStreamsInFlight(@TempDir Path dir) throws Exception {
    Process sim = startSim("--ttft", "10ms", "--itl", "50ms", "--output-tokens", "400");
    try {
      String url = urlOf(sim);
      Process run =
          startInferscope(
              dir,
              "run",
              "--url",
              url,
              "-c",
              "2",
              "-d",
              "120s",
              "--max-tokens",
              "400",
              "--stop-grace",
              "0",
              "--no-gpu",
              "--json",
              "run.json",
              "--progress",
              "on");
      awaitProgress(dir.resolve("stderr.txt"), 0, 2); // both streams under way
      signal(run, "INT");
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGINT").isTrue();
      String err = Files.readString(dir.resolve("stderr.txt"));
      assertThat(run.exitValue()).as(err).isEqualTo(130);
      assertThat(err)
          .contains(
              "inferscope: SIGINT: stopping; waiting up to 0s (--stop-grace) for 2 streams in"
                  + " flight, then the partial report is written.");
      RunResult saved = JsonReport.read(dir.resolve("run.json"));
      assertThat(saved.partial()).isTrue();
      assertThat(saved.stopReason()).isEqualTo("interrupted by SIGINT");
      assertThat(saved.meta().settings()).containsEntry("stop_grace", "0s");
      assertThat(saved.traces())
          .hasSize(2)
          .extracting(io.inferscope.core.RequestTrace::failure)
          .containsOnly(new io.inferscope.core.Failure.Cancelled("interrupted by SIGINT"));
      // Cancelled by the user, not failed.
      assertThat(Files.readString(dir.resolve("stdout.txt")))
          .contains("NO MEASURED REQUEST COMPLETED: all 2 cancelled (interrupted by SIGINT)")
          .doesNotContain("ALL MEASURED REQUESTS FAILED");
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A second Ctrl-C does not wait for anything: the process is gone at once. */
  @Test
  void aSecondSigintExitsAtOnce(@TempDir Path dir) throws Exception {
    Process sim = startSim("--ttft", "10ms", "--itl", "50ms", "--output-tokens", "400");
    try {
      String url = urlOf(sim);
      Process run =
          startInferscope(
              dir,
              "run",
              "--url",
              url,
              "-c",
              "2",
              "-d",
              "120s",
              "--no-gpu",
              "--json",
              "run.json",
              "--progress",
              "on");
      awaitProgress(dir.resolve("stderr.txt"), 0, 1); // streams are under way
      signal(run, "INT");
      // The first signal has been taken: the run waits out its grace (3 s) for in-flight streams,
      // which take over 6 s, before it writes its report.
      awaitLine(
          dir.resolve("stderr.txt"),
          "inferscope: SIGINT: stopping; waiting up to 3s (--stop-grace) for ");
      signal(run, "INT");
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exits after the second SIGINT").isTrue();
      assertThat(run.exitValue()).isEqualTo(130);
      // Gone at once: the report the grace would have ended with was never written, and it says so.
      assertThat(dir.resolve("run.json")).doesNotExist();
      assertThat(Files.readString(dir.resolve("stderr.txt")))
          .contains("inferscope: SIGINT again: exiting at once; run.json was not written");
    } finally {
      sim.destroyForcibly();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
