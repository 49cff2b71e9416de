package io.inferscope.probe;

import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.TimeoutPhase;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Sends one request and reads its response on the calling thread with blocking reads (a virtual
 * thread: blocking costs no platform thread), producing exactly one trace whatever happens.
 */
final class RequestExecutor {
  /** Bytes of an error body kept for its excerpt. */
  static final int ERROR_BODY_BYTES = 4 * 1024;

  /** Largest non-streamed answer read. */
  static final long MAX_JSON_BODY_BYTES = 16L * 1024 * 1024;

  private static final MediaType JSON = MediaType.get("application/json");

  /**
   * Clients sharing everything but their connection pool, each serving the threads whose id falls
   * to it. OkHttp finds a pooled connection by scanning its whole pool under each connection's
   * lock, once per call: with thousands of streams in one pool that scan was the client's largest
   * user-space cost (docs/benchmarks.md). Closed-loop workers keep their thread, so each finds its
   * kept-alive connection in its own small pool.
   */
  private final OkHttpClient[] clients;

  /** Same settings, no pooled connections: every call opens its own. */
  private final OkHttpClient freshClient;

  /** Set once the engine is seen closing connections it advertised as kept alive. */
  private final java.util.concurrent.atomic.AtomicBoolean engineClosesConnections =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final RunClock clock;
  private final Timeouts timeouts;
  private final ScheduledExecutorService watchdog;
  private final String url;
  private final RequestBody body;
  private final String authorization;

  /**
   * @param clients the run's clients (see {@link HttpClients#forRunSharded}); a request uses the
   *     one its thread's id falls to
   */
  RequestExecutor(
      OkHttpClient[] clients,
      RunClock clock,
      Timeouts timeouts,
      ScheduledExecutorService watchdog,
      String url,
      byte[] body,
      String apiKey) {
    this.clients = clients.clone();
    this.freshClient =
        clients[0]
            .newBuilder()
            .connectionPool(new okhttp3.ConnectionPool(0, 1, TimeUnit.SECONDS))
            .build();
    this.clock = clock;
    this.timeouts = timeouts;
    this.watchdog = watchdog;
    this.url = url;
    this.body = RequestBody.create(body, JSON);
    this.authorization = apiKey == null ? null : "Bearer " + apiKey;
  }

  /** Runs request {@code id}; never throws. */
  RequestTrace execute(int id, boolean warmup, long intendedNanos, RequestHandle handle) {
    long send = Math.max(intendedNanos, clock.nowNanos());
    StreamRecorder rec = new StreamRecorder(clock);
    Integer status = null;
    Response response = null;
    ScheduledFuture<?> firstByte = null;
    long end;
    try {
      Request.Builder rb =
          new Request.Builder()
              .url(url)
              .post(body)
              .header("Accept", "text/event-stream")
              // A compressed stream arrives in compressor-sized batches: token timing would be
              // lost.
              .header("Accept-Encoding", "identity")
              .header("User-Agent", "inferscope")
              .tag(RequestHandle.class, handle);
      if (authorization != null) {
        rb.header("Authorization", authorization);
      }
      Request request = rb.build();
      Failure.Timeout firstByteTimeout =
          new Failure.Timeout(TimeoutPhase.FIRST_BYTE, timeouts.firstByte().toNanos());
      send = Math.max(intendedNanos, clock.nowNanos());
      firstByte =
          watchdog.schedule(
              () -> handle.firstByteDeadline(firstByteTimeout),
              timeouts.firstByte().toNanos(),
              TimeUnit.NANOSECONDS);
      response = executeRetryingStaleConnection(request, handle);
      if (!handle.headersArrived()) {
        throw new IOException("first-byte deadline passed");
      }
      firstByte.cancel(false);
      status = response.code();
      read(response, status, rec, handle);
      end = clock.nowNanos();
    } catch (IOException e) {
      end = clock.nowNanos();
      Failure f = failureOf(e, handle, rec);
      if (f != null) {
        rec.fail(f);
      }
    } catch (RuntimeException | Error e) {
      end = clock.nowNanos();
      rec.fail(Failures.client(e));
    } finally {
      if (firstByte != null) {
        firstByte.cancel(false);
      }
      if (response != null) {
        closeQuietly(response);
      }
    }
    end = Math.max(end, send);
    return new RequestTrace(
        id,
        warmup,
        intendedNanos,
        send,
        handle.headersAtNanos(),
        end,
        status,
        rec.events(),
        rec.usage(),
        rec.timings(),
        rec.finishReason(),
        rec.failure());
  }

  private OkHttpClient clientOfThisThread() {
    return clients[(int) Math.floorMod(Thread.currentThread().threadId(), (long) clients.length)];
  }

  /**
   * Whether the engine was seen closing connections after an answer while advertising keep-alive
   * (llama.cpp does so after every streamed answer); from then on each request opens its own.
   */
  boolean engineClosesConnections() {
    return engineClosesConnections.get();
  }

  /**
   * Executes the call. A request that meets a dead pooled connection before any response byte was
   * never seen by the engine: llama.cpp's server closes the connection a few milliseconds after
   * each streamed answer while advertising keep-alive, and a request sent on it in that window is
   * dropped. That is a transport artefact, not an engine failure, so the request is retried once on
   * a connection opened for it, and from then on every request opens its own connection ({@code
   * Connection: close}), so at most the requests in flight at that moment pay for it. The send time
   * stays the first attempt's: the wasted attempt is charged to the request's latency, never
   * hidden. Failures on a connection opened for the request, timeouts and our own cancellations are
   * never retried.
   */
  private Response executeRetryingStaleConnection(Request request, RequestHandle handle)
      throws IOException {
    if (engineClosesConnections.get()) {
      return execute(
          freshClient, request.newBuilder().header("Connection", "close").build(), handle);
    }
    try {
      return execute(clientOfThisThread(), request, handle);
    } catch (IOException e) {
      boolean stale =
          handle.onPooledConnection()
              && handle.phase() < RequestHandle.HEADERS
              && handle.cancelFailure() == null
              && !(e instanceof InterruptedIOException);
      if (!stale) {
        throw e;
      }
      if (engineClosesConnections.compareAndSet(false, true)) {
        // Idle pooled connections are as doomed as the one that failed.
        for (OkHttpClient c : clients) {
          c.connectionPool().evictAll();
        }
      }
      handle.beforeRetry();
      return execute(
          freshClient, request.newBuilder().header("Connection", "close").build(), handle);
    }
  }

  private static Response execute(OkHttpClient c, Request request, RequestHandle handle)
      throws IOException {
    Call call = c.newCall(request);
    handle.attach(call);
    return call.execute();
  }

  /** The failure an I/O exception means, or null when the answer had already arrived whole. */
  private Failure failureOf(IOException e, RequestHandle handle, StreamRecorder rec) {
    Failure cancelled = handle.cancelFailure();
    if (cancelled != null) {
      // Our own cancellation (stop, drain end, first-byte watchdog) surfaces as a plain I/O error.
      return cancelled;
    }
    if (handle.phase() == RequestHandle.HEADERS
        && rec.finishReason() != null
        && !(e instanceof InterruptedIOException)) {
      // Dropped after the finish reason: only [DONE] (and perhaps usage) is missing.
      return null;
    }
    return Failures.ofException(e, handle.phase(), rec.eventCount(), timeouts);
  }

  private void read(Response response, int status, StreamRecorder rec, RequestHandle handle)
      throws IOException {
    ResponseBody rb = response.body();
    BufferedSource source = rb.source();
    idleBound(source, response.protocol(), handle.socket());
    if (status < 200 || status >= 300) {
      rec.fail(
          Failures.ofStatus(
              status,
              errorExcerpt(source, response),
              response.header("Retry-After"),
              java.time.Instant.now()));
      return;
    }
    switch (shapeOf(rb.contentType(), source)) {
      case EVENTS -> readEvents(source, rec, handle);
      case JSON -> readSingleJson(source, rb.contentType(), rec);
      case OTHER -> notAnAnswer(source, rb.contentType(), rec);
    }
  }

  /**
   * From here on each read of the body waits at most the idle timeout (the exchange's read timeout
   * covered the wait for headers). Set on the socket (SO_TIMEOUT, enforced in the kernel's poll)
   * rather than as okio's watchdog timeout, which takes one process-wide lock twice per read:
   * thousands of streams contend for it. Only for HTTP/1.x, where the socket is this stream's
   * alone: an HTTP/2 socket carries other streams, read by OkHttp's own thread, which must not time
   * out with this stream's idle bound. Otherwise okio's timeout does it.
   */
  private void idleBound(BufferedSource source, okhttp3.Protocol protocol, java.net.Socket socket)
      throws IOException {
    boolean ownSocket =
        socket != null
            && (protocol == okhttp3.Protocol.HTTP_1_1 || protocol == okhttp3.Protocol.HTTP_1_0);
    if (ownSocket) {
      socket.setSoTimeout(
          (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeouts.idle().toMillis())));
      source.timeout().clearTimeout();
    } else {
      source.timeout().timeout(timeouts.idle().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void readEvents(BufferedSource source, StreamRecorder rec, RequestHandle handle)
      throws IOException {
    SseReader reader = new SseReader(new OkioLineSource(source), clock);
    SseEvent ev;
    try {
      while ((ev = reader.next()) != null) {
        if (!rec.accept(ev)) {
          break;
        }
      }
    } catch (OkioLineSource.LineTooLongException e) {
      rec.fail(new Failure.Malformed(e.getMessage()));
      return;
    }
    Failure cancelled = handle.cancelFailure();
    if (cancelled != null && !rec.sawDone() && rec.finishReason() == null) {
      rec.fail(cancelled);
    }
    rec.endOfStream();
  }

  /**
   * A 200 answer that is not an event stream (the server ignored {@code stream: true}): when it is
   * a completion object it counts as one event, stamped when the whole body has arrived, which is
   * when the client saw its first token; anything else is malformed.
   */
  private void readSingleJson(BufferedSource source, MediaType type, StreamRecorder rec)
      throws IOException {
    Buffer buf = new Buffer();
    while (buf.size() <= MAX_JSON_BODY_BYTES && source.read(buf, 64 * 1024) != -1) {
      // read to the end
    }
    long at = clock.nowNanos();
    if (buf.size() > MAX_JSON_BODY_BYTES) {
      rec.fail(
          new Failure.Malformed(
              "HTTP 200 answer is not an event stream and exceeds "
                  + MAX_JSON_BODY_BYTES
                  + " bytes"));
      return;
    }
    byte[] bytes = buf.readByteArray();
    Chunk c = ChunkParser.parse(bytes, 0, bytes.length);
    if (c.isMalformed() || (!c.hasChoices() && c.errorMessage() == null)) {
      rec.fail(notAnAnswer(type, bytes));
      return;
    }
    rec.accept(at, c);
  }

  private void notAnAnswer(BufferedSource source, MediaType type, StreamRecorder rec) {
    Buffer buf = new Buffer();
    try {
      while (buf.size() < ERROR_BODY_BYTES
          && source.read(buf, ERROR_BODY_BYTES - buf.size()) != -1) {
        // enough for the excerpt
      }
    } catch (IOException e) {
      // The excerpt shows what arrived.
    }
    rec.fail(notAnAnswer(type, buf.readByteArray()));
  }

  private static Failure.Malformed notAnAnswer(MediaType type, byte[] bytes) {
    return new Failure.Malformed(
        "HTTP 200 answer with Content-Type "
            + (type == null ? "(none)" : type.type() + "/" + type.subtype())
            + " is neither an event stream nor a completion: "
            + Excerpts.oneLine(bytes, 0, bytes.length, ChunkParser.EXCERPT_CHARS));
  }

  /** How a 200 body is read. */
  private enum BodyShape {
    EVENTS,
    JSON,
    OTHER
  }

  /**
   * How to read the body: by its Content-Type when that names an event stream or JSON, else by its
   * first bytes (an SSE field or comment, or a JSON object).
   */
  private static BodyShape shapeOf(MediaType type, BufferedSource source) throws IOException {
    if (type != null) {
      String t = (type.type() + "/" + type.subtype()).toLowerCase(java.util.Locale.ROOT);
      if (t.equals("text/event-stream")) {
        return BodyShape.EVENTS;
      }
      if (t.equals("application/json") || t.endsWith("+json")) {
        return BodyShape.JSON;
      }
    }
    BufferedSource peek = source.peek();
    int first = -1;
    while (first < 0 && peek.request(1)) {
      byte b = peek.readByte();
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        first = b & 0xff;
      }
    }
    if (first < 0) {
      // Empty body: read as a stream, which then ends truncated.
      return BodyShape.EVENTS;
    }
    if (first == '{') {
      return BodyShape.JSON;
    }
    if (first == ':') {
      return BodyShape.EVENTS;
    }
    StringBuilder head = new StringBuilder().append((char) first);
    while (head.length() < 6 && peek.request(1)) {
      head.append((char) peek.readByte());
    }
    String h = head.toString();
    for (String field : new String[] {"data", "event", "id", "retry"}) {
      if (h.startsWith(field + ":") || (h.length() == field.length() && h.equals(field))) {
        return BodyShape.EVENTS;
      }
    }
    return BodyShape.OTHER;
  }

  private static String errorExcerpt(BufferedSource source, Response response) {
    Buffer buf = new Buffer();
    try {
      while (buf.size() < ERROR_BODY_BYTES
          && source.read(buf, ERROR_BODY_BYTES - buf.size()) != -1) {
        // read what the server sent, up to the limit
      }
    } catch (IOException e) {
      // The status is the failure; a body cut short still gives what it had.
    }
    byte[] bytes = buf.readByteArray();
    String excerpt = Excerpts.oneLine(bytes, 0, bytes.length, Excerpts.MAX_CHARS);
    if (excerpt.isEmpty() && !response.message().isBlank()) {
      excerpt = Excerpts.oneLine(response.message(), Excerpts.MAX_CHARS);
    }
    return excerpt;
  }

  private static void closeQuietly(Response response) {
    try {
      response.close();
    } catch (RuntimeException e) {
      // Closing discards the rest of the body; a failure there changes nothing measured.
    }
  }
}
