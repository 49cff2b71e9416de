package io.inferscope.cli;

import io.inferscope.core.RunAnalysis;
import io.inferscope.otlp.OtlpExport;
import io.inferscope.otlp.OtlpTarget;
import java.io.PrintWriter;

/**
 * An OTLP export as {@code run} and {@code report} make it, once the run's other outputs are
 * written: a receiver that is down, slow or refuses costs one line on stderr and, with {@code
 * --otlp-required}, the exit code; never the run or its files.
 */
final class OtlpRunner {
  private final OtlpTarget target;
  private final String shownEndpoint;
  private final boolean required;

  /**
   * @param shownEndpoint the endpoint as printed: credentials in it removed
   * @param required whether a failed export makes the command exit 1
   */
  OtlpRunner(OtlpTarget target, String shownEndpoint, boolean required) {
    this.target = target;
    this.shownEndpoint = shownEndpoint;
    this.required = required;
  }

  /**
   * Exports the run and says on {@code err} how it went, in one line.
   *
   * @return {@link ExitCodes#OK}, or {@link ExitCodes#FAILURE} when the export failed and was
   *     required
   */
  int export(RunAnalysis run, PrintWriter err) {
    OtlpExport.Outcome outcome;
    try {
      outcome = OtlpExport.export(run, target);
    } catch (RuntimeException e) {
      // Whatever the exporter throws, the run's other outputs are already written and stay.
      outcome =
          new OtlpExport.Outcome(
              0,
              0,
              e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + Errors.oneLine(e.getMessage())));
    }
    synchronized (err) {
      if (outcome.ok()) {
        err.println(
            "inferscope: OTLP: "
                + outcome.spans()
                + (outcome.spans() == 1 ? " span" : " spans")
                + " and "
                + outcome.points()
                + (outcome.points() == 1 ? " metric point" : " metric points")
                + " sent to "
                + shownEndpoint);
      } else {
        err.println(
            "inferscope: OTLP export to "
                + shownEndpoint
                + " failed: "
                + Errors.oneLine(outcome.failure())
                + "; the run's other outputs are intact"
                + (required ? " (--otlp-required: exit 1)" : ""));
      }
      err.flush();
    }
    return outcome.ok() || !required ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
