package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuMetrics;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The GPU asymmetry finding on real samples: one H100 recorded serving a CUDA llama-server (8
 * streams, SM 20-27 %; {@code gpu/h100-llama-server.json}), set beside a second device made from
 * it. Only one GPU was lent for the recording; the second device's samples are the first's, changed
 * as a tensor-parallel split would change them, at the same moments.
 */
class RecordedGpuAsymmetryTest {

  private record Recording(
      List<GpuDevice> devices, List<GpuSample> samples, long start, long end) {}

  private static Recording recording() throws IOException {
    JsonNode d;
    try (InputStream in =
        RecordedGpuAsymmetryTest.class.getResourceAsStream("/gpu/h100-llama-server.json")) {
      d = ReportJson.MAPPER.readTree(in);
    }
    List<GpuDevice> devices = new ArrayList<>();
    for (JsonNode g : d.get("devices")) {
      devices.add(ReportJson.MAPPER.treeToValue(g, GpuDevice.class));
    }
    List<GpuSample> samples = new ArrayList<>();
    for (JsonNode s : d.get("samples")) {
      samples.add(ReportJson.MAPPER.treeToValue(s, GpuSample.class));
    }
    return new Recording(
        devices, samples, d.get("window_start_ns").asLong(), d.get("window_end_ns").asLong());
  }

  /** The recording with a second device whose every sample is {@code second} of the first's. */
  private static GpuMetrics withSecond(Recording r, UnaryOperator<GpuSample> second) {
    GpuDevice d0 = r.devices().getFirst();
    GpuDevice d1 = new GpuDevice(1, d0.name(), "GPU-second", d0.memoryTotalBytes(), 700.0);
    List<GpuTick> ticks = new ArrayList<>();
    for (GpuSample s : r.samples()) {
      GpuSample other = second.apply(s);
      ticks.add(new GpuTick(s.atNanos(), List.of(s, other)));
    }
    return GpuMetrics.of(List.of(d0, d1), ticks, r.start(), r.end(), null);
  }

  private static GpuSample device1(GpuSample s, Integer sm, Integer mem, Double watts) {
    return new GpuSample(
        s.atNanos() + 150_000,
        1,
        sm,
        mem,
        s.memoryUsedBytes(),
        watts,
        s.temperatureCelsius(),
        s.smClockMhz(),
        s.memoryClockMhz(),
        null,
        s.processes().stream()
            .map(p -> new GpuProcessUsage(p.pid(), p.usedMemoryBytes(), null))
            .toList());
  }

  @Test
  void theRecordingIsOneBusyDevice() throws IOException {
    Recording r = recording();
    GpuMetrics one = GpuMetrics.of(r.devices(), ticks(r.samples()), r.start(), r.end(), null);
    assertThat(one.devices().getFirst().smUtilPercent().mean()).isBetween(15.0, 30.0);
    assertThat(one.imbalance()).isNull();
  }

  @Test
  void anIdleSecondDeviceIsFlaggedEvenBesideAModeratelyBusyOne() throws IOException {
    Recording r = recording();
    GpuMetrics idle = withSecond(r, s -> device1(s, 0, 0, 69.0));
    assertThat(idle.imbalance()).isNotNull();
    assertThat(idle.imbalance().idleDeviceIndexes()).containsExactly(1);
    assertThat(idle.imbalance().spreadPercentPoints())
        .isLessThan(GpuMetrics.IMBALANCE_POINTS)
        .isGreaterThan(GpuMetrics.BUSY_SM_PERCENT - GpuMetrics.IDLE_SM_PERCENT);
    assertThat(idle.imbalance().message()).matches("1 of 2 GPUs idle \\(mean SM: GPU 1 0%\\) .*");
  }

  @Test
  void aBalancedSplitOrAModestImbalanceIsNotFlagged() throws IOException {
    Recording r = recording();
    // Both devices doing the same work, a little out of step.
    GpuMetrics balanced =
        withSecond(
            r,
            s ->
                device1(
                    s,
                    s.smUtilPercent() == null ? null : Math.max(0, s.smUtilPercent() - 1),
                    s.memoryUtilPercent(),
                    s.powerWatts()));
    assertThat(balanced.imbalance()).isNull();
    // The second doing two thirds of the first's work: uneven, but under the spread that counts.
    GpuMetrics uneven =
        withSecond(
            r,
            s ->
                device1(
                    s,
                    s.smUtilPercent() == null ? null : s.smUtilPercent() * 2 / 3,
                    s.memoryUtilPercent(),
                    s.powerWatts()));
    assertThat(uneven.imbalance()).isNull();
  }

  private static List<GpuTick> ticks(List<GpuSample> samples) {
    return samples.stream().map(s -> new GpuTick(s.atNanos(), List.of(s))).toList();
  }
}
