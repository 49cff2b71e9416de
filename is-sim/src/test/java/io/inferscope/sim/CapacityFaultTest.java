package io.inferscope.sim;

import java.io.IOException;
import java.time.Duration;

/** {@link FaultTest} under the capacity model: each fault in the same shape, its slot freed. */
class CapacityFaultTest extends FaultTest {

  @Override
  SimEngine startEngine(SimConfig config) throws IOException {
    return SimEngine.start(config.withCapacity(4, null, Duration.ZERO, Duration.ZERO));
  }
}
