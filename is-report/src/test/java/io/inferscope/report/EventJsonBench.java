package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The benchmark behind binding events like every other record (docs/benchmarks.md, "Report JSON"):
 * a run's events, 1,000 requests of 1,000 events each, written and read by the product's mapper
 * ({@link ReportJson.EventColumns}) and by a hand-streamed column path ({@link EventLogJson}, kept
 * here as the baseline). Runs only with {@code -Dinferscope.bench.json=true}; it checks that both
 * paths read back what they wrote.
 */
@EnabledIfSystemProperty(named = "inferscope.bench.json", matches = "true")
class EventJsonBench {

  record Requests(List<EventLog> requests) {}

  private interface NoMixin {}

  private static final JsonMapper STREAMED =
      ReportJson.MAPPER
          .rebuild()
          .addMixIn(EventLog.class, NoMixin.class)
          .addModule(
              new SimpleModule("streamed")
                  .addSerializer(EventLog.class, new EventLogJson.Writer())
                  .addDeserializer(EventLog.class, new EventLogJson.Reader()))
          .build();

  @Test
  void writeAndReadAMillionEvents() {
    List<EventLog> logs = new ArrayList<>();
    long t = 0;
    for (int r = 0; r < 1000; r++) {
      EventLog.Builder b = new EventLog.Builder(1000);
      for (int i = 0; i < 1000; i++) {
        t += 1_000_000 + (i * 7919L) % 5_000_000;
        if (i % 3 == 0) {
          b.addSent(t, ChunkKind.CONTENT, 1 + i % 9, t - 40_000);
        } else {
          b.add(t, i == 0 ? ChunkKind.ROLE : ChunkKind.CONTENT, 1 + i % 9);
        }
      }
      logs.add(b.build());
    }
    System.out.printf(
        "%-10s %8s %9s %8s %9s %8s%n",
        "path", "write ms", "write MB", "read ms", "read MB", "size MB");
    for (int round = 0; round < 5; round++) {
      measure(
          "databind",
          () -> ReportJson.MAPPER.writeValueAsBytes(new Requests(logs)),
          bytes -> ReportJson.MAPPER.readValue(bytes, Requests.class).requests(),
          logs);
      measure(
          "streamed",
          () -> STREAMED.writeValueAsBytes(new Requests(logs)),
          bytes -> STREAMED.readValue(bytes, Requests.class).requests(),
          logs);
    }
  }

  private static void measure(
      String name,
      java.util.function.Supplier<byte[]> write,
      java.util.function.Function<byte[], List<EventLog>> read,
      List<EventLog> expected) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long a0 = mx.getThreadAllocatedBytes(id);
    long c0 = mx.getCurrentThreadCpuTime();
    byte[] bytes = write.get();
    long c1 = mx.getCurrentThreadCpuTime();
    long a1 = mx.getThreadAllocatedBytes(id);
    List<EventLog> back = read.apply(bytes);
    long c2 = mx.getCurrentThreadCpuTime();
    long a2 = mx.getThreadAllocatedBytes(id);
    assertThat(back).isEqualTo(expected);
    System.out.printf(
        "%-10s %8.0f %9.0f %8.0f %9.0f %8.1f%n",
        name,
        (c1 - c0) / 1e6,
        (a1 - a0) / 1e6,
        (c2 - c1) / 1e6,
        (a2 - a1) / 1e6,
        bytes.length / 1e6);
  }
}
