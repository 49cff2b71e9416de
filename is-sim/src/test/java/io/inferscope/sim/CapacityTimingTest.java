package io.inferscope.sim;

import java.io.IOException;
import java.time.Duration;

/**
 * {@link TimingTest} under the capacity model with a slot for every request and no step growth: the
 * step clock keeps the same timeline as a planned schedule (jitter aside, which it ignores).
 */
class CapacityTimingTest extends TimingTest {

  @Override
  SimEngine startEngine(SimConfig config) throws IOException {
    return SimEngine.start(config.withCapacity(16, null, Duration.ZERO, Duration.ZERO));
  }
}
