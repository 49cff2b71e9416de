package io.inferscope.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

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
      client.send(
          request,
          info -> {
            status = info.statusCode();
            headers = info.headers();
            return new LineSplitter();
          });
    } catch (Throwable t) {
      error = t;
    }
    queue.add(new End(error));
  }

  /**
   * Splits the body into lines as its bytes arrive and queues each one. Unlike {@code
   * BodyHandlers.ofLines()}, which drops the lines it has buffered but not yet handed out when the
   * body fails, this keeps every line that arrived before a truncated body's error.
   */
  private final class LineSplitter implements HttpResponse.BodySubscriber<Void> {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public CompletionStage<Void> getBody() {
      return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      long now = System.nanoTime();
      for (ByteBuffer buffer : buffers) {
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            queueLine(now);
          } else {
            line.write(b);
          }
        }
      }
    }

    private void queueLine(long receivedNanos) {
      byte[] bytes = line.toByteArray();
      int length =
          bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
      queue.add(new Line(new String(bytes, 0, length, StandardCharsets.UTF_8), receivedNanos));
      line.reset();
    }

    @Override
    public void onError(Throwable failure) {
      done.completeExceptionally(failure); // a partial last line is dropped, as ofLines() does
    }

    @Override
    public void onComplete() {
      if (line.size() > 0) {
        queueLine(System.nanoTime());
      }
      done.complete(null);
    }
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
