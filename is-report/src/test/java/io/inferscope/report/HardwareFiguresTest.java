package io.inferscope.report;

import static io.inferscope.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.GpuSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareFiguresTest {

  private static GpuSample at(long ms, int device) {
    return new GpuSample(ms * MS, device, 1, 1, 1L, 1.0, 1, 1, 1, 1L, List.of());
  }

  @Test
  void flattenedSamplesRegroupIntoTicks() {
    List<List<GpuSample>> ticks = HardwareFigures.ticks(Fixtures.gpu().samples());
    assertThat(ticks).hasSize(7);
    assertThat(ticks).allSatisfy(t -> assertThat(t).hasSize(2));
    // Each device is stamped at its own read: a tick is not one instant.
    assertThat(ticks.get(1).get(1).atNanos() - ticks.get(1).get(0).atNanos()).isEqualTo(MS);

    // A device missing from a tick does not merge the ticks around it.
    List<GpuSample> gap = List.of(at(0, 0), at(1, 1), at(500, 0), at(1000, 0), at(1001, 1));
    assertThat(HardwareFigures.ticks(gap))
        .containsExactly(
            List.of(at(0, 0), at(1, 1)), List.of(at(500, 0)), List.of(at(1000, 0), at(1001, 1)));
    List<GpuSample> first = List.of(at(0, 0), at(1, 1), at(501, 1), at(1000, 0), at(1001, 1));
    assertThat(HardwareFigures.ticks(first))
        .containsExactly(
            List.of(at(0, 0), at(1, 1)), List.of(at(501, 1)), List.of(at(1000, 0), at(1001, 1)));
    assertThat(HardwareFigures.ticks(List.of())).isEmpty();
  }
}
