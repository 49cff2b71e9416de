package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestMetrics;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden results: LoadRunner against captured llama.cpp responses replayed byte for byte. */
class LoadRunnerReplayTest {

  private static RequestTrace runOnce(TestServer server, LoadSpec.Builder spec) throws Exception {
    List<RequestTrace> traces =
        LoadRunner.create(spec.build(), RunClock.startNow()).run(t -> {}).traces();
    assertThat(traces).hasSize(1);
    return traces.get(0);
  }

  private static List<ChunkKind> kinds(EventLog ev) {
    List<ChunkKind> out = new ArrayList<>();
    for (int i = 0; i < ev.size(); i++) {
      out.add(ev.kind(i));
    }
    return out;
  }

  private static List<ChunkKind> expected(ChunkKind first, int contents, ChunkKind... rest) {
    List<ChunkKind> out = new ArrayList<>();
    if (first != null) {
      out.add(first);
    }
    for (int i = 0; i < contents; i++) {
      out.add(ChunkKind.CONTENT);
    }
    out.addAll(List.of(rest));
    return out;
  }

  private static void assertMonotonic(RequestTrace t) {
    EventLog ev = t.events();
    long prev = t.headersNanos();
    assertThat(prev).isGreaterThanOrEqualTo(t.sendNanos());
    for (int i = 0; i < ev.size(); i++) {
      assertThat(ev.atNanos(i)).isGreaterThanOrEqualTo(prev);
      prev = ev.atNanos(i);
    }
    assertThat(t.endNanos()).isGreaterThanOrEqualTo(prev);
  }

  @Test
  void chatStreamWithUsage() throws Exception {
    Fixtures.Captured c =
        Fixtures.response("chat-stream-usage.headers.txt", "chat-stream-usage.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, 0))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.failure()).isNull();
      assertThat(t.ok()).isTrue();
      assertThat(t.httpStatus()).isEqualTo(200);
      assertThat(kinds(t.events()))
          .isEqualTo(
              expected(ChunkKind.ROLE, 32, ChunkKind.FINISH, ChunkKind.USAGE, ChunkKind.DONE));
      assertThat(t.events().textEventCount()).isEqualTo(t.usage().completionTokens()).isEqualTo(32);
      assertThat(t.events().textChars(1)).isEqualTo(3); // "ден"
      assertThat(t.finishReason()).isEqualTo("length");
      assertThat(t.usage()).isEqualTo(new Usage(34, 32, 66, null, 33));
      assertThat(t.serverTimings())
          .isEqualTo(new ServerTimings(1, 2.654, 32, 44.061, 33, 703.5700506116519));
      assertMonotonic(t);
      RequestMetrics m = RequestMetrics.of(t);
      assertThat(m.ttftNanos()).isEqualTo(t.events().atNanos(1) - t.sendNanos());
      assertThat(server.received().get(0).path()).isEqualTo("/v1/chat/completions");
    }
  }

  @Test
  void chatStreamWithoutUsageTakesTimingsFromTheFinishChunk() throws Exception {
    Fixtures.Captured c = Fixtures.response("chat-stream.headers.txt", "chat-stream.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, 0))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.ok()).isTrue();
      assertThat(kinds(t.events()))
          .isEqualTo(expected(ChunkKind.ROLE, 32, ChunkKind.FINISH, ChunkKind.DONE));
      assertThat(t.usage()).isNull();
      assertThat(t.serverTimings())
          .isEqualTo(new ServerTimings(34, 9.725, 32, 47.176, 0, 657.1137866711888));
    }
  }

  @Test
  void completionsStreamWithUsage() throws Exception {
    Fixtures.Captured c =
        Fixtures.response("completions-stream-usage.headers.txt", "completions-stream-usage.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, 0))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl(), Endpoint.COMPLETIONS));
      assertThat(t.ok()).isTrue();
      assertThat(kinds(t.events())).isEqualTo(expected(null, 32, ChunkKind.FINISH, ChunkKind.DONE));
      assertThat(t.events().textEventCount()).isEqualTo(t.usage().completionTokens()).isEqualTo(32);
      assertThat(t.finishReason()).isEqualTo("length");
      assertThat(t.serverTimings())
          .isEqualTo(new ServerTimings(1, 3.317, 32, 46.712, 4, 663.6410344237026));
      assertThat(server.received().get(0).path()).isEqualTo("/v1/completions");
      assertThat(server.received().get(0).body()).contains("\"prompt\":\"Hello\"");
    }
  }

  @Test
  void endOfSequenceWithoutTextIsStillOk() throws Exception {
    Fixtures.Captured c = Fixtures.response("chat-stream.headers.txt", "chat-stream-eos.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, 0))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.ok()).isTrue();
      assertThat(t.events().textEventCount()).isZero();
      assertThat(t.finishReason()).isEqualTo("stop");
      assertThat(t.usage().completionTokens()).isEqualTo(1);
    }
  }

  @Test
  void contextOverflowIsHttp400WithTheServersMessage() throws Exception {
    Fixtures.Captured c = Fixtures.response("error-ctx.headers.txt", "error-ctx-stream.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, 0))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.httpStatus()).isEqualTo(400);
      assertThat(t.failure()).isInstanceOf(Failure.Http.class);
      Failure.Http f = (Failure.Http) t.failure();
      assertThat(f.status()).isEqualTo(400);
      assertThat(f.bodyExcerpt()).contains("exceeds the available context size");
      assertThat(t.events().isEmpty()).isTrue();
      assertThat(t.headersNanos()).isNotNull();
    }
  }

  @Test
  void serverErrorIsHttp500() throws Exception {
    Fixtures.Captured c = Fixtures.wholeResponse("error-badjson.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, 0))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.failure()).isInstanceOf(Failure.Http.class);
      assertThat(t.failure().code()).isEqualTo("http_500");
      assertThat(t.failure().detail()).contains("parse error");
    }
  }

  @Test
  void ttftCountsFromTheFirstContentNotTheProgressChunks() throws Exception {
    long gapMillis = 100;
    Fixtures.Captured c =
        Fixtures.response("chat-stream.headers.txt", "chat-stream-progress-timings.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, gapMillis))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.ok()).isTrue();
      assertThat(kinds(t.events()))
          .containsExactly(
              ChunkKind.ROLE,
              ChunkKind.ROLE,
              ChunkKind.ROLE,
              ChunkKind.CONTENT,
              ChunkKind.CONTENT,
              ChunkKind.CONTENT,
              ChunkKind.FINISH,
              ChunkKind.DONE);
      RequestMetrics m = RequestMetrics.of(t);
      long firstRole = t.events().atNanos(0) - t.sendNanos();
      assertThat(m.ttftNanos()).isEqualTo(t.events().atNanos(3) - t.sendNanos());
      // The first content comes after the role chunks, and three paced gaps after the send:
      // the server wrote it only after sleeping them.
      assertThat(m.ttftNanos()).isGreaterThan(firstRole);
      assertThat(m.ttftNanos()).isGreaterThanOrEqualTo(3 * gapMillis * 1_000_000);
      assertThat(m.textChunks()).isEqualTo(3);
      assertThat(t.serverTimings().predictedTokens()).isEqualTo(3);
    }
  }

  @Test
  void nonStreamedJsonAnswerCountsAsOneEvent() throws Exception {
    Fixtures.Captured c = Fixtures.response("chat-nonstream.headers.txt", "chat-nonstream.txt");
    try (TestServer server = new TestServer((n, ex) -> TestServer.replay(ex, c, 0))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.failure()).isNull();
      assertThat(kinds(t.events())).containsExactly(ChunkKind.CONTENT);
      assertThat(t.usage().completionTokens()).isEqualTo(8);
      assertThat(t.finishReason()).isEqualTo("length");
      assertThat(t.serverTimings().predictedTokens()).isEqualTo(8);
    }
  }

  @Test
  void htmlAtStatus200IsMalformed() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) ->
                TestServer.status(ex, 200, "text/html", "<html><body>proxy login</body></html>"))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.failure()).isInstanceOf(Failure.Malformed.class);
      assertThat(t.failure().detail()).contains("proxy login");
    }
  }

  @Test
  void jsonAtStatus200ThatIsNoCompletionIsMalformed() throws Exception {
    try (TestServer server =
        new TestServer(
            (n, ex) -> TestServer.status(ex, 200, "application/json", "{\"status\":\"ok\"}"))) {
      RequestTrace t = runOnce(server, TestSpecs.to(server.baseUrl()));
      assertThat(t.failure()).isInstanceOf(Failure.Malformed.class);
      assertThat(t.failure().detail()).contains("application/json").contains("{\"status\":\"ok\"}");
    }
  }
}
