package io.inferscope.probe;

import io.inferscope.core.RunFacts;
import java.util.List;

/**
 * The requests a run sends, prepared before load (read, sampled, counted): request {@code k} of the
 * run (warm-up first) sends item {@code k mod items}. When the items carry send times the workload
 * is a fixed schedule: measured request {@code j} is sent at item {@code j}'s time.
 *
 * @param items the requests, at least one
 * @param ignoreEos whether each request asks the engine to ignore its end-of-sequence token, so
 *     that it produces exactly its {@code max_tokens} (the output lengths a trace or a synthetic
 *     workload states); an {@code ignore_eos} in the extra body wins
 * @param facts what the report says of it
 */
public record Workload(List<WorkItem> items, boolean ignoreEos, RunFacts.Workload facts) {

  public Workload {
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a workload has at least one request");
    }
    boolean timed = items.getFirst().offsetNanos() != null;
    for (WorkItem i : items) {
      if ((i.offsetNanos() != null) != timed) {
        throw new IllegalArgumentException("either every request has a send time or none has");
      }
    }
  }

  /** One prompt for every request. */
  public static Workload prompt(String text) {
    return new Workload(
        List.of(new WorkItem(new Prompt.Text(text), null, null, null)),
        false,
        new RunFacts.Workload(
            RunFacts.WorkloadSource.PROMPT, null, 1, null, null, null, null, null, null));
  }

  /**
   * Shard {@code index} of {@code count}'s items: {@code index, index + count, ...} in order, each
   * keeping its own send time, so the shards' union is this workload and its schedule (ADR 0019).
   * The facts count the shard's items; their token means are the shard's own where every item was
   * counted.
   *
   * @throws IllegalArgumentException when the shard gets no item
   */
  public Workload shard(int index, int count) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "a shard is INDEX/COUNT with 0 <= INDEX < COUNT: " + index + "/" + count);
    }
    if (index >= items.size()) {
      throw new IllegalArgumentException(
          "the workload has "
              + items.size()
              + (items.size() == 1 ? " request" : " requests")
              + ", too few for shard "
              + index
              + "/"
              + count
              + ": give fewer shards or a longer workload");
    }
    List<WorkItem> mine = new java.util.ArrayList<>();
    for (int k = index; k < items.size(); k += count) {
      mine.add(items.get(k));
    }
    RunFacts.Workload f = facts;
    if (f != null) {
      f =
          new RunFacts.Workload(
              f.source(),
              f.file(),
              mine.size(),
              f.skippedLines(),
              f.tokenCounting(),
              f.inputTokensMean() == null ? null : mean(mine, true, f.inputTokensMean()),
              f.outputTokensMean() == null ? null : mean(mine, false, f.outputTokensMean()),
              f.sharedPrefixTokens(),
              f.templateTokens());
    }
    return new Workload(mine, ignoreEos, f);
  }

  /** The mean input tokens or max_tokens of the items that have one, or {@code whole} if none. */
  private static Double mean(List<WorkItem> items, boolean input, double whole) {
    double sum = 0;
    int n = 0;
    for (WorkItem i : items) {
      Integer v = input ? i.inputTokens() : i.maxTokens();
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? whole : sum / n;
  }

  /** Whether the items carry send times: the run follows them (unless it is given a rate). */
  public boolean scheduled() {
    return items.getFirst().offsetNanos() != null;
  }

  /** The item request {@code k} of the run sends. */
  WorkItem item(int k) {
    return items.get(Math.floorMod(k, items.size()));
  }
}
