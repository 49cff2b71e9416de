package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the comparison page in a real headless Chromium, as {@link SweepHtmlBrowserTest} does the
 * sweep page: the script must run without error, draw a chart per latency figure with a curve and
 * three marks per run, and fetch nothing. The screenshot and the page are kept as {@code
 * target/compare-screenshot.png} and {@code target/compare-report-sample.html}.
 */
class CompareHtmlBrowserTest {

  private static final int WIDTH = 1280;
  private static final int HEIGHT = 1600;

  @TempDir static Path dir;

  private static Path page;

  @BeforeAll
  static void writePage() throws IOException {
    page = dir.resolve("compare.html");
    RunComparison three =
        RunComparison.of(
            List.of(
                new RunComparison.Input("a.json", 3, CompareFixtures.run(50, 1, "m")),
                new RunComparison.Input("b.json", 3, CompareFixtures.run(65, 2, "m")),
                new RunComparison.Input("c.json", 3, CompareFixtures.run(40, 3, "m"))),
            Bootstrap.Settings.DEFAULT);
    CompareHtml.write(three, page);
    Files.createDirectories(Path.of("target"));
    Files.copy(
        page, Path.of("target", "compare-report-sample.html"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static long count(String dom, String pattern) {
    return Pattern.compile(pattern).matcher(dom).results().count();
  }

  @Test
  void aChartPerLatencyFigureWithACurvePerRun() throws Exception {
    Chromium.Run run = Chromium.open(dir, page, "dom", WIDTH, HEIGHT, "--dump-dom");
    String dom = run.stdout();
    assertThat(Chromium.scriptErrors(run.stderr()))
        .as("JavaScript errors in Chromium's log")
        .isEmpty();
    assertThat(dom).contains("<div id=\"errors\"></div>");
    assertThat(dom).contains("data-charts-expected=\"4\"").contains("data-charts-drawn=\"4\"");
    for (String chart : List.of("ttft", "tpot", "itl", "e2e")) {
      assertThat(dom).containsPattern("id=\"chart-" + chart + "\"><svg");
    }
    assertThat(count(dom, "<polyline class=\"cdf run-\\d\"")).isEqualTo(4 * 3);
    assertThat(count(dom, "<circle class=\"mark run-\\d\"")).isEqualTo(4 * 3 * 3);
    // Run B's TTFT curve lies right of A's: its median is drawn at a larger x.
    java.util.regex.Matcher m =
        Pattern.compile("id=\"chart-ttft\">(.*?)</svg>", Pattern.DOTALL).matcher(dom);
    assertThat(m.find()).isTrue();
    List<Double> medians =
        Pattern.compile("<circle class=\"mark run-\\d\" data-run=\"(\\d)\" cx=\"([0-9.]+)\"")
            .matcher(m.group(1))
            .results()
            .map(r -> Double.parseDouble(r.group(2)))
            .toList();
    // Three marks a run, in run order: the first of each is its p50.
    assertThat(medians.get(3)).isGreaterThan(medians.get(0));
    assertThat(medians.get(6)).isLessThan(medians.get(0));
    assertThat(dom).contains("data-resources=\"0\"");
    assertThat(dom).doesNotContainPattern("\\b(src|href)=");
  }

  @Test
  void screenshotIsTakenAndKept() throws Exception {
    Path png = dir.resolve("screenshot.png");
    Chromium.Run run = Chromium.open(dir, page, "shot", WIDTH, HEIGHT, "--screenshot=" + png);
    assertThat(Chromium.scriptErrors(run.stderr()))
        .as("JavaScript errors in Chromium's log")
        .isEmpty();
    Chromium.assertPng(png, WIDTH, HEIGHT);
    Files.copy(
        png, Path.of("target", "compare-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
