package io.inferscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Summary;
import io.inferscope.sim.ScheduleReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's verdicts on its targets, from levels whose figures are known. */
class BenchReportTest {

  private static final ClientOverhead NO_OVERHEAD =
      new ClientOverhead(null, null, null, null, null, null, null);

  @Test
  void eachTargetIsDecidedOnItsOwnLevelWithTheTrivialClientsFigureAsTheFloor() {
    List<BenchLevel> levels =
        List.of(
            // The cold level misses ITL; the warm one at the same streams holds it.
            level(512, BenchLevel.Kind.COLD, 2_000_000, 0.9e6, 9_000, 0),
            level(512, BenchLevel.Kind.TRIVIAL, 800_000, 0.3e6, 4_000, 0),
            level(512, BenchLevel.Kind.PROBE, 2_500_000, 0.4e6, 6_000, 0),
            level(1024, BenchLevel.Kind.PROBE, 12_000_000, 2.0004e6, 4_000, 0),
            level(2048, BenchLevel.Kind.PROBE, 50_000_000, 30e6, 3_000, 2));

    String out = targets(levels);

    assertThat(out)
        .contains(
            "- client CPU per event ≤ 5.0 µs at 512 streams: missed (6.0 µs; the trivial client's"
                + " 4.0 µs; 1.20× the target)")
        .contains(
            "- engine lateness p99 ≤ 3.000 ms at 512 streams: holds (2.500 ms; the trivial"
                + " client's 0.800 ms)")
        .contains("- engine lateness p99 ≤ 10.000 ms at 1024 streams: missed (12.000 ms; 1.20×")
        .contains(
            "- ITL error p99 ≤ 0.500 ms at 512 streams, default settings, cold (the first level):"
                + " missed (0.900 ms; the trivial client's 0.300 ms; 1.80× the target)")
        .contains(
            "- ITL error p99 ≤ 0.500 ms at 512 streams: holds (0.400 ms; the trivial client's"
                + " 0.300 ms)")
        // Decided as printed: a figure that reads as the limit holds.
        .contains("- ITL error p99 ≤ 2.000 ms at 1024 streams: holds (2.000 ms)")
        .contains("- observation delay p99 ≤ 1.000 ms at 512 streams: holds (")
        .contains(
            "- TTFT p50 at 1 stream within 0.300 ms of the engine's own: not measured (level not"
                + " in --streams)")
        // The rate holds, but two requests failed: the target does not.
        .containsPattern(
            "- ≥ 100000 events/s streamed \\(as the engine wrote them\\) at 2048 streams, no"
                + " failure: missed \\(\\d+ events/s, 2 failures\\)")
        .contains(
            "- engine lateness p99 ≤ 1.000 ms under the trivial client at 512 streams: holds"
                + " (0.800 ms)");
  }

  @Test
  void aTargetWhoseLevelDidNotRunIsNotMeasuredAndOneWithoutTheFigureSaysWhich() {
    BenchLevel noEngineReport =
        new BenchLevel(
            512,
            BenchLevel.Kind.PROBE,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            NO_OVERHEAD,
            null,
            null,
            0,
            0);

    String out = targets(List.of(noEngineReport));

    assertThat(out)
        .contains(
            "- ITL error p99 ≤ 0.500 ms at 512 streams, default settings, cold (the first level):"
                + " not measured (no cold level of 512 streams)")
        .contains(
            "- engine lateness p99 ≤ 3.000 ms at 512 streams: not measured (the level has no"
                + " engine lateness p99)")
        .contains(
            "- engine lateness p99 ≤ 10.000 ms at 1024 streams: not measured (no level of 1024")
        .contains("at 2048 streams, no failure: not measured (no level of 2048 streams)");
    assertThat(out).doesNotContain("holds").doesNotContain("missed");
  }

  @Test
  void theEnginesOwnLatenessIsDecidedAsPrintedAndAMissSaysTheEngineIsLate() {
    assertThat(targets(List.of(level(512, BenchLevel.Kind.TRIVIAL, 1_000_400, 0.3e6, 4_000, 0))))
        .contains(
            "- engine lateness p99 ≤ 1.000 ms under the trivial client at 512 streams: holds"
                + " (1.000 ms)");
    assertThat(targets(List.of(level(512, BenchLevel.Kind.TRIVIAL, 2_500_000, 0.3e6, 4_000, 0))))
        .contains(
            "- engine lateness p99 ≤ 1.000 ms under the trivial client at 512 streams: missed (the"
                + " engine itself is late: 2.500 ms)");
  }

  @Test
  void theTtftGapIsDecidedAsPrintedAndTheTrivialClientsGapFollows() {
    String out =
        targets(
            List.of(
                oneStream(BenchLevel.Kind.TRIVIAL, 20_000_000, 20_280_000),
                oneStream(BenchLevel.Kind.PROBE, 20_000_000, 20_300_400)));

    assertThat(out)
        .contains(
            "- TTFT p50 at 1 stream within 0.300 ms of the engine's own: holds (20.300 against"
                + " 20.000 ms: +0.300 ms; the trivial client's +0.280 ms)");

    out = targets(List.of(oneStream(BenchLevel.Kind.PROBE, 20_000_000, 20_301_000)));
    assertThat(out)
        .contains(
            "- TTFT p50 at 1 stream within 0.300 ms of the engine's own: missed (20.301 against"
                + " 20.000 ms: +0.301 ms)");
  }

  private static BenchLevel oneStream(
      BenchLevel.Kind kind, long engineTtftNanos, double ttftNanos) {
    ScheduleReport schedule =
        new ScheduleReport(
            ScheduleReport.Spread.NONE,
            new ScheduleReport.Spread(10, engineTtftNanos, engineTtftNanos, engineTtftNanos),
            null);
    return new BenchLevel(
        1,
        kind,
        null,
        null,
        schedule,
        null,
        null,
        Summary.of(new double[] {ttftNanos}),
        null,
        NO_OVERHEAD,
        null,
        null,
        0,
        0);
  }

  private static String targets(List<BenchLevel> levels) {
    StringWriter s = new StringWriter();
    BenchReport.targets(new PrintWriter(s), levels);
    return s.toString();
  }

  /**
   * A level of 10 s with the engine's lateness p99, ITL error p99 and the client's CPU per event.
   */
  private static BenchLevel level(
      int streams,
      BenchLevel.Kind kind,
      long lateP99Nanos,
      double itlP99Nanos,
      double cpuNanosPerEvent,
      int failures) {
    long events = streams * 1000L;
    ScheduleReport schedule =
        new ScheduleReport(
            new ScheduleReport.Spread(events, lateP99Nanos / 10, lateP99Nanos, lateP99Nanos * 2),
            ScheduleReport.Spread.NONE,
            null);
    // 100 values, all the p99 but the first: the interpolated p99 is the value itself.
    double[] itl = new double[100];
    java.util.Arrays.fill(itl, itlP99Nanos);
    itl[0] = 0;
    double[] delay = new double[100];
    java.util.Arrays.fill(delay, 0.2e6);
    return new BenchLevel(
        streams,
        kind,
        events,
        events / 10.0,
        schedule,
        Summary.of(delay),
        Summary.of(itl),
        null,
        cpuNanosPerEvent,
        NO_OVERHEAD,
        null,
        null,
        0,
        failures);
  }
}
