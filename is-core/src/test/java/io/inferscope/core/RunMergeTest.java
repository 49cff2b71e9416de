package io.inferscope.core;

import static io.inferscope.core.CorrelationFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shards' runs put together: ids, clocks, samples, refusals and failed shards. */
class RunMergeTest {

  private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");

  /** Request {@code id} sent at {@code sendMs} with TTFT {@code ttftMs} and a 40 ms decode. */
  private static RequestTrace ok(int id, long sendMs, long ttftMs) {
    return CorrelationFixtures.ok(
        id, false, sendMs, sendMs + ttftMs, sendMs + ttftMs + 40, sendMs + ttftMs + 41, 8);
  }

  private static RunMerge.Input input(String file, RunResult run) {
    return new RunMerge.Input(file, 5, run);
  }

  /**
   * Shard {@code index}/{@code count} on a clock of wall {@code wall} and monotonic {@code mono}.
   */
  static RunResult shard(
      int index,
      int count,
      Instant wall,
      long mono,
      String bootId,
      List<RequestTrace> traces,
      Map<String, String> settings) {
    long end = traces.stream().mapToLong(RequestTrace::endNanos).max().orElse(0);
    return new RunResult(
            new RunMeta(
                "0.1.0", "run", List.of("run"), "http://engine:8000", "chat", "m", settings),
            new RunClock(mono, wall),
            traces,
            end,
            false,
            null)
        .withFacts(
            new RunFacts(2, RunFacts.ConnectionReuse.POOLED, null)
                .withHost(new RunFacts.Host("pod-" + index, bootId, 2_000))
                .withShard(new RunFacts.Shard(index, count, T0, 300_000L)));
  }

  private static Map<String, String> settings(int concurrency, int requests, String rate) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("concurrency", Integer.toString(concurrency));
    s.put("requests", Integer.toString(requests));
    s.put("rate_per_second", rate);
    s.put("max_tokens", "8");
    return s;
  }

  /** The whole load: 30 requests, one every 10 ms, seeded TTFTs. */
  private static List<RequestTrace> whole() {
    Random r = new Random(3);
    List<RequestTrace> out = new ArrayList<>();
    for (int k = 0; k < 30; k++) {
      out.add(ok(k, 10L * k, 20 + r.nextInt(30)));
    }
    return out;
  }

  /** The whole load dealt to 3 shards on one clock: request k to shard k mod 3 as its k/3-th. */
  private static List<RunMerge.Input> dealt(long[] monoOrigins, Instant[] wallOrigins) {
    List<RunMerge.Input> inputs = new ArrayList<>();
    String[] rate = {"3.3333333333333335", "3.3333333333333335", "3.3333333333333335"};
    int[] concurrency = {4, 3, 3};
    for (int i = 0; i < 3; i++) {
      List<RequestTrace> mine = new ArrayList<>();
      // Each shard's own clock: its times are the whole's less its origin's lead on T0.
      long lead = java.time.Duration.between(T0, wallOrigins[i]).toNanos();
      for (RequestTrace t : whole()) {
        if (t.id() % 3 == i) {
          mine.add(RunMerge.shifted(t, -lead, t.id() / 3));
        }
      }
      inputs.add(
          input(
              "shard-" + i + ".json",
              shard(
                  i,
                  3,
                  wallOrigins[i],
                  monoOrigins[i],
                  "boot-a",
                  mine,
                  settings(concurrency[i], mine.size(), rate[i]))));
    }
    return inputs;
  }

  private static RunResult merge(List<RunMerge.Input> inputs) {
    return RunMerge.of(inputs, false, "0.2.0", List.of("merge"));
  }

  @Test
  void theMergedRunIsTheWholeLoadWithIdsMadeUnique() {
    Instant[] walls = {T0, T0.plusMillis(1), T0.plusMillis(2)};
    RunResult merged = merge(dealt(new long[] {5_000 * MS, 5_001 * MS, 5_002 * MS}, walls));

    assertThat(merged.traces()).hasSize(30);
    Set<Integer> ids = new HashSet<>();
    merged.traces().forEach(t -> ids.add(t.id()));
    assertThat(ids).hasSize(30);
    // id*3+shard is the whole load's numbering, and every time is back on the first clock.
    assertThat(merged.traces()).isEqualTo(whole());
    assertThat(merged.meta().settings())
        .containsEntry("concurrency", "10")
        .containsEntry("requests", "30")
        .containsEntry("rate_per_second", "10.0")
        .containsEntry("max_tokens", "8");
    assertThat(merged.meta().commandLine()).containsExactly("merge");
    assertThat(merged.partial()).isFalse();
    assertThat(merged.facts().shard()).isNull();
    RunFacts.Merge m = merged.facts().merge();
    assertThat(m.shardCount()).isEqualTo(3);
    assertThat(m.missingShards()).isEmpty();
    assertThat(m.inputs())
        .extracting(RunFacts.MergedInput::offsetNanos)
        .containsExactly(0L, MS, 2 * MS);
    assertThat(m.inputs())
        .extracting(RunFacts.MergedInput::status)
        .containsOnly(RunFacts.InputStatus.OK);

    // Exact percentiles of the merged requests, as one process measuring them all would give.
    RunResult one = CorrelationFixtures.run(whole(), null);
    assertThat(RunAnalysis.of(merged).metrics().ttftNanos())
        .isEqualTo(RunAnalysis.of(one).metrics().ttftNanos());
    assertThat(RunAnalysis.of(merged).metrics().e2eNanos())
        .isEqualTo(RunAnalysis.of(one).metrics().e2eNanos());
  }

  @Test
  void clocksAreAlignedByWallOriginsOnTheOneThatStartedFirst() {
    // Shard 2 started first; shard 0 250 ms after it, shard 1 1.5 s after it.
    Instant[] walls = {T0.plusMillis(250), T0.plusMillis(1500), T0};
    // One boot: wall minus monotonic is the same number but for 3 us and 7 us of error.
    long base = 9_000 * MS;
    long[] monos = {base + 250 * MS - 3_000, base + 1500 * MS + 4_000, base};
    List<RunMerge.Input> inputs = dealt(monos, walls);
    RunResult merged = merge(inputs);

    RunFacts.Merge m = merged.facts().merge();
    assertThat(m.clockFrom()).isEqualTo(2);
    assertThat(merged.clock()).isEqualTo(inputs.get(2).run().clock());
    assertThat(m.inputs())
        .extracting(RunFacts.MergedInput::offsetNanos)
        .containsExactly(250 * MS, 1500 * MS, 0L);
    // Each shard's times were its own clock's; on the merged clock they are the whole's again.
    assertThat(merged.traces()).isEqualTo(whole());
    assertThat(m.clockGroups()).hasSize(1);
    assertThat(m.clockGroups().getFirst().inputs()).containsExactly(0, 1, 2);
    assertThat(m.clockGroups().getFirst().spreadNanos()).isEqualTo(7_000);
    assertThat(m.severalClocks()).isFalse();
    assertThat(RunAnalysis.of(merged).findings())
        .extracting(Finding::code)
        .doesNotContain("clock_disagreement", "clock_alignment");
  }

  @Test
  void shardsOfSeveralHostsSayTheirOffsetIsNotMeasured() {
    Instant[] walls = {T0, T0, T0};
    List<RunMerge.Input> inputs = new ArrayList<>();
    for (RunMerge.Input in : dealt(new long[] {1, 2, 3}, walls)) {
      RunResult r = in.run();
      int i = r.facts().shard().index();
      inputs.add(
          input(
              in.file(),
              r.withFacts(r.facts().withHost(new RunFacts.Host("node-" + i, "boot-" + i, 10)))));
    }
    RunResult merged = merge(inputs);
    assertThat(merged.facts().merge().clockGroups()).hasSize(3);
    assertThat(RunAnalysis.of(merged).findings())
        .filteredOn(f -> f.code().equals("clock_alignment"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("3 hosts", "not measured"));
  }

  @Test
  void aWallClockThatMovedOnOneHostIsAWarning() {
    Instant[] walls = {T0, T0.plusMillis(100), T0.plusMillis(200)};
    // Shard 2's monotonic clock says 150 ms after shard 0, its wall clock 200 ms: 50 ms apart.
    RunResult merged = merge(dealt(new long[] {0, 100 * MS, 150 * MS}, walls));
    assertThat(merged.facts().merge().clockGroups().getFirst().spreadNanos()).isEqualTo(50 * MS);
    assertThat(RunAnalysis.of(merged).findings())
        .filteredOn(f -> f.code().equals("clock_disagreement"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("50.0 ms"));
  }

  @Test
  void aFailedPartialOrMissingShardIsNamedNeverAveragedAway() {
    List<RunMerge.Input> inputs = dealt(new long[] {0, 0, 0}, new Instant[] {T0, T0, T0});
    RunResult cut = inputs.get(1).run();
    RunResult partial =
        new RunResult(
            cut.meta(),
            cut.clock(),
            cut.traces(),
            cut.endNanos(),
            true,
            "interrupted by SIGTERM",
            cut.hardware(),
            cut.client(),
            cut.facts(),
            cut.engineMetrics());
    RunResult failing = inputs.get(0).run();
    List<RequestTrace> failed = new ArrayList<>();
    for (RequestTrace t : failing.traces()) {
      failed.add(
          CorrelationFixtures.failed(
              t.id(), t.sendNanos() / MS, t.sendNanos() / MS + 1, new Failure.Http(500, "boom")));
    }
    RunResult allFailed =
        new RunResult(
                failing.meta(),
                failing.clock(),
                failed,
                failing.endNanos(),
                false,
                null,
                null,
                null,
                failing.facts())
            .withFacts(failing.facts());
    RunResult merged =
        merge(List.of(input("shard-0.json", allFailed), input("shard-1.json", partial)));

    RunFacts.Merge m = merged.facts().merge();
    assertThat(m.missingShards()).containsExactly(2);
    assertThat(m.inputs())
        .extracting(RunFacts.MergedInput::status)
        .containsExactly(RunFacts.InputStatus.FAILED, RunFacts.InputStatus.PARTIAL);
    assertThat(m.inputs().getFirst().statusDetail())
        .isEqualTo("every one of its 10 measured requests failed (http_500 x10)");
    assertThat(merged.partial()).isTrue();
    assertThat(merged.stopReason())
        .isEqualTo(
            "shard 0/3 (shard-0.json) failed: every one of its 10 measured requests failed"
                + " (http_500 x10); shard 1/3 (shard-1.json) partial: cut short: interrupted by"
                + " SIGTERM; shard 2/3 missing");
    // The failed shard's requests count: 10 of 20 failed, none dropped.
    RunAnalysis a = RunAnalysis.of(merged);
    assertThat(a.metrics().requests()).isEqualTo(20);
    assertThat(a.metrics().ok()).isEqualTo(10);
    assertThat(a.findings())
        .extracting(Finding::code)
        .contains("shard_failed", "shard_missing", "requests_failed");
    assertThat(a.findings())
        .filteredOn(f -> f.code().equals("shard_missing"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).startsWith("shard 2/3 missing"));
  }

  @Test
  void samplesAreKeptAsTheShardThatHasThemTookThemAndTheFactsSayWhose() {
    List<RunMerge.Input> inputs =
        dealt(new long[] {0, 0, 0}, new Instant[] {T0, T0.plusMillis(500), T0});
    HardwareSamples gpu =
        new HardwareSamples(
            null,
            null,
            CorrelationFixtures.devices(1),
            CorrelationFixtures.gpus(
                100,
                CorrelationFixtures.gpu(0, 0, 50, 200.0),
                CorrelationFixtures.gpu(100, 0, 60, 210.0)));
    RunResult one = inputs.get(1).run();
    inputs.set(
        1,
        input(
            "shard-1.json",
            new RunResult(
                one.meta(),
                one.clock(),
                one.traces(),
                one.endNanos(),
                false,
                null,
                gpu,
                null,
                one.facts())));
    RunResult merged = merge(inputs);
    RunFacts.Merge m = merged.facts().merge();
    assertThat(m.hardwareFrom()).isEqualTo(1);
    assertThat(m.inputs())
        .extracting(RunFacts.MergedInput::hadHardware)
        .containsExactly(false, true, false);
    // Put on the merged clock: shard 1 started 500 ms after it.
    assertThat(merged.hardware().gpu().samples())
        .extracting(GpuTick::atNanos)
        .containsExactly(500 * MS, 600 * MS);
    assertThat(merged.hardware().gpu().samples().get(1).devices().getFirst().smUtilPercent())
        .isEqualTo(60);

    // A sample-only run beside the engine is preferred: it is there for its samples.
    RunResult sidecar =
        new RunResult(
                new RunMeta("0.1.0", "sample-only", List.of(), null, null, null, Map.of()),
                new RunClock(0, T0.minusSeconds(2)),
                List.of(),
                9_000 * MS,
                false,
                null,
                gpu)
            .withFacts(new RunFacts(64, null, new RunFacts.EngineProcess("--pid", null)));
    List<RunMerge.Input> withSidecar = new ArrayList<>(inputs);
    withSidecar.add(input("sidecar.json", sidecar));
    RunResult beside = merge(withSidecar);
    RunFacts.Merge b = beside.facts().merge();
    assertThat(b.hardwareFrom()).isEqualTo(3);
    assertThat(b.clockFrom()).isEqualTo(3);
    assertThat(b.inputs().get(3).status()).isEqualTo(RunFacts.InputStatus.SAMPLES);
    assertThat(b.inputs().get(3).shardIndex()).isNull();
    assertThat(beside.facts().hostCpus()).isEqualTo(64);
    assertThat(beside.facts().engineProcess().foundBy()).isEqualTo("--pid");
    assertThat(beside.hardware().gpu().samples())
        .extracting(GpuTick::atNanos)
        .containsExactly(0L, 100 * MS);
    // The shards' requests moved 2 s later: the sidecar's clock started 2 s before theirs.
    assertThat(beside.traces().getFirst().sendNanos()).isEqualTo(2_000 * MS);
  }

  @Test
  void runsOfDifferentEnginesModelsEndpointsOrSchemasAreRefusedInOneLine() {
    List<RunMerge.Input> base = dealt(new long[] {0, 0, 0}, new Instant[] {T0, T0, T0});
    RunResult b = base.get(1).run();
    RunMeta bm = b.meta();
    RunMeta otherUrl =
        new RunMeta(
            bm.toolVersion(),
            bm.mode(),
            bm.commandLine(),
            "http://other:8000",
            bm.endpoint(),
            bm.model(),
            bm.settings());
    List<RunMerge.Input> url = new ArrayList<>(base);
    url.set(1, input("shard-1.json", b.withMeta(otherUrl)));
    assertThatThrownBy(() -> merge(url))
        .isInstanceOf(RunMerge.Refused.class)
        .hasMessage(
            "url differs: shard-0.json http://engine:8000, shard-1.json http://other:8000: merge"
                + " the shards of one load, or give --force");

    List<RunMerge.Input> model = new ArrayList<>(base);
    model.set(
        1,
        input(
            "shard-1.json",
            b.withMeta(
                new RunMeta(
                    bm.toolVersion(),
                    bm.mode(),
                    bm.commandLine(),
                    bm.url(),
                    bm.endpoint(),
                    "other-model",
                    bm.settings()))));
    assertThatThrownBy(() -> merge(model))
        .hasMessage(
            "model differs: shard-0.json m, shard-1.json other-model: merge the shards of one"
                + " load, or give --force");

    List<RunMerge.Input> endpoint = new ArrayList<>(base);
    endpoint.set(
        2,
        input(
            "shard-2.json",
            base.get(2)
                .run()
                .withMeta(
                    new RunMeta(
                        bm.toolVersion(),
                        bm.mode(),
                        bm.commandLine(),
                        bm.url(),
                        "completions",
                        bm.model(),
                        bm.settings()))));
    assertThatThrownBy(() -> merge(endpoint))
        .hasMessage(
            "endpoint differs: shard-0.json chat, shard-2.json completions: merge the shards of"
                + " one load, or give --force");

    List<RunMerge.Input> schema = new ArrayList<>(base);
    schema.set(2, new RunMerge.Input("shard-2.json", 4, base.get(2).run()));
    assertThatThrownBy(() -> merge(schema))
        .hasMessage(
            "schema_version differs: shard-0.json 5, shard-2.json 4: rewrite the older with"
                + " inferscope report OLD.json --json NEW.json, or give --force");

    // --force merges them anyway and says what differed.
    RunResult forced = RunMerge.of(url, true, "0.2.0", List.of("merge", "--force"));
    assertThat(forced.facts().merge().forced())
        .containsExactly(
            "url differs: shard-0.json http://engine:8000, shard-1.json http://other:8000");
    assertThat(forced.meta().url()).isEqualTo("http://engine:8000");
  }

  @Test
  void shardsThatDoNotMakeOneLoadAreRefused() {
    List<RunMerge.Input> base = dealt(new long[] {0, 0, 0}, new Instant[] {T0, T0, T0});
    List<RunMerge.Input> twice =
        List.of(base.get(0), base.get(1), input("again.json", base.get(1).run()));
    assertThatThrownBy(() -> merge(twice))
        .hasMessage(
            "shard 1/3 given twice: shard-1.json and again.json: give each shard's file once");
    assertThatThrownBy(() -> RunMerge.of(twice, true, "0.2.0", List.of()))
        .hasMessageStartingWith("shard 1/3 given twice");

    RunResult four = base.get(1).run();
    RunResult ofFour = four.withFacts(four.facts().withShard(new RunFacts.Shard(1, 4, null, null)));
    assertThatThrownBy(() -> merge(List.of(base.get(0), input("four.json", ofFour))))
        .hasMessage(
            "shard counts differ: shard-0.json is shard 0/3, four.json is shard 1/4: merge the"
                + " files of one sharded load");

    RunResult plain = CorrelationFixtures.run(whole(), null);
    RunResult plainAgain = CorrelationFixtures.run(whole(), null);
    List<RunMerge.Input> plainRuns = List.of(input("a.json", plain), input("b.json", plainAgain));
    assertThatThrownBy(() -> merge(plainRuns))
        .hasMessage(
            "a.json was not run with --shard: give the shards' files, or --force to merge runs as"
                + " shards in the order given");
    RunResult forced = RunMerge.of(plainRuns, true, "0.2.0", List.of());
    assertThat(forced.traces()).hasSize(60);
    assertThat(forced.traces().get(1).id()).isEqualTo(1); // b.json's first, as shard 1 of 2
    assertThat(forced.facts().merge().forced())
        .containsExactly("runs without --shard (a.json, ...) merged as shards in the order given");

    RunResult sampleOnly =
        new RunResult(
            new RunMeta("0.1.0", "sample-only", List.of(), null, null, null, Map.of()),
            new RunClock(0, T0),
            List.of(),
            0,
            false,
            null);
    assertThatThrownBy(() -> merge(List.of(input("s.json", sampleOnly))))
        .hasMessage(
            "no load run among the files (s.json is sample-only): give the shards' JSON files");
  }

  @Test
  void eventsMoveWithTheirRequestKeepingObservationDelays() {
    EventLog log =
        new EventLog.Builder()
            .addSent(10 * MS, ChunkKind.CONTENT, 3, 9 * MS)
            .add(12 * MS, ChunkKind.CONTENT, 2)
            .build();
    EventLog moved = log.shifted(1_000 * MS);
    assertThat(moved.atNanos(0)).isEqualTo(1_010 * MS);
    assertThat(moved.sentNanos(0)).isEqualTo(1_009 * MS);
    assertThat(moved.observationDelayNanos(0)).isEqualTo(MS);
    assertThat(moved.hasSentNanos(1)).isFalse();
    assertThat(moved.shifted(-1_000 * MS)).isEqualTo(log);
    // A delay beyond an int is kept as stamps, and moves too.
    EventLog wide = new EventLog.Builder().addSent(5_000 * MS, ChunkKind.CONTENT, 1, 0).build();
    assertThat(wide.shifted(7).sentNanos(0)).isEqualTo(7);
  }
}
