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

  /** Whether the items carry send times: the run follows them (unless it is given a rate). */
  public boolean scheduled() {
    return items.getFirst().offsetNanos() != null;
  }

  /** The item request {@code k} of the run sends. */
  WorkItem item(int k) {
    return items.get(Math.floorMod(k, items.size()));
  }
}
