package io.inferscope.core;

import java.util.List;

/**
 * The engine's whole process tree at one instant: the root and every descendant alive when the tree
 * was walked.
 *
 * @param atNanos run-clock offset of the read
 * @param rootPid the engine's root process
 * @param processes every process of the tree, root first
 */
public record ProcessTreeSample(long atNanos, int rootPid, List<ProcessStat> processes) {
  public ProcessTreeSample {
    processes = List.copyOf(processes);
  }
}
