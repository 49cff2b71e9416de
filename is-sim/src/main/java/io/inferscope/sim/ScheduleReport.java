package io.inferscope.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How late the engine wrote its events against its own schedule, over one window: what {@code GET
 * /x-inferscope/schedule} answers (and {@code DELETE}, which also starts a new window). Lateness of
 * an event is the time its socket write returned minus the time it was due (request arrival + TTFT
 * + the token's gaps). A client that starves the engine of CPU, or stops reading, makes it grow.
 * This class is the one place that names the endpoint and its JSON.
 *
 * @param events events written in the window
 * @param latenessP50Nanos median lateness, null when no event was written
 * @param latenessP99Nanos 99th percentile, null when no event was written
 * @param latenessMaxNanos largest lateness, null when no event was written
 */
public record ScheduleReport(
    long events, Long latenessP50Nanos, Long latenessP99Nanos, Long latenessMaxNanos) {

  /** The endpoint: GET reads the window, DELETE reads it and starts a new one. */
  public static final String PATH = "/x-inferscope/schedule";

  private static final Pattern EVENTS = Pattern.compile("\"events\":(\\d+)");
  private static final Pattern FIELD = Pattern.compile("\"(p50|p99|max)\":(null|-?\\d+)");

  /** {@code {"events":N,"lateness_ns":{"p50":..,"p99":..,"max":..}}}, nulls when no events. */
  public String toJson() {
    return "{\"events\":"
        + events
        + ",\"lateness_ns\":{\"p50\":"
        + latenessP50Nanos
        + ",\"p99\":"
        + latenessP99Nanos
        + ",\"max\":"
        + latenessMaxNanos
        + "}}";
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException when {@code json} is not such a report
   */
  public static ScheduleReport parse(String json) {
    Matcher events = EVENTS.matcher(json);
    if (!events.find()) {
      throw new IllegalArgumentException("not a schedule report (no events): " + json);
    }
    Long p50 = null;
    Long p99 = null;
    Long max = null;
    int found = 0;
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      Long value = m.group(2).equals("null") ? null : Long.valueOf(m.group(2));
      switch (m.group(1)) {
        case "p50" -> p50 = value;
        case "p99" -> p99 = value;
        default -> max = value;
      }
      found++;
    }
    if (found != 3) {
      throw new IllegalArgumentException("not a schedule report (lateness fields): " + json);
    }
    return new ScheduleReport(Long.parseLong(events.group(1)), p50, p99, max);
  }
}
