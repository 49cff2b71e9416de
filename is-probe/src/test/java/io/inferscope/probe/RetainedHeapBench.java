package io.inferscope.probe;

import io.inferscope.core.EventLog;
import io.inferscope.core.RunClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Retained heap per recorded token event (docs/benchmarks.md): records many streams through the
 * real read path (SSE bytes, {@link SseBody}, {@link StreamRecorder}), keeps every stream's event
 * log as a finished run does, and divides the heap they hold by the events. A main class, not a
 * test: {@code RetainedHeapBench [streams] [events per stream]}.
 */
public final class RetainedHeapBench {

  private RetainedHeapBench() {}

  public static void main(String[] args) throws IOException {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    System.out.println(
        "| events per stream | sender's stamps | streams | retained bytes per event |");
    System.out.println("|---:|---|---:|---:|");
    for (boolean stamped : new boolean[] {false, true}) {
      measure(streams, events, stamped); // warm-up: the JIT settles
      double perEvent = measure(streams, events, stamped);
      System.out.println(
          "| "
              + events
              + " | "
              + (stamped ? "yes" : "no")
              + " | "
              + streams
              + " | "
              + String.format(Locale.ROOT, "%.2f", perEvent)
              + " |");
    }
  }

  private static double measure(int streams, int events, boolean stamped) throws IOException {
    RunClock clock = RunClock.startNow();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<EventLog> kept = new ArrayList<>(streams);
    long before = settledHeap(memory);
    for (int s = 0; s < streams; s++) {
      // Stamped just now, as an engine would: the delays are those of a live stream.
      byte[] bytes = body(events, stamped, System.nanoTime());
      StreamRecorder rec = new StreamRecorder(clock);
      SseBody sse = new SseBody(rec::accept);
      sse.feed(bytes, 0, bytes.length, clock.nowNanos());
      sse.end(clock.nowNanos());
      kept.add(rec.events());
    }
    long after = settledHeap(memory);
    long recorded = 0;
    for (EventLog log : kept) {
      recorded += log.size();
    }
    // The list itself is the caller's, not the recorder's: one reference per stream.
    long listBytes = 16 + 4L * streams;
    return (after - before - listBytes) / (double) recorded;
  }

  /** One stream: role chunk, text chunks, finish chunk, [DONE]; stamps if asked. */
  private static byte[] body(int events, boolean stamped, long sentNanos) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < events; i++) {
      String json =
          i == 0
              ? ParsePathBenchmark.ROLE
              : i == events - 1
                  ? ParsePathBenchmark.FINISH
                  : (i % 2 == 0 ? ParsePathBenchmark.CONTENT_UTF8 : ParsePathBenchmark.CONTENT);
      if (stamped) {
        json =
            json.substring(0, json.length() - 1) + ",\"x_inferscope_sent_ns\":" + sentNanos + "}";
      }
      sb.append("data: ").append(json).append("\n\n");
    }
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long settledHeap(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
