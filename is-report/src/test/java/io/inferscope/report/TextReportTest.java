package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextReportTest {

  /** The line whose label starts with {@code label} (after the indent). */
  private static String line(String report, String label) {
    List<String> found = report.lines().filter(l -> l.startsWith("  " + label)).toList();
    assertThat(found).as("line starting with '%s' in:%n%s", label, report).hasSize(1);
    return found.get(0);
  }

  /** The seven cells (count, mean, p50, p90, p95, p99, max) of a table row. */
  private static List<String> cells(String report, String label) {
    String row = line(report, label).substring(2 + SummaryTable.LABEL_WIDTH);
    List<String> cells = Arrays.asList(row.trim().split(" +"));
    assertThat(cells).hasSize(7);
    return cells;
  }

  private static boolean hasLineStarting(String report, String prefix) {
    return report.lines().anyMatch(l -> l.startsWith(prefix));
  }

  @Test
  void headerNamesTheRun() {
    String r = TextReport.render(RunAnalysis.of(Fixtures.standardRun()));
    assertThat(r.lines().findFirst()).hasValue("inferscope 0.1.0 · run report");
    assertThat(line(r, "url")).endsWith("http://localhost:8000");
    assertThat(line(r, "endpoint")).endsWith("chat");
    assertThat(line(r, "model ")).endsWith("llama-3.1-8b-instruct");
    assertThat(line(r, "mode ")).endsWith(" run");
    assertThat(line(r, "started")).endsWith("2025-06-01T12:00:00.123Z");
    assertThat(line(r, "duration")).endsWith("3.000 s");
    assertThat(r).doesNotContain("PARTIAL");
  }

  @Test
  void loadSectionCountsEveryMeasuredRequest() {
    String r = TextReport.render(RunAnalysis.of(Fixtures.standardRun()));
    assertThat(line(r, "measured requests")).endsWith("8 (1 warm-up excluded)");
    assertThat(line(r, "ok ")).endsWith(" 4");
    assertThat(line(r, "failed")).endsWith(" 3");
    assertThat(line(r, "cancelled")).endsWith(" 1");
    assertThat(line(r, "completeness")).endsWith("50.0 %");
    assertThat(line(r, "window")).endsWith("2.600 s");
    // 4 completed requests and 18 output tokens in 2.6 s.
    assertThat(line(r, "request rate")).contains("1.538 req/s");
    assertThat(line(r, "output rate")).endsWith("6.923 tok/s");
  }

  @Test
  void failuresAreListedByCodeWithCountAndExample() {
    List<RequestTrace> traces = new java.util.ArrayList<>(Fixtures.standardTraces());
    traces.add(Fixtures.failed(9, 900, 5, 500, new Failure.Http(500, "second body")));
    String r = TextReport.render(RunAnalysis.of(Fixtures.run(traces)));
    assertThat(line(r, "  http_500")).matches(" +http_500 +2  HTTP 500: internal error");
    assertThat(line(r, "  shed_503"))
        .matches(" +shed_503 +1  shed by server, HTTP 503: overloaded");
    assertThat(line(r, "  timeout_first_byte"))
        .matches(" +timeout_first_byte +1  first byte timeout after 2000 ms");
    assertThat(line(r, "  cancelled")).matches(" +cancelled +1  run interrupted");
    assertThat(r).doesNotContain("second body");
  }

  @Test
  void latencyTableHasHandComputedFigures() {
    String r = TextReport.render(RunAnalysis.of(Fixtures.standardRun()));
    assertThat(r).contains("Latency over 4 completed requests");
    // TTFT 30, 40, 50, 60 ms: mean 45, p50 45, p90 57, p95 58.5, p99 59.7, max 60.
    assertThat(cells(r, "TTFT (ms)"))
        .containsExactly("4", "45.00", "45.00", "57.00", "58.50", "59.70", "60.00");
    // Its parts: headers 2 ms after each send, the first token 28 to 58 ms after the headers.
    assertThat(cells(r, "  send → headers (ms)").subList(0, 3))
        .containsExactly("4", "2.000", "2.000");
    assertThat(cells(r, "  headers → 1st token (ms)").subList(0, 3))
        .containsExactly("4", "43.00", "43.00");
    assertThat(r.indexOf("  send → headers")).isGreaterThan(r.indexOf("TTFT (ms)"));
    // Reasoning came first on one request: first content 40, 50, 60, 80 ms.
    assertThat(cells(r, "first content token (ms)").subList(0, 3))
        .containsExactly("4", "57.50", "55.00");
    // E2E 74, 84, 94, 94 ms.
    assertThat(cells(r, "E2E (ms)").subList(0, 3)).containsExactly("4", "86.50", "89.00");
    // TPOT 10, 10, 10, 12 ms.
    assertThat(cells(r, "TPOT (ms)").subList(0, 3)).containsExactly("4", "10.50", "10.00");
    // Chunk gaps: eleven of 10 ms and one of 40 ms.
    assertThat(cells(r, "chunk ITL (ms)").subList(0, 3)).containsExactly("12", "12.50", "10.00");
    // Decode: 100 tok/s three times, 5 tokens in 60 ms once.
    assertThat(cells(r, "decode rate (tok/s)").get(6)).isEqualTo("100.0");
    assertThat(cells(r, "decode rate (tok/s)").get(1)).isEqualTo("95.83");
    assertThat(cells(r, "output tokens/request"))
        .containsExactly("4", "4.500", "4.000", "5.400", "5.700", "5.940", "6.000");
  }

  @Test
  void intendedSendRowsAppearOnlyWhenTheClientFellBehind() {
    String onTime = TextReport.render(RunAnalysis.of(Fixtures.standardRun()));
    assertThat(onTime).doesNotContain("TTFT from intended").doesNotContain("E2E from intended");
    assertThat(onTime).contains("client kept to schedule (send lag max 0.000 ms)");

    List<RequestTrace> late =
        List.of(
            Fixtures.ok(1, false, 100, 0, 40, 4, 10, 4, null),
            Fixtures.ok(2, false, 200, 25, 50, 4, 10, 4, null));
    String r = TextReport.render(RunAnalysis.of(Fixtures.run(late)));
    assertThat(cells(r, "TTFT from intended (ms)"))
        .containsExactly("2", "57.50", "57.50", "71.50", "73.25", "74.65", "75.00");
    assertThat(cells(r, "E2E from intended (ms)").get(6)).isEqualTo("109.0");
    assertThat(cells(r, "send lag (ms)").get(6)).isEqualTo("25.00");
    assertThat(r).doesNotContain("client kept to schedule");
  }

  @Test
  void firstContentRowOnlyWithReasoning() {
    List<RequestTrace> plain =
        List.of(
            Fixtures.ok(1, false, 100, 0, 40, 4, 10, 4, null),
            Fixtures.ok(2, false, 200, 0, 50, 4, 10, 4, null));
    assertThat(TextReport.render(RunAnalysis.of(Fixtures.run(plain))))
        .doesNotContain("first content");
  }

  @Test
  void tokensSectionShowsSourceAndWarnsOnlyOnMismatch() {
    String r = TextReport.render(RunAnalysis.of(Fixtures.standardRun()));
    assertThat(line(r, "output tokens ")).endsWith("18 (usage on 4 of 4 requests)");
    assertThat(line(r, "text chunks")).endsWith(" 16");
    assertThat(r)
        .contains("  info: usage differs from text chunks on 1 of 4 requests (18 tokens in 16")
        .contains("chunk ITL is per chunk, not per token (1.125 tokens per chunk on average)");

    List<RequestTrace> matching =
        List.of(
            Fixtures.ok(1, false, 100, 0, 40, 4, 10, 4, null),
            Fixtures.ok(2, false, 200, 0, 50, 4, 10, null, null));
    String m = TextReport.render(RunAnalysis.of(Fixtures.run(matching)));
    assertThat(m).doesNotContain("WARNING");
    assertThat(line(m, "output tokens ")).endsWith("8 (usage on 1 of 2 requests)");

    List<RequestTrace> noUsage = List.of(Fixtures.ok(1, false, 100, 0, 40, 4, 10, null, null));
    assertThat(line(TextReport.render(RunAnalysis.of(Fixtures.run(noUsage))), "output tokens "))
        .endsWith("4 (counted from text chunks: the server sent no usage)");
  }

  @Test
  void serverViewSitsBesideTheClientDecodeRate() {
    String r = TextReport.render(RunAnalysis.of(Fixtures.standardRun()));
    assertThat(r).endsWith("\n").doesNotEndWith("\n\n\n");
    assertThat(r).contains("Server view");
    // 4 tokens in 30 ms and in 40 ms: (4 - 1) tokens per span, 100 and 75 tok/s.
    assertThat(cells(r, "server decode (tok/s)"))
        .containsExactly("2", "87.50", "87.50", "97.50", "98.75", "99.75", "100.0");
    assertThat(cells(r, "client decode (tok/s)").get(6)).isEqualTo("100.0");
    assertThat(cells(r, "server prompt (ms)").subList(0, 3)).containsExactly("2", "9.000", "9.000");

    List<RequestTrace> none = List.of(Fixtures.ok(1, false, 100, 0, 40, 4, 10, 4, null));
    assertThat(TextReport.render(RunAnalysis.of(Fixtures.run(none)))).doesNotContain("Server view");
  }

  @Test
  void absentFiguresShowAsDashNeverZero() {
    // One chunk each, no usage: no TPOT, no ITL, no decode rate; no model name.
    List<RequestTrace> traces =
        List.of(
            Fixtures.ok(1, false, 100, 0, 40, 1, 10, null, null),
            Fixtures.ok(2, false, 200, 0, 50, 1, 10, null, null));
    RunResult run =
        new RunResult(
            Fixtures.meta(null), Fixtures.clock(), traces, 500 * Fixtures.MS, false, null);
    String r = TextReport.render(RunAnalysis.of(run));
    assertThat(line(r, "model ")).endsWith(" -");
    assertThat(cells(r, "TPOT (ms)")).containsOnly("-");
    assertThat(cells(r, "chunk ITL (ms)")).containsOnly("-");
    assertThat(cells(r, "decode rate (tok/s)")).containsOnly("-");
    assertThat(cells(r, "TTFT (ms)").get(0)).isEqualTo("2");
  }

  @Test
  void partialRunIsMarkedWithItsReason() {
    RunResult base = Fixtures.standardRun();
    RunResult partial =
        new RunResult(
            base.meta(),
            base.clock(),
            base.traces(),
            base.endNanos(),
            true,
            "interrupted (Ctrl-C)");
    String r = TextReport.render(RunAnalysis.of(partial));
    assertThat(line(r, "PARTIAL")).endsWith("run cut short: interrupted (Ctrl-C)");
    assertThat(TextReport.oneLineSummary(RunAnalysis.of(partial))).endsWith(" · PARTIAL");
  }

  @Test
  void everyRequestFailedIsSaidPlainly() {
    List<RequestTrace> traces =
        List.of(
            Fixtures.failed(1, 100, 5, 500, new Failure.Http(500, "boom")),
            Fixtures.failed(2, 200, 5, null, new Failure.Connect("connection refused")));
    String r = TextReport.render(RunAnalysis.of(Fixtures.run(traces)));
    assertThat(r).contains("ALL MEASURED REQUESTS FAILED (2 of 2)");
    assertThat(r).doesNotContain("Latency over").doesNotContain("Tokens");
    assertThat(line(r, "completeness")).endsWith("0.0 %");
    assertThat(line(r, "output rate")).endsWith("0.000 tok/s");
    assertThat(TextReport.oneLineSummary(RunAnalysis.of(Fixtures.run(traces))))
        .isEqualTo("0/2 ok (2 failed) · TTFT p50 - p99 - · 0.000 tok/s");
  }

  @Test
  void noLineIsWiderThanOneHundredColumnsAndNoEscapeReachesTheTerminal() {
    String longText = "x".repeat(300);
    List<RequestTrace> traces = new java.util.ArrayList<>(Fixtures.standardTraces());
    traces.add(
        Fixtures.failed(
            9, 900, 5, 502, new Failure.Http(502, "\u001b[2J\u001b[31mbad gateway\n" + longText)));
    traces.add(Fixtures.failed(10, 900, 5, null, new Failure.Client("client-fault-" + longText)));
    RunMeta meta =
        new RunMeta(
            "0.1.0", "run", List.of(), "http://" + longText, "chat", "model-" + longText, Map.of());
    RunResult run =
        new RunResult(meta, Fixtures.clock(), traces, 3000 * Fixtures.MS, true, longText);
    String r = TextReport.render(RunAnalysis.of(run));
    assertThat(r.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    assertThat(r).doesNotContain("\u001b").doesNotContain("\t").doesNotContain("\r");
    assertThat(line(r, "model ")).endsWith("...");
    assertThat(line(r, "  http_502")).contains("HTTP 502: [2J [31mbad gateway xxx");
  }

  @Test
  void oneLineSummaryHasTheHeadlineFigures() {
    assertThat(TextReport.oneLineSummary(RunAnalysis.of(Fixtures.standardRun())))
        .isEqualTo("4/8 ok (3 failed, 1 cancelled) · TTFT p50 45.00 ms p99 59.70 ms · 6.923 tok/s");
    List<RequestTrace> ok =
        List.of(
            Fixtures.ok(1, false, 100, 0, 40, 4, 10, 4, null),
            Fixtures.ok(2, false, 200, 0, 50, 4, 10, 4, null));
    assertThat(TextReport.oneLineSummary(RunAnalysis.of(Fixtures.run(ok))))
        .startsWith("2/2 ok · TTFT p50 45.00 ms");
  }

  @Test
  void longTimesAreShownInSeconds() {
    List<RequestTrace> slow =
        List.of(
            Fixtures.ok(1, false, 100, 0, 12_000, 4, 10, 4, new ServerTimings(1, 2.0, 4, 30.0, 0)));
    String r = TextReport.render(RunAnalysis.of(Fixtures.run(slow)));
    assertThat(cells(r, "TTFT (s)").get(2)).isEqualTo("12.00");
    assertThat(cells(r, "TPOT (ms)").get(2)).isEqualTo("10.00");
    assertThat(TextReport.oneLineSummary(RunAnalysis.of(Fixtures.run(slow))))
        .contains("TTFT p50 12.00 s");
  }

  @Test
  void noMeasuredRequests() {
    String r = TextReport.render(RunAnalysis.of(Fixtures.run(List.of())));
    assertThat(line(r, "measured requests")).endsWith("0 (0 warm-up excluded)");
    assertThat(line(r, "completeness")).endsWith(" -");
    assertThat(line(r, "window")).endsWith(" -");
    assertThat(r).doesNotContain("Latency over");
    assertThat(hasLineStarting(r, "ALL")).isFalse();
  }

  @Test
  void aRequestThatFailedAfterStreamingKeepsItsDataApartFromTheCompletedOnes() {
    RequestTrace late =
        Fixtures.failedAfterStreaming(
            Fixtures.ok(9, false, 900, 0, 40, 4, 10, null, null),
            new Failure.Malformed("invalid JSON after [DONE]"));
    List<RequestTrace> traces = new java.util.ArrayList<>(Fixtures.standardTraces());
    traces.add(late);
    RunAnalysis a = RunAnalysis.of(Fixtures.run(traces));
    // Not in the completed figures: TTFT still over the same 4 requests.
    assertThat(a.metrics().ttftNanos().count()).isEqualTo(4);
    assertThat(a.metrics().partialRequests()).isEqualTo(1);
    assertThat(a.metrics().partialTextChunks()).isEqualTo(4);
    String r = TextReport.render(a);
    assertThat(r)
        .contains(
            "\nPartial requests (streamed text, then failed or were cancelled; not above)\n"
                + "  requests            1\n"
                + "  text chunks         4\n"
                + "  TTFT                p50 40.00 ms · max 40.00 ms\n");
    assertThat(TextReport.render(RunAnalysis.of(Fixtures.standardRun())))
        .doesNotContain("Partial requests");
  }

  @Test
  void aRunWhoseRequestsWereAllCancelledSaysSoAndNotThatTheyFailed() {
    List<RequestTrace> traces =
        List.of(
            Fixtures.failed(1, 100, 50, 200, new Failure.Cancelled("run duration reached")),
            Fixtures.failed(2, 110, 50, 200, new Failure.Cancelled("run duration reached")));
    String timed = TextReport.render(RunAnalysis.of(Fixtures.run(traces)));
    assertThat(timed)
        .contains("\nNO MEASURED REQUEST COMPLETED: all 2 cancelled (the drain timeout ran out)\n")
        .doesNotContain("ALL MEASURED REQUESTS FAILED");
    List<RequestTrace> mixed = new java.util.ArrayList<>(traces);
    mixed.add(Fixtures.failed(3, 120, 5, 500, new Failure.Http(500, "boom")));
    assertThat(TextReport.render(RunAnalysis.of(Fixtures.run(mixed))))
        .contains("ALL MEASURED REQUESTS FAILED (3 of 3)");
  }

  @Test
  void headerStatesTheLoadShapeAndPerRequestConnections() {
    RunResult base = Fixtures.standardRun();
    String r = TextReport.render(RunAnalysis.of(base));
    assertThat(r).contains("concurrency 4 · 8 requests");
    assertThat(r).doesNotContain("connections");
    String withNote =
        TextReport.render(
            RunAnalysis.of(
                base.withFacts(
                    new io.inferscope.core.RunFacts(
                        null, io.inferscope.core.RunFacts.ConnectionReuse.PER_REQUEST, null))));
    assertThat(withNote).contains("connections         per-request (the engine closed");
  }

  @Test
  void observationDelayRowAppearsOnlyWithStamps() {
    assertThat(TextReport.render(RunAnalysis.of(Fixtures.standardRun())))
        .doesNotContain("observation delay");
    List<RequestTrace> traces = new java.util.ArrayList<>(Fixtures.standardTraces());
    traces.add(Fixtures.stamped(9, 800));
    String r = TextReport.render(RunAnalysis.of(Fixtures.run(traces)));
    assertThat(r).containsPattern("observation delay \\(ms\\) +3 +2\\.000 ");
  }

  @Test
  void clientOverheadIsOneLineNearTheEndWithAbsentFiguresAsDashes() {
    RunResult base = Fixtures.standardRun();
    RunResult run =
        new RunResult(
            base.meta(),
            base.clock(),
            base.traces(),
            base.endNanos(),
            false,
            null,
            base.hardware(),
            new ClientOverhead(12.34, 2, 1_500_000L, 800_000L, 3, 1_200_000L, 300_000L));
    assertThat(TextReport.render(RunAnalysis.of(run)))
        .contains(
            "\nClient\n  client CPU 12.3 % of one core (2 cores) · GC pauses 3, max 0.8 ms\n"
                + "  scheduling lag p99 0.3 ms, max 1.2 ms\n");
    RunResult absent =
        new RunResult(
            base.meta(),
            base.clock(),
            base.traces(),
            base.endNanos(),
            false,
            null,
            base.hardware(),
            new ClientOverhead(null, null, null, null, null, null, null));
    assertThat(TextReport.render(RunAnalysis.of(absent)))
        .contains(
            "  client CPU - of one core (- cores) · GC pauses -, max -\n"
                + "  scheduling lag p99 -, max -\n");
    RunResult subMillisecond =
        new RunResult(
            base.meta(),
            base.clock(),
            base.traces(),
            base.endNanos(),
            false,
            null,
            base.hardware(),
            new ClientOverhead(50.0, 2, 0L, 0L, 5, 1_000_000L, 500_000L));
    // JMX gives whole milliseconds: five pauses that read 0 are short, not absent.
    assertThat(TextReport.render(RunAnalysis.of(subMillisecond)))
        .contains("· GC pauses 5, max < 1 ms\n");
    // not measured: no block at all
    assertThat(TextReport.render(RunAnalysis.of(base))).doesNotContain("\nClient\n");
  }
}
