package io.inferscope.core;

import java.util.List;

/**
 * The samples one sampler took during a run, in time order, or why it took none.
 *
 * @param source the sampler, e.g. {@code proc} or {@code nvml}
 * @param periodNanos the intended sampling period
 * @param samples the samples, oldest first
 * @param unavailableReason why the source could not be sampled at all (e.g. "libnvidia-ml.so.1 not
 *     found"), or null when it could
 * @param <S> the sample type
 */
public record Timeline<S>(
    String source, long periodNanos, List<S> samples, String unavailableReason) {
  public Timeline {
    samples = List.copyOf(samples);
  }

  public static <S> Timeline<S> unavailable(String source, long periodNanos, String reason) {
    return new Timeline<>(source, periodNanos, List.of(), reason);
  }

  public boolean available() {
    return unavailableReason == null;
  }
}
