package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.netty.channel.EventLoop;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A request's send stamp is taken on the event loop that hands it to its connection: a loop still
 * busy when the request's thread starts it delays the send, and that delay is the client's (send
 * lag), not the engine's (time to first token).
 */
class SendStampTest {

  @Test
  void aBusyLoopDelaysTheSendStampNotTheFirstTokensTime() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      AtomicLong readNanos = new AtomicLong();
      RunClock clock = RunClock.startNow();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try (Socket c = server.accept()) {
                  c.getInputStream().read(new byte[8192]);
                  readNanos.set(clock.nowNanos());
                  OutputStream o = c.getOutputStream();
                  String event =
                      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
                          + "data: [DONE]\n\n";
                  o.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                              + event.length()
                              + "\r\nConnection: close\r\n\r\n"
                              + event)
                          .getBytes(StandardCharsets.US_ASCII));
                  o.flush();
                } catch (Exception e) {
                  // the client went away
                }
              });
      try (StreamClient client =
          new StreamClient(
              URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions"),
              clock,
              Timeouts.defaults().withTotal(Duration.ofSeconds(20)),
              Duration.ofSeconds(4),
              "{}".getBytes(StandardCharsets.US_ASCII),
              null,
              1,
              null)) {
        // The one loop runs a task of its own until the request has been started.
        EventLoop loop = client.nextLoop();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong freedNanos = new AtomicLong();
        loop.execute(
            () -> {
              busy.countDown();
              try {
                go.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              freedNanos.set(clock.nowNanos());
            });
        assertThat(busy.await(20, TimeUnit.SECONDS)).isTrue();
        long intended = clock.nowNanos();
        CompletableFuture<RequestTrace> result =
            client.start(0, false, intended, new RequestHandle());
        go.countDown();
        RequestTrace t = result.get(20, TimeUnit.SECONDS);

        assertThat(t.ok()).as("%s", t.failure()).isTrue();
        // Stamped once the loop was free to send it, and before the server could read it: the
        // wait is in the send lag (send − intended), none of it in the time to the first token
        // (first event − send).
        assertThat(t.sendNanos()).isGreaterThanOrEqualTo(freedNanos.get());
        assertThat(t.sendNanos()).isLessThanOrEqualTo(readNanos.get());
        assertThat(t.events().atNanos(t.events().firstTextIndex()))
            .isGreaterThanOrEqualTo(readNanos.get());
      }
    }
  }
}
