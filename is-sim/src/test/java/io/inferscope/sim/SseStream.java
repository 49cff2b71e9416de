package io.inferscope.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One streamed response read line by line on a background thread, each line stamped with the
 * client's {@link System#nanoTime()} when it arrived.
 */
final class SseStream {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** One line of the body and when the client received it. */
  record Line(String text, long receivedNanos) {}

  private record End(Throwable failure) {}

  private final BlockingDeque<Object> queue = new LinkedBlockingDeque<>();
  private final List<Line> lines = new ArrayList<>();
  private final long sentNanos;
  private volatile int status;
  private volatile HttpHeaders headers;
  private Throwable failure;
  private boolean ended;

  private SseStream(long sentNanos) {
    this.sentNanos = sentNanos;
  }

  static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT)
        .build();
  }

  static HttpRequest post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Sends {@code body} to {@code url} and starts reading the answer. */
  static SseStream open(HttpClient client, String url, String body) {
    HttpRequest request = post(url, body);
    SseStream stream = new SseStream(System.nanoTime());
    Thread.ofVirtual().start(() -> stream.pump(client, request));
    return stream;
  }

  /** Sends and reads the whole answer. */
  static SseStream read(HttpClient client, String url, String body) {
    return open(client, url, body).awaitEnd();
  }

  private void pump(HttpClient client, HttpRequest request) {
    Throwable error = null;
    try {
      HttpResponse<Stream<String>> response = client.send(request, BodyHandlers.ofLines());
      status = response.statusCode();
      headers = response.headers();
      try (Stream<String> body = response.body()) {
        body.forEach(line -> queue.add(new Line(line, System.nanoTime())));
      }
    } catch (Throwable t) {
      error = t;
    }
    queue.add(new End(error));
  }

  /** The next line, or null once the body has ended; fails the test if nothing comes in time. */
  Line next() {
    if (ended) {
      return null;
    }
    Object item;
    try {
      item = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (item == null) {
      fail("no line and no end of body within " + TIMEOUT);
    }
    if (item instanceof End end) {
      ended = true;
      failure = end.failure();
      return null;
    }
    Line line = (Line) item;
    lines.add(line);
    return line;
  }

  /**
   * Reads the next {@code count} events, each a data line and its blank line; fails if the body
   * ends first.
   */
  void awaitEvents(int count) {
    for (int i = 0; i < count; i++) {
      Line data = next();
      assertThat(data).as("event %d", i).isNotNull();
      assertThat(data.text()).startsWith("data: ");
      Line blank = next();
      assertThat(blank).as("blank line after event %d", i).isNotNull();
      assertThat(blank.text()).isEmpty();
    }
  }

  /** Whether nothing at all (no line, no end) arrives within {@code wait}. */
  boolean silentFor(Duration wait) throws InterruptedException {
    Object item = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (item == null) {
      return true;
    }
    queue.putFirst(item); // keep it for the next read
    return false;
  }

  /** Reads to the end of the body. */
  SseStream awaitEnd() {
    while (next() != null) {
      // Lines are kept as they arrive.
    }
    return this;
  }

  long sentNanos() {
    return sentNanos;
  }

  int status() {
    return status;
  }

  HttpHeaders headers() {
    return headers;
  }

  /** Why the body ended early, or null when it ended cleanly. */
  Throwable failure() {
    return failure;
  }

  List<Line> lines() {
    return lines;
  }

  /** The payloads of all {@code data:} lines, {@code [DONE]} included. */
  List<Line> data() {
    return lines.stream()
        .filter(l -> l.text().startsWith("data: "))
        .map(l -> new Line(l.text().substring(6), l.receivedNanos()))
        .toList();
  }

  /** The data payloads parsed as JSON objects, {@code [DONE]} excluded. */
  List<Map<String, Object>> events() {
    return data().stream()
        .map(Line::text)
        .filter(text -> !text.equals("[DONE]"))
        .<Map<String, Object>>map(Json::object)
        .toList();
  }

  boolean endedWithDone() {
    List<Line> data = data();
    return !data.isEmpty() && data.getLast().text().equals("[DONE]");
  }

  /** Checks SSE framing: every data line is followed by exactly one blank line. */
  void assertEventFraming() {
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).text();
      if (i % 2 == 0) {
        assertThat(text).as("line %d", i).startsWith("data: ");
      } else {
        assertThat(text).as("line %d", i).isEmpty();
      }
    }
    assertThat(lines.size() % 2).as("each event ends with a blank line").isZero();
  }
}
