package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StreamClientLoopsTest {
  private static Set<Thread> ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("inferscope-io-"))
        .collect(Collectors.toSet());
  }

  @Test
  void theEventLoopsThreadsStartBeforeTheFirstRequestNotWithIt() {
    Set<Thread> before = ioThreads();
    try (StreamClient client =
        new StreamClient(
            URI.create("http://127.0.0.1:9/v1/completions"),
            RunClock.startNow(),
            Timeouts.defaults(),
            Duration.ofSeconds(4),
            "{}".getBytes(StandardCharsets.US_ASCII),
            null,
            3,
            null)) {
      // Netty starts a loop's thread with its first task: none yet.
      Set<Thread> made = ioThreads();
      made.removeAll(before);
      assertThat(made).isEmpty();

      client.startLoops();
      Set<Thread> started = ioThreads();
      started.removeAll(before);
      assertThat(started).hasSize(3).allMatch(Thread::isAlive);
    }
  }
}
