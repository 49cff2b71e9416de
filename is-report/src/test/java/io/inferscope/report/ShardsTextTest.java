package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunMerge;
import io.inferscope.core.RunResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A shard's header and a merged run's Shards section, as the text report prints them. */
class ShardsTextTest {

  private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

  private static RunResult shard(int index, String host, String boot) {
    RunResult r = Fixtures.standardRun();
    return r.withFacts(
        r.facts()
            .withHost(new RunFacts.Host(host, boot, 2_000))
            .withShard(new RunFacts.Shard(index, 3, START, 12_345L)));
  }

  @Test
  void aShardSaysWhichAndHowLateItStarted() {
    String text = TextReport.render(RunAnalysis.of(shard(1, "pod-1", "b")));
    assertThat(text)
        .contains(
            "  shard               1/3 on pod-1\n",
            "  start               measured load 0.012 ms after --start-at 2025-06-01T12:00:00Z\n",
            "this run is shard 1/3 of a load");
  }

  @Test
  void aMergedRunListsEveryInputWhoseSamplesAndHowFarItsClocksAgree() {
    RunResult merged =
        RunMerge.of(
            List.of(
                new RunMerge.Input("shard-0.json", 5, shard(0, "pod-0", "boot-a")),
                new RunMerge.Input("shard-1.json", 5, shard(1, "pod-1", "boot-b"))),
            false,
            "0.1.0",
            List.of("merge"));
    String text = TextReport.render(RunAnalysis.of(merged));
    assertThat(text)
        .contains(
            "  merged              2 of 3 shards (1 missing) · ids are id*3+shard (see Shards)\n",
            "Shards (on the clock of shard-0.json, which started first)\n",
            "  shard  file                  host             offset ms   late ms  requests      ok"
                + "  status\n",
            "  0/3    shard-0.json          pod-0                0.000     0.012         8       4"
                + "  ok\n",
            "  2/3    -                     -                        -         -         -       -"
                + "  MISSING\n",
            "  clocks              2 hosts, aligned by wall clock: their offset (NTP) not measured\n",
            "  hardware samples    none (no input had any)\n",
            "shard 2/3 missing: no file given holds it");
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }
}
