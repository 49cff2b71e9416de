package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

  @Test
  void constantRateIsExact() {
    ArrivalSchedule s = ArrivalSchedule.atRate(50.0, LoadSpec.Arrival.CONSTANT, 1.0, 1);
    for (int i = 0; i < 1000; i++) {
      assertThat(s.nextOffsetNanos()).isEqualTo(i * 20_000_000L);
    }
  }

  @Test
  void constantRateNeverAccumulatesRounding() {
    ArrivalSchedule s = ArrivalSchedule.atRate(3.0, LoadSpec.Arrival.CONSTANT, 1.0, 1);
    long last = 0;
    for (int i = 0; i <= 3000; i++) {
      last = s.nextOffsetNanos();
    }
    assertThat(last).isEqualTo(1_000_000_000_000L);
  }

  @Test
  void poissonIsSeededAndHasTheRightMean() {
    ArrivalSchedule a = ArrivalSchedule.atRate(100.0, LoadSpec.Arrival.POISSON, 1.0, 7);
    ArrivalSchedule b = ArrivalSchedule.atRate(100.0, LoadSpec.Arrival.POISSON, 1.0, 7);
    ArrivalSchedule c = ArrivalSchedule.atRate(100.0, LoadSpec.Arrival.POISSON, 1.0, 8);
    assertThat(a.nextOffsetNanos()).isZero();
    b.nextOffsetNanos();
    c.nextOffsetNanos();
    long prev = 0;
    long lastA = 0;
    boolean differs = false;
    int n = 20_000;
    for (int i = 1; i <= n; i++) {
      lastA = a.nextOffsetNanos();
      assertThat(lastA).isEqualTo(b.nextOffsetNanos()).isGreaterThanOrEqualTo(prev);
      differs |= lastA != c.nextOffsetNanos();
      prev = lastA;
    }
    assertThat(differs).isTrue();
    // Mean gap 10 ms; over 20,000 gaps the standard error is 0.7 %.
    assertThat(lastA / (double) n).isCloseTo(10_000_000.0, within(400_000.0));
  }

  /** Mean rate and coefficient of variation of {@code n} gaps. */
  private static double[] rateAndCv(ArrivalSchedule s, int n) {
    long prev = s.nextOffsetNanos();
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      long next = s.nextOffsetNanos();
      double gap = (next - prev) / 1e9;
      prev = next;
      sum += gap;
      sumSq += gap * gap;
    }
    double mean = sum / n;
    double sd = Math.sqrt(sumSq / n - mean * mean);
    return new double[] {1 / mean, sd / mean};
  }

  @Test
  void poissonAndGammaHaveTheAskedRateAndVariation() {
    int n = 200_000;
    // Poisson: CV 1; gamma of shape k: CV 1/sqrt(k), 1 being Poisson again.
    double[] poisson = rateAndCv(ArrivalSchedule.atRate(50.0, LoadSpec.Arrival.POISSON, 1.0, 3), n);
    assertThat(poisson[0]).isCloseTo(50.0, within(0.5));
    assertThat(poisson[1]).isCloseTo(1.0, within(0.02));
    for (double k : new double[] {0.25, 0.5, 1.0, 4.0}) {
      double[] g = rateAndCv(ArrivalSchedule.atRate(50.0, LoadSpec.Arrival.GAMMA, k, 5), n);
      assertThat(g[0]).as("rate at shape %s", k).isCloseTo(50.0, within(0.75));
      assertThat(g[1]).as("CV at shape %s", k).isCloseTo(1 / Math.sqrt(k), within(0.04));
    }
  }

  @Test
  void gammaIsSeeded() {
    ArrivalSchedule a = ArrivalSchedule.atRate(10.0, LoadSpec.Arrival.GAMMA, 0.3, 11);
    ArrivalSchedule b = ArrivalSchedule.atRate(10.0, LoadSpec.Arrival.GAMMA, 0.3, 11);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextOffsetNanos()).isEqualTo(b.nextOffsetNanos());
    }
  }

  @Test
  void aFixedScheduleGivesTheItemsTimesThenEnds() {
    Workload w =
        new Workload(
            java.util.List.of(
                new WorkItem(new Prompt.Text("a"), null, 0L, null),
                new WorkItem(new Prompt.Text("b"), null, 0L, null),
                new WorkItem(new Prompt.Text("c"), null, 1_500_000L, null)),
            false,
            Workload.prompt("x").facts());
    ArrivalSchedule s = ArrivalSchedule.fixed(w);
    assertThat(s.nextOffsetNanos()).isZero();
    assertThat(s.nextOffsetNanos()).isZero();
    assertThat(s.nextOffsetNanos()).isEqualTo(1_500_000L);
    assertThat(s.nextOffsetNanos()).isEqualTo(-1);
  }

  /**
   * Shards of a rate take every N-th arrival of the one schedule (ADR 0019): put back together,
   * they are exactly what one process sends, for every arrival kind.
   */
  @Test
  void theShardsOfARateAreTogetherTheOneSchedule() {
    for (LoadSpec.Arrival kind : LoadSpec.Arrival.values()) {
      ArrivalSchedule one = ArrivalSchedule.atRate(30.0, kind, 0.4, 11);
      int n = 3;
      ArrivalSchedule[] shards = new ArrivalSchedule[n];
      for (int i = 0; i < n; i++) {
        shards[i] = ArrivalSchedule.atRate(30.0, kind, 0.4, 11, i, n);
      }
      for (int k = 0; k < 3000; k++) {
        assertThat(shards[k % n].nextOffsetNanos())
            .as("%s arrival %d", kind, k)
            .isEqualTo(one.nextOffsetNanos());
      }
    }
    // Each shard of a constant rate keeps the whole's spacing, offset by its place: no shard
    // fires with another.
    ArrivalSchedule second = ArrivalSchedule.atRate(10.0, LoadSpec.Arrival.CONSTANT, 1.0, 1, 1, 4);
    assertThat(second.nextOffsetNanos()).isEqualTo(100_000_000L);
    assertThat(second.nextOffsetNanos()).isEqualTo(500_000_000L);
  }

  @Test
  void aShardOfAWorkloadTakesEveryNthItemWithItsOwnSendTime() {
    java.util.List<WorkItem> items = new java.util.ArrayList<>();
    for (int k = 0; k < 10; k++) {
      items.add(new WorkItem(new Prompt.Text("p" + k), 10 + k, 1_000_000L * k, 100 + k));
    }
    io.inferscope.core.RunFacts.Workload facts =
        new io.inferscope.core.RunFacts.Workload(
            io.inferscope.core.RunFacts.WorkloadSource.MOONCAKE,
            "trace.jsonl",
            10,
            0,
            io.inferscope.core.RunFacts.TokenCounting.ENGINE_TOKENIZER,
            104.5,
            14.5,
            null,
            3);
    Workload whole = new Workload(items, true, facts);
    Workload s1 = whole.shard(1, 3);
    assertThat(s1.items()).containsExactly(items.get(1), items.get(4), items.get(7));
    assertThat(s1.scheduled()).isTrue();
    assertThat(s1.facts().items()).isEqualTo(3);
    assertThat(s1.facts().inputTokensMean()).isEqualTo(104.0);
    assertThat(s1.facts().outputTokensMean()).isEqualTo(14.0);
    int total = 0;
    for (int i = 0; i < 3; i++) {
      total += whole.shard(i, 3).items().size();
    }
    assertThat(total).isEqualTo(10);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> whole.shard(10, 11))
        .hasMessage(
            "the workload has 10 requests, too few for shard 10/11: give fewer shards or a longer"
                + " workload");
  }
}
