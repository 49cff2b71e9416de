package io.inferscope.probe;

import io.inferscope.core.RunClock;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The client's per-event CPU cost on one thread: one operation is one event, so ops/s is events/s
 * per core. {@code parseChunk} is the chunk JSON alone; {@code sseToRecorder} is the whole path
 * from raw SSE bytes to a recorded event, wired as {@code RequestExecutor.readEvents} wires it. A
 * benchmark, not a test: see docs/benchmarks.md for how it is run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParsePathBenchmark {
  // Payloads as llama.cpp sends them (fixtures/llama.cpp/chat-stream-usage.txt), kept inline so
  // the benchmark does not depend on where the fixtures live.
  static final String ROLE =
      "{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\","
          + "\"content\":null}}],\"created\":1795572017,"
          + "\"id\":\"chatcmpl-2UhGKAXjNNMJMLkPEhUCriB5XOR9eLSk\",\"model\":\"tiny-llama\","
          + "\"system_fingerprint\":\"b1-de3ff81\",\"object\":\"chat.completion.chunk\"}";
  static final String CONTENT =
      "{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" Verlag\"}}],"
          + "\"created\":1795572017,\"id\":\"chatcmpl-2UhGKAXjNNMJMLkPEhUCriB5XOR9eLSk\","
          + "\"model\":\"tiny-llama\",\"system_fingerprint\":\"b1-de3ff81\","
          + "\"object\":\"chat.completion.chunk\"}";
  static final String CONTENT_UTF8 =
      "{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"ден\"}}],"
          + "\"created\":1795572017,\"id\":\"chatcmpl-2UhGKAXjNNMJMLkPEhUCriB5XOR9eLSk\","
          + "\"model\":\"tiny-llama\",\"system_fingerprint\":\"b1-de3ff81\","
          + "\"object\":\"chat.completion.chunk\"}";
  static final String FINISH =
      "{\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}],"
          + "\"created\":1795572018,\"id\":\"chatcmpl-2UhGKAXjNNMJMLkPEhUCriB5XOR9eLSk\","
          + "\"model\":\"tiny-llama\",\"system_fingerprint\":\"b1-de3ff81\","
          + "\"object\":\"chat.completion.chunk\"}";

  /** Events per stream in {@code sseToRecorder}: one response of this many chunks. */
  static final int EVENTS = 1024;

  @State(Scope.Thread)
  public static class Chunk {
    @Param({"content", "content-utf8"})
    public String payload;

    byte[] bytes;

    @Setup
    public void setUp() {
      String json =
          switch (payload) {
            case "content" -> CONTENT;
            case "content-utf8" -> CONTENT_UTF8;
            default -> throw new IllegalArgumentException(payload);
          };
      bytes = json.getBytes(StandardCharsets.UTF_8);
    }
  }

  @State(Scope.Thread)
  public static class Stream {
    final RunClock clock = RunClock.startNow();
    byte[] sse;

    @Setup
    public void setUp() {
      // A role chunk, content alternating ASCII and multi-byte tokens, then the finish chunk:
      // the shape of a real completion, without [DONE] so every event is read to the end.
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < EVENTS; i++) {
        String json =
            i == 0 ? ROLE : i == EVENTS - 1 ? FINISH : (i % 2 == 0 ? CONTENT_UTF8 : CONTENT);
        sb.append("data: ").append(json).append("\n\n");
      }
      sse = sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  @Benchmark
  public void parseChunk(Chunk s, Blackhole bh) {
    bh.consume(ChunkParser.parse(s.bytes, 0, s.bytes.length));
  }

  /** The whole body in one piece, as one socket read would bring it. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void sseToRecorder(Stream s, Blackhole bh) {
    StreamRecorder rec = new StreamRecorder(s.clock);
    SseBody body = new SseBody(rec::accept);
    bh.consume(body.feed(s.sse, 0, s.sse.length, s.clock.nowNanos()));
    body.end(s.clock.nowNanos());
    bh.consume(rec.eventCount());
    bh.consume(rec.finishReason());
  }
}
