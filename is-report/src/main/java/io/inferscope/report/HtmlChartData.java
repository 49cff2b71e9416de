package io.inferscope.report;

import io.inferscope.core.EventLog;
import io.inferscope.core.MeasuredRequest;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.core.TokenRateSeries;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON object the HTML report's charts read: only what they draw, times in milliseconds
 * from the run clock's origin. Each chart's member either holds its series or, when there is
 * nothing to draw, {@code unavailable} with the line the page shows instead.
 *
 * <p>Series that grow with the run are capped ({@link #MAX_REQUESTS}, {@link #MAX_ITL_POINTS},
 * {@link #MAX_HARDWARE_POINTS}; the token rate's bins are capped by {@link TokenRateSeries}) so a
 * long run still makes a small page: a capped series is down-sampled evenly and says so in {@code
 * note}.
 */
final class HtmlChartData {

  static final int MAX_REQUESTS = 20_000;
  static final int MAX_ITL_POINTS = 50_000;
  static final int MAX_HARDWARE_POINTS = 20_000;

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private HtmlChartData() {}

  /**
   * The data as JSON that is safe to place inside a {@code <script>} element, and each chart's
   * notes.
   */
  record Charts(String json, ChartNotes notes) {}

  /** The charts' data of an analysed run: series picked and scaled for drawing, nothing derived. */
  static Charts of(RunAnalysis a) {
    RunResult run = a.run();
    ChartNotes notes = new ChartNotes();
    StringWriter out = new StringWriter(1 << 14);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberProperty("end_ms", ms(Math.max(0, run.endNanos())));
      List<RequestTrace> measured =
          a.requests().stream()
              .map(MeasuredRequest::trace)
              .sorted(Comparator.comparingLong(RequestTrace::sendNanos))
              .toList();
      requests(g, notes, measured);
      rate(g, notes, a.tokenRate());
      itl(g, notes, measured);
      HtmlHardwareData.process(g, notes, run.hardware(), a.hardware());
      HtmlHardwareData.gpu(g, notes, run.hardware());
      HtmlHardwareData.engine(g, notes, a.engine());
      g.writeEndObject();
    }
    return new Charts(scriptSafe(out.toString()), notes);
  }

  /**
   * Keeps JSON text from ending or confusing the script element that holds it: {@code </} could
   * close it and {@code <!--} or {@code <script} could change how the browser scans for the end, so
   * every {@code <} is written as {@code \u003c}, which JSON reads back as the same character.
   * {@code <} occurs only inside JSON strings, where the escape is valid.
   */
  static String scriptSafe(String json) {
    return json.replace("<", "\\u003c");
  }

  /** Per-request bars, in send order: send, first text event, end, and the failure code. */
  private static void requests(JsonGenerator g, ChartNotes notes, List<RequestTrace> measured) {
    g.writeObjectPropertyStart("requests");
    if (measured.isEmpty()) {
      notes.unavailable(g, "requests", "Requests: none measured (no load was sent)");
      g.writeEndObject();
      return;
    }
    int[] pick = evenly(measured.size(), MAX_REQUESTS);
    g.writeNumberProperty("total", measured.size());
    if (pick.length < measured.size()) {
      notes.note(
          g,
          "requests",
          "showing " + pick.length + " of " + measured.size() + " requests, evenly spaced");
    }
    g.writeArrayPropertyStart("id");
    for (int i : pick) {
      g.writeNumber(measured.get(i).id());
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("send_ms");
    for (int i : pick) {
      g.writeNumber(ms(measured.get(i).sendNanos()));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("first_ms");
    for (int i : pick) {
      EventLog ev = measured.get(i).events();
      int first = ev.firstTextIndex();
      if (first < 0) {
        g.writeNull();
      } else {
        g.writeNumber(ms(ev.atNanos(first)));
      }
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("end_ms");
    for (int i : pick) {
      g.writeNumber(ms(measured.get(i).endNanos()));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("failure");
    for (int i : pick) {
      RequestTrace t = measured.get(i);
      if (t.ok()) {
        g.writeNull();
      } else {
        g.writeString(t.failure().code());
      }
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** Output text events per bin as a rate, and requests in flight at each bin's middle. */
  private static void rate(JsonGenerator g, ChartNotes notes, TokenRateSeries r) {
    g.writeObjectPropertyStart("rate");
    if (r == null) {
      notes.unavailable(g, "rate", "Token rate: no requests were sent");
      g.writeEndObject();
      return;
    }
    g.writeNumberProperty("bin_ms", ms(r.binNanos()));
    g.writeArrayPropertyStart("t_ms");
    for (int b = 0; b < r.bins(); b++) {
      g.writeNumber(ms(r.binMiddleNanos(b)));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("tokens_per_s");
    for (int b = 0; b < r.bins(); b++) {
      g.writeNumber(r.textEventsPerSecond(b));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("in_flight");
    for (int b = 0; b < r.bins(); b++) {
      g.writeNumber(r.inFlight()[b]);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Chunk gaps of measured requests, each at the arrival of the later chunk, sorted by time (the
   * charts need ascending x). Down-sampling picks evenly over the gaps in request order first, so
   * sorting never handles more than the cap.
   */
  private static void itl(JsonGenerator g, ChartNotes notes, List<RequestTrace> measured) {
    g.writeObjectPropertyStart("itl");
    int total = 0;
    for (RequestTrace t : measured) {
      total += Math.max(0, t.events().textEventCount() - 1);
    }
    if (total == 0) {
      notes.unavailable(
          g,
          "itl",
          measured.isEmpty()
              ? "Inter-token latency: no requests measured"
              : "Inter-token latency: no request streamed two text chunks");
      g.writeEndObject();
      return;
    }
    int[] pick = evenly(total, MAX_ITL_POINTS);
    long[][] points = new long[pick.length][];
    int next = 0;
    int gap = 0;
    for (RequestTrace t : measured) {
      EventLog ev = t.events();
      long prev = Long.MIN_VALUE;
      for (int i = 0; i < ev.size() && next < pick.length; i++) {
        if (!ev.kind(i).isText()) {
          continue;
        }
        long at = ev.atNanos(i);
        if (prev != Long.MIN_VALUE) {
          if (gap == pick[next]) {
            points[next++] = new long[] {at, at - prev};
          }
          gap++;
        }
        prev = at;
      }
    }
    Arrays.sort(points, Comparator.comparingLong(p -> p[0]));
    g.writeNumberProperty("total", total);
    if (pick.length < total) {
      notes.note(
          g, "itl", "showing " + pick.length + " of " + total + " chunk gaps, evenly spaced");
    }
    g.writeArrayPropertyStart("t_ms");
    for (long[] p : points) {
      g.writeNumber(ms(p[0]));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("gap_ms");
    for (long[] p : points) {
      g.writeNumber(ms(p[1]));
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** Indices of at most {@code cap} items out of {@code total}, evenly spaced, first included. */
  static int[] evenly(int total, int cap) {
    int n = Math.min(total, cap);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) ((long) i * total / n);
    }
    return out;
  }

  /** Milliseconds, to the microsecond (finer only bloats the page). */
  static double ms(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }
}
