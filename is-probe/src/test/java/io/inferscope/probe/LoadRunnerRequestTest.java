package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What goes on the wire, and what never leaks. */
@Timeout(30)
class LoadRunnerRequestTest {
  private static final String KEY = "sk-test-7f3a9c1e5b";

  private static void ok(HttpExchange ex) throws Exception {
    OutputStream out = TestServer.startStream(ex);
    TestServer.write(out, TestServer.okStream(2));
  }

  @Test
  void sendsTheKeyTheHeadersAndTheMergedBody() throws Exception {
    try (TestServer server = new TestServer((n, ex) -> ok(ex))) {
      LoadSpec spec =
          TestSpecs.to(URI.create(server.baseUrl() + "/v1/"))
              .apiKey(KEY)
              .maxTokens(16)
              .extraBodyJson("{\"temperature\":0,\"max_tokens\":7,\"ignore_eos\":true}")
              .build();
      List<RequestTrace> traces = LoadRunner.create(spec, RunClock.startNow()).run(null).traces();
      assertThat(traces.get(0).ok()).isTrue();
      TestServer.Received r = server.received().get(0);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/v1/chat/completions");
      assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(r.header("Accept")).isEqualTo("text/event-stream");
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.header("Accept-Encoding")).isEqualTo("identity");
      assertThat(r.body())
          .isEqualTo(
              "{\"model\":\"tiny-llama\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                  + "\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                  + "\"temperature\":0,\"max_tokens\":7,\"ignore_eos\":true}");
    }
  }

  @Test
  void noKeyNoAuthorizationHeader() throws Exception {
    try (TestServer server = new TestServer((n, ex) -> ok(ex))) {
      LoadRunner.create(TestSpecs.to(server.baseUrl()).build(), RunClock.startNow()).run(null);
      assertThat(server.received().get(0).header("Authorization")).isNull();
    }
  }

  @Test
  void theKeyAppearsInNoTraceFailureOrToString() throws Exception {
    int closedPort;
    List<String> seen = new ArrayList<>();
    try (TestServer server =
        new TestServer(
            (n, ex) -> {
              switch (n) {
                case 0 -> TestServer.status(ex, 401, "application/json", "{\"error\":\"bad key\"}");
                case 1 -> {
                  OutputStream out = TestServer.startStream(ex);
                  TestServer.write(out, "data: {\"error\":{\"message\":\"denied\"}}\n\n");
                }
                default -> ok(ex);
              }
            })) {
      // Taken while the server holds its own port: freed before it, the port could be the server's.
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort();
      }
      LoadSpec spec = TestSpecs.to(server.baseUrl()).apiKey(KEY).requests(3).build();
      LoadRunner runner = LoadRunner.create(spec, RunClock.startNow());
      seen.add(spec.toString());
      seen.add(runner.toString());
      for (RequestTrace t : runner.run(null).traces()) {
        seen.add(t.toString());
      }
      LoadSpec refused =
          TestSpecs.to(URI.create("http://127.0.0.1:" + closedPort)).apiKey(KEY).build();
      for (RequestTrace t : LoadRunner.create(refused, RunClock.startNow()).run(null).traces()) {
        seen.add(t.toString());
        seen.add(t.failure().detail());
      }
    }
    try {
      EngineProbe.probe(URI.create("http://127.0.0.1:" + closedPort), KEY);
    } catch (EngineUnreachableException e) {
      seen.add(e.getMessage());
      seen.add(String.valueOf(e.getCause()));
    }
    assertThat(seen).hasSizeGreaterThan(6);
    assertThat(seen).noneMatch(s -> s.contains(KEY));
    assertThat(String.join("\n", seen)).contains("apiKey=(set)").contains("status=401");
  }

  @Test
  void everyTraceReachesTheCallbackOnceFromItsRequestThread() throws Exception {
    try (TestServer server = new TestServer((n, ex) -> ok(ex))) {
      List<RequestTrace> seen = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
      Thread caller = Thread.currentThread();
      List<RequestTrace> traces =
          LoadRunner.create(
                  TestSpecs.to(server.baseUrl()).requests(6).concurrency(3).build(),
                  RunClock.startNow())
              .run(
                  t -> {
                    seen.add(t);
                    threads.add(Thread.currentThread());
                  })
              .traces();
      assertThat(traces).hasSize(6);
      assertThat(seen).containsExactlyInAnyOrderElementsOf(traces);
      assertThat(threads).doesNotContain(caller);
    }
  }

  @Test
  void aFailingCallbackLosesNoTrace() throws Exception {
    try (TestServer server = new TestServer((n, ex) -> ok(ex))) {
      List<RequestTrace> traces =
          LoadRunner.create(TestSpecs.to(server.baseUrl()).requests(3).build(), RunClock.startNow())
              .run(
                  t -> {
                    throw new IllegalStateException("disk full");
                  })
              .traces();
      assertThat(traces).hasSize(3).allMatch(RequestTrace::ok);
    }
  }

  @Test
  void runOnlyOnce() throws Exception {
    try (TestServer server = new TestServer((n, ex) -> ok(ex))) {
      LoadRunner runner =
          LoadRunner.create(TestSpecs.to(server.baseUrl()).build(), RunClock.startNow());
      runner.run(null);
      assertThatThrownBy(() -> runner.run(null)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void stopBeforeRunStartsNothing() throws Exception {
    try (TestServer server = new TestServer((n, ex) -> ok(ex))) {
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(server.baseUrl()).warmupRequests(2).requests(5).build(),
              RunClock.startNow());
      runner.stop("not today");
      LoadResult r = runner.run(null);
      assertThat(r.traces()).isEmpty();
      assertThat(r.stopReason()).isEqualTo("not today");
      assertThat(server.requestCount()).isZero();
    }
  }
}
