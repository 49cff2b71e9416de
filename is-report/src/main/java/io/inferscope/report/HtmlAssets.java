package io.inferscope.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The static parts of the HTML reports, read once from the classpath: uPlot's script and stylesheet
 * from its webjar, the run page's own script and stylesheet, the sweep page's and the comparison
 * page's. They are inlined into every page, so the page needs no network when it is opened.
 */
final class HtmlAssets {

  static final String UPLOT_VERSION = "1.6.30";
  private static final String UPLOT_DIST =
      "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

  static final String UPLOT_JS = load(UPLOT_DIST + "uPlot.iife.min.js", "</script");
  static final String UPLOT_CSS = load(UPLOT_DIST + "uPlot.min.css", "</style");
  static final String PAGE_JS = load("HtmlReport.js", "</script");
  static final String PAGE_CSS = load("HtmlReport.css", "</style");
  static final String SWEEP_JS = load("SweepHtml.js", "</script");
  static final String SWEEP_CSS = load("SweepHtml.css", "</style");
  static final String COMPARE_JS = load("CompareHtml.js", "</script");
  static final String COMPARE_CSS = load("CompareHtml.css", "</style");

  private HtmlAssets() {}

  /**
   * Reads a resource, refusing one that would end its own inline element early: such text cannot be
   * escaped without changing the code, so a bad upgrade must fail loudly instead.
   */
  private static String load(String name, String forbidden) {
    try (InputStream in = HtmlAssets.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("HTML report resource missing from the classpath: " + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.toLowerCase(Locale.ROOT).contains(forbidden)) {
        throw new IllegalStateException(name + " contains " + forbidden + ": cannot be inlined");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read HTML report resource " + name, e);
    }
  }
}
