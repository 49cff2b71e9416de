package io.inferscope.sysmon;

import io.inferscope.core.RunClock;

/**
 * One source of hardware samples. A sampler only knows how to read once; when and how often it
 * reads, and what happens to the samples, is {@link SamplingLoop}'s job, the one lifecycle every
 * sampler shares.
 *
 * @param <S> the sample type
 */
public interface Sampler<S> extends AutoCloseable {

  /** Short name of the source, e.g. {@code proc} or {@code nvml}. */
  String source();

  /**
   * Reads one sample, stamping it with {@code clock.nowNanos()} taken at the moment of the read.
   *
   * @throws TargetGoneException when what is sampled no longer exists (the engine exited): the loop
   *     stops and keeps what it has
   * @throws Exception any other failure of this read: the loop counts it and goes on
   */
  S sample(RunClock clock) throws Exception;

  /** Releases what the sampler holds (files, native library). Idempotent. */
  @Override
  void close();
}
