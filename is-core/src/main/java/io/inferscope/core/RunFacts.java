package io.inferscope.core;

/**
 * What the run learnt about its surroundings while it ran, as typed facts (the load settings as
 * given stay in {@link RunMeta#settings}). Each fact is null when the run did not record it: a run
 * saved by an older version, or a fact that did not apply.
 *
 * @param hostCpus logical CPUs of the host inferscope ran on (the engine's host when it sampled a
 *     local engine); a saved run may be reported on another machine, so this is kept, not asked
 * @param connectionReuse whether requests reused kept-alive connections; null when no request was
 *     sent
 * @param engineProcess which process was sampled as the engine and how it was found, or why none
 */
public record RunFacts(
    Integer hostCpus, ConnectionReuse connectionReuse, EngineProcess engineProcess) {

  private static final RunFacts NONE = new RunFacts(null, null, null);

  public RunFacts {
    if (hostCpus != null && hostCpus < 1) {
      throw new IllegalArgumentException("hostCpus must be at least 1: " + hostCpus);
    }
  }

  /** No fact recorded. */
  public static RunFacts none() {
    return NONE;
  }

  /** How the run's connections were used. */
  public enum ConnectionReuse {
    /** Kept-alive connections were reused across requests. */
    POOLED,
    /**
     * The engine closed kept-alive connections after its answers, so every request opened its own
     * and every TTFT carries a connect.
     */
    PER_REQUEST
  }

  /**
   * The engine's process as the run chose it: exactly one of the two is set.
   *
   * @param foundBy how it was found, e.g. {@code listening on port 8080 (from --url)} or {@code
   *     --pid}; the pid itself is {@link HardwareSamples#enginePid}
   * @param notSampledReason why no process was sampled, e.g. {@code switched off (--no-process)}
   */
  public record EngineProcess(String foundBy, String notSampledReason) {
    public EngineProcess {
      if ((foundBy == null) == (notSampledReason == null)) {
        throw new IllegalArgumentException("give exactly one of foundBy and notSampledReason");
      }
    }
  }
}
