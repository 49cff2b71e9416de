package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Opens the sweep page in a real headless Chromium, as {@link HtmlReportBrowserTest} does the run
 * page: the script must run without error, draw both charts with a point and a bar per level, mark
 * the knee at the knee's level, and fetch nothing. The screenshot and the page are kept as {@code
 * target/sweep-screenshot.png} and {@code target/sweep-report-sample.html}.
 */
class SweepHtmlBrowserTest {

  private static final int WIDTH = 1280;
  private static final int HEIGHT = 1400;
  private static final int LEVELS = 5;

  @TempDir static Path dir;

  private static Path page;

  @BeforeAll
  static void writePage() throws IOException {
    page = dir.resolve("sweep.html");
    SweepHtml.write(SweepFixtures.standard(), page);
    Files.createDirectories(Path.of("target"));
    Files.copy(
        page, Path.of("target", "sweep-report-sample.html"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** The elements of {@code dom} that open with {@code tag} and carry {@code cls}. */
  private static List<String> elements(String dom, String tag, String cls) {
    return Pattern.compile("<" + tag + "\\b[^>]*class=\"" + cls + "\"[^>]*>")
        .matcher(dom)
        .results()
        .map(m -> m.group())
        .toList();
  }

  private static String attr(String element, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(element);
    assertThat(m.find()).as("%s of %s", name, element).isTrue();
    return m.group(1);
  }

  @Test
  void bothChartsRenderWithTheKneeMarkedAtItsLevel() throws Exception {
    Chromium.Run run = Chromium.open(dir, page, "dom", WIDTH, HEIGHT, "--dump-dom");
    String dom = run.stdout();

    assertThat(Chromium.scriptErrors(run.stderr()))
        .as("JavaScript errors in Chromium's log")
        .isEmpty();
    assertThat(dom).contains("<div id=\"errors\"></div>");
    assertThat(dom).contains("data-charts-expected=\"2\"").contains("data-charts-drawn=\"2\"");
    assertThat(Pattern.compile("<svg").matcher(dom).results().count()).isEqualTo(2);
    assertThat(dom).containsPattern("id=\"chart-curve\"><svg");
    assertThat(dom).containsPattern("id=\"chart-completeness\"><svg");

    // A p50 and a p99 point per level, each labelled with its value.
    List<String> p50 = elements(dom, "circle", "point p50");
    assertThat(p50).hasSize(LEVELS);
    assertThat(elements(dom, "circle", "point p99")).hasSize(LEVELS);
    for (String label : List.of("1", "2", "4", "8", "16")) {
      assertThat(dom).containsPattern("class=\"level-label\"[^>]*>" + label + "</text>");
    }
    // Throughput rises to the knee: the points' x grows with it.
    assertThat(Double.parseDouble(attr(p50.get(0), "cx")))
        .isLessThan(Double.parseDouble(attr(p50.get(2), "cx")));

    // The knee's ring is on the knee level's p50 point, and its bar is framed.
    List<String> ring = elements(dom, "circle", "knee-marker");
    List<String> rings = ring.stream().filter(e -> e.contains("data-index")).toList();
    assertThat(rings).hasSize(1);
    String knee = Integer.toString(SweepFixtures.KNEE_INDEX);
    assertThat(attr(rings.getFirst(), "data-index")).isEqualTo(knee);
    String kneePoint = p50.get(SweepFixtures.KNEE_INDEX);
    assertThat(attr(kneePoint, "data-index")).isEqualTo(knee);
    assertThat(attr(rings.getFirst(), "cx")).isEqualTo(attr(kneePoint, "cx"));
    assertThat(attr(rings.getFirst(), "cy")).isEqualTo(attr(kneePoint, "cy"));
    List<String> frame = elements(dom, "rect", "knee-marker");
    assertThat(frame).hasSize(1);
    assertThat(attr(frame.getFirst(), "data-index")).isEqualTo(knee);

    // A bar per level; the last split into ok, shed, timed out and failed.
    assertThat(Pattern.compile("<g class=\"bar\"").matcher(dom).results().count())
        .isEqualTo(LEVELS);
    for (String seg : List.of("seg ok", "seg shed", "seg timeouts", "seg errors")) {
      assertThat(elements(dom, "rect", seg)).as(seg).isNotEmpty();
    }
    assertThat(elements(dom, "rect", "seg ok")).hasSize(LEVELS);

    // Nothing fetched: no resource loaded, and nothing in the page that would load one.
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
    assertThat(Files.size(png)).isGreaterThan(20_000);
    Path kept = Path.of("target", "sweep-screenshot.png");
    Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);
  }
}
