package io.inferscope.cli;

import io.inferscope.core.EngineKind;
import io.inferscope.core.EngineMetrics;
import io.inferscope.core.EngineScrape;
import io.inferscope.core.RunClock;
import io.inferscope.core.Timeline;
import io.inferscope.probe.EngineMetricsReader;
import io.inferscope.sysmon.Sampler;
import io.inferscope.sysmon.SamplingLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the engine's {@code /metrics} on the run clock for as long as the run lasts, under the one
 * sampling lifecycle ({@link SamplingLoop}), on a thread of its own: a slow engine answer skips
 * reads, never a request. One read is made before load (it also tells whether there are metrics at
 * all) and one after, so the counters cover the whole run.
 */
final class EngineMetricsMonitor {
  private static final String SOURCE = "engine-metrics";

  private final EngineMetricsReader reader;
  private final SamplingLoop<EngineScrape> loop;
  private final EngineScrape first;
  private final RunClock clock;
  private final long periodNanos;
  private final EngineKind forced;
  private final EngineMetrics unavailable;

  private EngineMetricsMonitor(
      EngineMetricsReader reader,
      SamplingLoop<EngineScrape> loop,
      EngineScrape first,
      RunClock clock,
      long periodNanos,
      EngineKind forced,
      EngineMetrics unavailable) {
    this.reader = reader;
    this.loop = loop;
    this.first = first;
    this.clock = clock;
    this.periodNanos = periodNanos;
    this.forced = forced;
    this.unavailable = unavailable;
  }

  /**
   * Starts reading, or says in one line on {@code err} why there is nothing to read.
   *
   * @param base the engine's URL, or null (sample-only without --url)
   */
  static EngineMetricsMonitor start(
      HardwareOptions o, URI base, String apiKey, RunClock clock, PrintWriter err) {
    long period = o.engineMetricsPeriod.toNanos();
    if (o.noEngineMetrics) {
      return none(period, null, "switched off (--no-engine-metrics)");
    }
    if (base == null && o.engineMetricsUrl == null) {
      return none(period, null, "no --url or --engine-metrics-url to read them from");
    }
    URI metricsUrl = o.engineMetricsUrl == null ? null : URI.create(o.engineMetricsUrl.strip());
    EngineMetricsReader reader =
        EngineMetricsReader.open(base, metricsUrl, apiKey, Duration.ofSeconds(5));
    EngineScrape first;
    try {
      first = reader.read(clock);
    } catch (IOException e) {
      String why = Errors.oneLine(String.valueOf(e.getMessage()));
      reader.close();
      err.println("inferscope: engine metrics: not available (" + why + ")");
      err.flush();
      return none(period, reader.url(), why);
    }
    Sampler<EngineScrape> sampler =
        new Sampler<>() {
          @Override
          public String source() {
            return SOURCE;
          }

          @Override
          public EngineScrape sample(RunClock c) throws IOException {
            return reader.read(c);
          }

          @Override
          public void close() {
            // The monitor reads once more after the loop, then closes the reader.
          }
        };
    SamplingLoop<EngineScrape> loop =
        SamplingLoop.startAfter(sampler, clock, o.engineMetricsPeriod, null);
    return new EngineMetricsMonitor(reader, loop, first, clock, period, o.engine, null);
  }

  private static EngineMetricsMonitor none(long period, String url, String reason) {
    return new EngineMetricsMonitor(
        null, null, null, null, period, null, EngineMetrics.unavailable(url, period, reason));
  }

  /** Stops reading, reads a last time, and returns every read. */
  EngineMetrics stop() {
    if (unavailable != null) {
      return unavailable;
    }
    Timeline<EngineScrape> t = loop.stop();
    List<EngineScrape> reads = new ArrayList<>(t.samples().size() + 2);
    reads.add(first);
    reads.addAll(t.samples());
    int failed = loop.failedReads();
    try {
      reads.add(reader.read(clock));
    } catch (IOException e) {
      failed++;
    } finally {
      reader.close();
    }
    long span = reads.getLast().sentNanos() - first.sentNanos();
    // Reads due over the span, less those made or failed: the ones skipped after an overrun.
    int skipped = (int) Math.max(0, span / periodNanos + 1 - reads.size() - failed);
    EngineKind engine = forced != null ? forced : reader.detect();
    return new EngineMetrics(
        reader.url(),
        engine,
        reader.series(),
        new Timeline<>(SOURCE, periodNanos, reads, null),
        skipped,
        failed);
  }
}
