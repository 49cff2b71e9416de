package io.inferscope.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.inferscope.core.ClientOverhead;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import java.util.List;
import java.util.Map;

/**
 * The report document's top level, bound by Jackson ({@link ReportJson}); below it every object is
 * a core record as it is. The file then holds {@code metrics}, the run's {@link RunAnalysis},
 * written for readers of the file ({@link Written}) and never read back: a saved run is analysed
 * anew.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}; see the README for what changes it
 * @param tool what wrote the file
 * @param run what was run, and how it ended
 * @param requests every request, warm-up included, in id order
 * @param hardware every process-tree sample and GPU tick
 * @param engineMetrics every read of the engine's own {@code /metrics}, or why there were none
 */
record RunDocument(
    int schemaVersion,
    Tool tool,
    RunSection run,
    List<RequestTrace> requests,
    HardwareSamples hardware,
    io.inferscope.core.EngineMetrics engineMetrics) {

  /**
   * The document as written: the run and, after it, its analysis.
   *
   * @param document the run
   * @param metrics everything derived from it
   */
  @JsonPropertyOrder({"document", "metrics"})
  record Written(@JsonUnwrapped RunDocument document, RunAnalysis metrics) {}

  static final int SCHEMA_VERSION = 5;
  static final String TOOL_NAME = "inferscope";

  /**
   * @param name always {@value #TOOL_NAME}
   * @param version its version
   */
  record Tool(String name, String version) {}

  /**
   * {@link RunMeta} and the rest of {@link RunResult} but its requests and samples.
   *
   * @param mode {@code run} or {@code sample-only}
   * @param commandLine the arguments, secrets removed
   * @param url the engine's base URL
   * @param endpoint {@code chat} or {@code completions}
   * @param model the model name sent, or null
   * @param settings the load settings as given
   * @param slo the service-level objectives of goodput, or null
   * @param steps labelled steps, empty for none
   * @param price what the hardware costs, or null
   * @param facts typed facts the run recorded
   * @param clock the run's clock
   * @param endNanos when the run ended
   * @param partial whether the run was cut short
   * @param stopReason why, or null
   * @param client what inferscope itself cost, or null when not measured
   */
  record RunSection(
      String mode,
      List<String> commandLine,
      String url,
      String endpoint,
      String model,
      Map<String, String> settings,
      io.inferscope.core.Slo slo,
      List<io.inferscope.core.Step> steps,
      io.inferscope.core.Price price,
      RunFacts facts,
      RunClock clock,
      long endNanos,
      boolean partial,
      String stopReason,
      ClientOverhead client) {}

  static Written of(RunAnalysis a) {
    RunResult r = a.run();
    RunMeta m = r.meta();
    RunDocument doc =
        new RunDocument(
            SCHEMA_VERSION,
            new Tool(TOOL_NAME, m.toolVersion()),
            new RunSection(
                m.mode(),
                m.commandLine(),
                m.url(),
                m.endpoint(),
                m.model(),
                m.settings(),
                m.slo(),
                m.steps(),
                m.price(),
                r.facts(),
                r.clock(),
                r.endNanos(),
                r.partial(),
                r.stopReason(),
                r.client()),
            r.traces(),
            r.hardware(),
            r.engineMetrics());
    return new Written(doc, a);
  }

  RunResult toRun() {
    RunMeta meta =
        new RunMeta(
            tool.version(),
            run.mode(),
            run.commandLine() == null ? List.of() : run.commandLine(),
            run.url(),
            run.endpoint(),
            run.model(),
            run.settings() == null ? Map.of() : run.settings(),
            run.slo(),
            run.steps(),
            run.price());
    return new RunResult(
        meta,
        run.clock(),
        requests == null ? List.of() : requests,
        run.endNanos(),
        run.partial(),
        run.stopReason(),
        hardware,
        run.client(),
        run.facts(),
        engineMetrics);
  }
}
