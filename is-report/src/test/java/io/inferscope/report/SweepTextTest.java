package io.inferscope.report;

import static io.inferscope.report.SweepFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import org.junit.jupiter.api.Test;

class SweepTextTest {

  @Test
  void aRowPerLevelTheKneeMarkedAndTheKneeAndStopLines() {
    SweepAnalysis s = SweepFixtures.standard();
    String text = SweepText.render(s);

    assertThat(text).startsWith("inferscope 0.1.0 · sweep report\n");
    assertThat(text).contains("  sweep               concurrency (closed loop), 5 levels\n");
    assertThat(text)
        .contains(
            "  concurrency     req/s     tok/s  TTFT p50  TTFT p99   ITL p50   ITL p99   E2E p50"
                + "   E2E p99\n");
    // Level 1: 50 requests in 10 s, 100 tok/s, TTFT 50 ms, gaps 10 ms, E2E 241 ms.
    assertThat(text)
        .contains(
            "            1     5.000     100.0     50.00     50.00     10.00     10.00     241.0"
                + "     241.0\n");
    // The knee's rows are marked.
    assertThat(text).contains("\n*           4     19.00     380.0     60.00");
    assertThat(text)
        .contains("  concurrency  requests      ok   shed timeouts  errors cancelled complete\n");
    assertThat(text)
        .contains("           16       247     196     49        1       1         0   79.4 %\n");
    assertThat(text).contains("\n  * the knee\n");
    assertThat(text)
        .contains(
            "\nknee          knee at concurrency 4: from 4 to 8, output throughput rose 2.63 %"
                + " while TTFT p50 rose\n              317 %\n");
    assertThat(text)
        .contains(
            "\nstopped early completeness 79.4 % at concurrency 16 fell below the 90 % minimum"
                + " (HTTP 503 shedding)\n");
    // No SLO: no goodput columns.
    assertThat(text).doesNotContain("goodput").doesNotContain("SLO");
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    assertThat(text).endsWith("\n");
  }

  @Test
  void withAnSloTheGoodputColumnsAreThere() {
    String text = SweepText.render(SweepFixtures.standard(new Slo(200 * MS, null, 5000 * MS), 0));
    assertThat(text).contains("  SLO                 TTFT ≤ 200.0 ms · E2E ≤ 5000 ms\n");
    assertThat(text).contains(" complete  goodput   good/s missed\n");
    assertThat(text).contains("  100.0 %  100.0 %    5.000      -\n");
    // Which objective the requests of a level missed most: TTFT beyond the knee.
    assertThat(text).contains("   79.4 %    0.0 %    0.000   ttft\n");
    // The workload, from the first level's run.
    assertThat(text)
        .contains("  workload            synthetic · input 512.0 tok mean (engine tokenizer)");
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }

  @Test
  void aLevelCutShortIsMarkedAndNoKneeSaysWhy() {
    String text = SweepText.render(SweepFixtures.risingRates());
    assertThat(text).contains("  sweep               rate (open loop), 3 levels\n");
    assertThat(text).contains("\n!         2/s");
    assertThat(text).contains("        0.5/s");
    assertThat(text).contains("\n  ! cut short: not judged for the knee\n");
    assertThat(text)
        .contains("\nknee          no knee within the levels run; throughput still rising");
    assertThat(text).contains("\nstopped early interrupted by SIGINT\n");
  }
}
