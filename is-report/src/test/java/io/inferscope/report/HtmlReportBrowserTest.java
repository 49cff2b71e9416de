package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunAnalysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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

  /** Bars, rate, ITL, process tree, three GPU charts and the engine view. */
  private static final int EXPECTED_CHARTS = 8;

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

  private static Chromium.Run chromium(String name, String... extra) throws Exception {
    return Chromium.open(dir, page, name, WIDTH, HEIGHT, extra);
  }

  private static List<String> scriptErrors(String stderr) {
    return Chromium.scriptErrors(stderr);
  }

  @Test
  void scriptsRunAndDrawEveryChart() throws Exception {
    Chromium.Run run = chromium("dom", "--dump-dom");
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
            "chart-gpu-power",
            "chart-engine")) {
      assertThat(dom).containsPattern("id=\"" + id + "\"><div class=\"uplot");
    }
  }

  @Test
  void screenshotIsTakenAndKept() throws Exception {
    Path png = dir.resolve("screenshot.png");
    Chromium.Run run = chromium("shot", "--screenshot=" + png);

    assertThat(scriptErrors(run.stderr())).as("JavaScript errors in Chromium's log").isEmpty();
    Chromium.assertPng(png, WIDTH, HEIGHT);
    assertThat(Files.size(png)).isGreaterThan(20_000);
    Path kept = Path.of("target", "html-screenshot.png");
    Files.createDirectories(kept.getParent());
    Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);
  }
}
