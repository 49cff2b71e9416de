package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.inferscope.core.RunAnalysis;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in a real headless Chromium: the scripts must run without error and draw
 * every chart. Chromium is required, never skipped: {@code scripts/install-chromium} installs it.
 * The screenshot and the page are kept as {@code target/html-screenshot.png} and {@code
 * target/html-report-sample.html} for a person to look at.
 */
class HtmlReportBrowserTest {

  private static final int WIDTH = 1280;

  /** Tall enough to show the whole page, summary and every chart, in one picture. */
  private static final int HEIGHT = 4400;

  private static final long TIMEOUT_SECONDS = 60;

  /** Bars, rate, ITL, process tree, and three GPU charts. */
  private static final int EXPECTED_CHARTS = 7;

  @TempDir static Path dir;

  private static Path page;

  @BeforeAll
  static void writePage() throws IOException {
    page = dir.resolve("report.html");
    HtmlReport.write(RunAnalysis.of(HtmlFixtures.run()), page);
    // Kept beside the screenshot, for a person to open.
    Files.createDirectories(Path.of("target"));
    Files.copy(
        page, Path.of("target", "html-report-sample.html"), StandardCopyOption.REPLACE_EXISTING);
  }

  static Path chromium() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/bin/chromium"));
    candidates.add(Path.of("/usr/bin/chromium-browser"));
    String path = System.getenv("PATH");
    for (String d : path == null ? new String[0] : path.split(":")) {
      candidates.add(Path.of(d, "chromium"));
      candidates.add(Path.of(d, "chromium-browser"));
    }
    for (Path p : candidates) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(
        "Chromium not found (looked for chromium and chromium-browser in /usr/bin and PATH): "
            + "run scripts/install-chromium");
  }

  /** Runs Chromium on the page with the extra flag; returns its stdout, stderr in the record. */
  private record Run(String stdout, String stderr) {}

  private static Run chromium(String name, String... extra) throws Exception {
    Path profile = Files.createDirectory(dir.resolve("profile-" + name));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium().toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000",
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=" + WIDTH + "," + HEIGHT));
    cmd.addAll(Arrays.asList(extra));
    cmd.add(page.toUri().toString());
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s; stderr:\n" + read(err));
    }
    String stderr = read(err);
    assertThat(p.exitValue()).as("Chromium exit status; stderr:\n%s", stderr).isZero();
    return new Run(read(out), stderr);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.ISO_8859_1);
  }

  /**
   * Lines where Chromium logged an uncaught error or any console message: its log does not tell a
   * console error from a console log, and the page writes to the console only on trouble.
   */
  private static List<String> scriptErrors(String stderr) {
    return stderr.lines().filter(l -> l.contains("Uncaught") || l.contains(":CONSOLE")).toList();
  }

  @Test
  void scriptsRunAndDrawEveryChart() throws Exception {
    Run run = chromium("dom", "--dump-dom");
    String dom = run.stdout();

    assertThat(scriptErrors(run.stderr())).as("JavaScript errors in Chromium's log").isEmpty();
    assertThat(dom).contains("<div id=\"errors\"></div>");
    Matcher drawn = Pattern.compile("data-charts-drawn=\"(\\d+)\"").matcher(dom);
    assertThat(drawn.find()).as("charts drawn marker in the DOM").isTrue();
    assertThat(Integer.parseInt(drawn.group(1))).isEqualTo(EXPECTED_CHARTS);
    assertThat(dom).contains("data-charts-expected=\"" + EXPECTED_CHARTS + "\"");
    // The page opens on its charts: the first begins within the first screen of a laptop.
    Matcher top = Pattern.compile("data-first-chart-top=\"(\\d+)\"").matcher(dom);
    assertThat(top.find()).as("first chart's position in the DOM").isTrue();
    assertThat(Integer.parseInt(top.group(1))).isLessThan(800);
    assertThat(Pattern.compile("<canvas").matcher(dom).results().count())
        .isEqualTo(EXPECTED_CHARTS);
    for (String id :
        List.of(
            "chart-requests",
            "chart-rate",
            "chart-itl",
            "chart-process",
            "chart-gpu-sm",
            "chart-gpu-vram",
            "chart-gpu-power")) {
      assertThat(dom).containsPattern("id=\"" + id + "\"><div class=\"uplot");
    }
  }

  @Test
  void screenshotIsTakenAndKept() throws Exception {
    Path png = dir.resolve("screenshot.png");
    Run run = chromium("shot", "--screenshot=" + png);

    assertThat(scriptErrors(run.stderr())).as("JavaScript errors in Chromium's log").isEmpty();
    assertThat(png).exists();
    try (InputStream in = Files.newInputStream(png);
        DataInputStream data = new DataInputStream(in)) {
      byte[] magic = new byte[8];
      data.readFully(magic);
      assertThat(magic).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
      data.readInt(); // IHDR length
      byte[] type = new byte[4];
      data.readFully(type);
      assertThat(new String(type, StandardCharsets.US_ASCII)).isEqualTo("IHDR");
      assertThat(data.readInt()).as("width").isEqualTo(WIDTH);
      assertThat(data.readInt()).as("height").isEqualTo(HEIGHT);
    }
    assertThat(Files.size(png)).isGreaterThan(20_000);
    Path kept = Path.of("target", "html-screenshot.png");
    Files.createDirectories(kept.getParent());
    Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);
  }
}
