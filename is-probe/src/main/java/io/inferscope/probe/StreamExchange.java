package io.inferscope.probe;

import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.TimeoutPhase;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request from send to its trace, driven by its connection's event loop: connect (or take a
 * kept-alive connection), send, wait for the headers under the first-byte bound, read the body
 * under the idle bound, all under the total bound. Produces exactly one trace whatever happens.
 *
 * <p>Every event is stamped with the arrival of the socket read that completed it ({@link
 * Connection}): the stamp does not wait for the event's turn in the parse.
 *
 * <p>Only {@link #start} and the cancellation run on other threads; everything else runs on the
 * event loop, so the exchange's state needs no lock.
 */
final class StreamExchange implements RequestHandle.Target {
  /** Bytes of an error body kept for its excerpt. */
  static final int ERROR_BODY_BYTES = 4 * 1024;

  /** Largest non-streamed answer read. */
  static final int MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

  /** Bytes looked at to tell an unlabelled body's shape. */
  private static final int SNIFF_BYTES = 64;

  /**
   * How long a connection whose stream has ended ({@code [DONE]}) waits for the end of its body
   * before it is closed rather than kept alive. The trace is handed over when either happens, so a
   * closed-loop worker's next request finds the connection free, as it would after a blocking
   * client discarded the rest of the body (OkHttp also waits 100 ms).
   */
  private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** One copy buffer per event-loop thread: a body's bytes are framed from it. */
  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[StreamClient.MAX_CHUNK_BYTES];
        }
      };

  /** How a 200 body is read. */
  private enum Shape {
    EVENTS,
    JSON,
    OTHER,
    /** Not labelled as either: decided from its first bytes. */
    SNIFF,
    /** An error status: kept for its excerpt. */
    ERROR
  }

  private final StreamClient client;
  private final RunClock clock;
  private final Timeouts timeouts;
  private final int id;
  private final boolean warmup;
  private final long intendedNanos;
  private final RequestHandle handle;
  private final StreamRecorder rec;
  private final CompletableFuture<RequestTrace> result = new CompletableFuture<>();

  private volatile EventLoop loop;

  /**
   * {@link RequestTrace#sendNanos}: set on the request's thread before it hands the exchange to the
   * loop ({@code execute} orders that write before the loop's reads), then only on the loop ({@link
   * #begin}); the one read off the loop, a cancel after the loops stopped, sees either.
   */
  private long sendNanos;

  // Event-loop state.
  private Connection conn;
  private boolean connectionClose;
  private boolean retried;
  private boolean finished;
  private boolean bodyEnded;

  /** The trace of a stream that ended while its connection drains, until it is handed over. */
  private RequestTrace pending;

  private Integer status;
  private Shape shape;
  private SseBody sse;
  private byte[] kept;
  private int keptLength;
  private String contentType;
  private String retryAfter;
  private String reasonPhrase;
  private boolean keepAlive;
  private ScheduledFuture<?> firstByteTimer;
  private ScheduledFuture<?> totalTimer;
  private ScheduledFuture<?> idleTimer;

  /** The request's body; every attempt sends it. */
  private final byte[] body;

  StreamExchange(
      StreamClient client,
      int id,
      boolean warmup,
      long intendedNanos,
      RequestHandle handle,
      byte[] body) {
    this.client = client;
    this.body = body;
    this.clock = client.clock();
    this.timeouts = client.timeouts();
    this.id = id;
    this.warmup = warmup;
    this.intendedNanos = intendedNanos;
    this.handle = handle;
    this.rec = new StreamRecorder(clock);
  }

  CompletableFuture<RequestTrace> result() {
    return result;
  }

  /** Sends the request; called on the request's own thread. */
  void start() {
    InetSocketAddress to;
    try {
      to = client.address();
    } catch (UnknownHostException e) {
      sendNanos = Math.max(intendedNanos, clock.nowNanos());
      Failure cancelledBy = handle.cancelFailure();
      rec.fail(
          cancelledBy != null
              ? cancelledBy
              : new Failure.Connect("unknown host: " + e.getMessage()));
      result.complete(trace(clock.nowNanos()));
      return;
    }
    Connection shared = client.sharedHttp2();
    Connection pooled = shared != null ? shared : client.pooled();
    EventLoop l = pooled != null ? pooled.channel().eventLoop() : client.nextLoop();
    loop = l;
    // Provisional: begin() stamps it again on the event loop. Should the exchange end before
    // (cancelled while the loop was busy) its trace still has a send time.
    sendNanos = Math.max(intendedNanos, clock.nowNanos());
    handle.attach(this);
    l.execute(guarded(() -> begin(pooled, to)));
  }

  /**
   * {@code r}, made to end the exchange as a client failure should it throw: on the event loop an
   * exception would only be logged, and the request's thread would wait for its trace for ever.
   */
  private Runnable guarded(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException | Error t) {
        failByClient(t);
      }
    };
  }

  /** A fault of the client's own code: the request fails with it and its connection is closed. */
  private void failByClient(Throwable t) {
    if (finished) {
      return;
    }
    rec.fail(Failures.client(t));
    try {
      finish(clock.nowNanos(), false);
    } catch (RuntimeException | Error again) {
      if (!result.isDone()) {
        result.complete(trace(clock.nowNanos()));
      }
    }
  }

  /** Safe from any thread: ends the exchange with the handle's cancel reason. */
  @Override
  public void cancel() {
    EventLoop l = loop;
    if (l == null) {
      return; // begin() sees the reason
    }
    if (l.inEventLoop()) {
      cancelled();
      return;
    }
    try {
      l.execute(guarded(this::cancelled));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The loops have stopped (the client was closed): nothing else touches this exchange now.
      cancelled();
    }
  }

  // ---- on the event loop

  private void begin(Connection pooled, InetSocketAddress to) {
    if (finished) {
      // Cancelled before it began.
      if (pooled != null && !pooled.http2()) {
        client.release(pooled);
      }
      return;
    }
    // The request is handed to its connection now, on the loop that connects or writes: the wake-up
    // of the loop by the request's thread (about 0.1 ms at the median on an idle 2-vCPU VM) is the
    // client's own delay, so it counts as send lag, not as the engine's time to first token.
    sendNanos = Math.max(intendedNanos, clock.nowNanos());
    Failure.Timeout fb =
        new Failure.Timeout(TimeoutPhase.FIRST_BYTE, timeouts.firstByte().toNanos());
    firstByteTimer =
        loop.schedule(
            guarded(() -> handle.firstByteDeadline(fb)),
            timeouts.firstByte().toNanos(),
            TimeUnit.NANOSECONDS);
    // The total runs from the send stamp, just taken: nearly all of it is left.
    long totalLeft = timeouts.total().toNanos() - (clock.nowNanos() - sendNanos);
    totalTimer =
        loop.schedule(
            guarded(
                () -> fail(new Failure.Timeout(TimeoutPhase.TOTAL, timeouts.total().toNanos()))),
            Math.max(0, totalLeft),
            TimeUnit.NANOSECONDS);
    if (handle.cancelFailure() != null) {
      cancelled();
      if (pooled != null && !pooled.http2()) {
        client.release(pooled);
      }
      return;
    }
    if (pooled != null && pooled.http2()) {
      handle.pooledConnection(true);
      openStreamOn(pooled);
    } else if (pooled != null) {
      handle.pooledConnection(true);
      handle.phase(RequestHandle.CONNECTED);
      attach(pooled);
      send();
    } else {
      connect(to, client.engineClosesConnections());
    }
  }

  private void connect(InetSocketAddress to, boolean close) {
    connectionClose = close;
    handle.phase(RequestHandle.CONNECTING);
    ChannelFuture f = client.connect(loop, to);
    f.addListener(done -> guarded(() -> connected(f, done)).run());
  }

  private void connected(ChannelFuture f, io.netty.util.concurrent.Future<?> done) {
    Channel ch = f.channel();
    if (finished) {
      ch.close();
      return;
    }
    if (!done.isSuccess()) {
      fail(connectFailure(done.cause()));
      return;
    }
    Connection c = Connection.of(ch);
    attach(c);
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    if (tls == null) {
      handle.phase(RequestHandle.CONNECTED);
      send();
      return;
    }
    tls.handshakeFuture().addListener(hs -> guarded(() -> handshaken(c, hs)).run());
  }

  private void handshaken(Connection c, io.netty.util.concurrent.Future<?> hs) {
    if (finished || conn != c) {
      return;
    }
    if (hs.isSuccess()) {
      SslHandler tls = c.channel().pipeline().get(SslHandler.class);
      if (tls != null && "h2".equals(tls.applicationProtocol())) {
        // The engine chose HTTP/2: the connection carries this request's stream and others'.
        // Its pipeline is set up right after this (the negotiation handler sees the handshake
        // after its listeners), so the stream opens on the next turn of the loop.
        conn = null;
        c.carry(null);
        loop.execute(guarded(() -> openStreamOn(c)));
        return;
      }
      handle.phase(RequestHandle.CONNECTED);
      send();
    } else {
      fail(connectFailure(hs.cause()));
      c.channel().close();
    }
  }

  /** Opens this request's stream on an HTTP/2 connection, then sends on it. */
  private void openStreamOn(Connection parent) {
    io.netty.util.concurrent.Future<io.netty.handler.codec.http2.Http2StreamChannel> f =
        client.openStream(parent);
    f.addListener(done -> guarded(() -> streamOpened(parent, f)).run());
  }

  private void streamOpened(
      Connection parent,
      io.netty.util.concurrent.Future<io.netty.handler.codec.http2.Http2StreamChannel> f) {
    if (finished) {
      if (f.isSuccess()) {
        f.getNow().close();
      }
      return;
    }
    if (!f.isSuccess()) {
      if (handle.onPooledConnection() && !retried && handle.cancelFailure() == null) {
        // A shared connection the engine has closed or will not give another stream.
        retried = true;
        handle.beforeRetry();
        connectFresh(false);
      } else {
        fail(connectFailure(f.cause()));
      }
      return;
    }
    attach(Connection.of(f.getNow()));
    handle.phase(RequestHandle.CONNECTED);
    send();
  }

  private void connectFresh(boolean connectionClose) {
    try {
      connect(client.address(), connectionClose);
    } catch (UnknownHostException e) {
      fail(new Failure.Connect("unknown host: " + e.getMessage()));
    }
  }

  private void attach(Connection c) {
    conn = c;
    c.carry(this);
  }

  private void send() {
    Connection c = conn;
    c.channel()
        .writeAndFlush(client.request(body, connectionClose))
        .addListener(
            w ->
                guarded(
                        () -> {
                          if (!w.isSuccess() && conn == c) {
                            onClosed(c, w.cause());
                          }
                        })
                    .run());
  }

  void onResponse(Connection c, HttpResponse r, long atNanos) {
    if (finished || c != conn) {
      return;
    }
    if (r.decoderResult().isFailure()) {
      Throwable cause = r.decoderResult().cause();
      if (cause instanceof PrematureChannelClosureException) {
        onClosed(c, null);
      } else {
        fail(new Failure.Malformed("invalid HTTP response: " + Failures.describe(cause)));
      }
      return;
    }
    if (r.status().code() < 200) {
      return; // an interim answer (100 Continue); the real one follows
    }
    if (!handle.headersArrived(atNanos)) {
      return; // the first-byte deadline won; its cancellation is on its way
    }
    firstByteTimer.cancel(false);
    status = r.status().code();
    keepAlive = HttpUtil.isKeepAlive(r);
    contentType = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
    retryAfter = r.headers().get(HttpHeaderNames.RETRY_AFTER);
    reasonPhrase = r.status().reasonPhrase();
    if (status < 200 || status >= 300) {
      shape = Shape.ERROR;
      kept = new byte[ERROR_BODY_BYTES];
    } else {
      shape = shapeOfType(contentType);
      if (shape == Shape.EVENTS) {
        sse = new SseBody(rec::accept);
      } else {
        kept = new byte[shape == Shape.SNIFF ? SNIFF_BYTES : 1024];
      }
    }
    scheduleIdleCheck(timeouts.idle().toNanos());
  }

  void onContent(Connection c, HttpContent content, long atNanos) {
    if (c != conn) {
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (last) {
      bodyEnded = true;
    }
    if (finished) {
      // A stream that ended with [DONE]: its body's end lets the connection be kept alive.
      if (last) {
        conn = null;
        c.carry(null);
        if (content.decoderResult().isSuccess()) {
          client.release(c);
        } else {
          // A broken end of body leaves the decoder refusing all input: never reuse it.
          c.channel().close();
        }
        handOver();
      }
      return;
    }
    if (content.decoderResult().isFailure()) {
      fail(
          new Failure.Malformed(
              "invalid HTTP response: " + Failures.describe(content.decoderResult().cause())));
      return;
    }
    if (shape == null) {
      return; // content without headers: the decoder reports it
    }
    ByteBuf buf = content.content();
    byte[] scratch = SCRATCH.get();
    int from = buf.readerIndex();
    int left = buf.readableBytes();
    while (left > 0 && !finished) {
      int n = Math.min(left, scratch.length);
      buf.getBytes(from, scratch, 0, n);
      from += n;
      left -= n;
      take(scratch, n, atNanos);
    }
    if (last && !finished) {
      endOfBody(atNanos);
    }
  }

  private void take(byte[] b, int n, long atNanos) {
    switch (shape) {
      case EVENTS -> {
        boolean more;
        try {
          more = sse.feed(b, 0, n, atNanos);
        } catch (SseBody.LineTooLongException e) {
          fail(new Failure.Malformed(e.getMessage()));
          return;
        }
        if (!more) {
          // [DONE]: the stream is complete; the body's end may still follow.
          finish(atNanos, true);
        }
      }
      case JSON -> {
        if (keptLength + n > MAX_JSON_BODY_BYTES) {
          fail(
              new Failure.Malformed(
                  "HTTP 200 answer is not an event stream and exceeds "
                      + MAX_JSON_BODY_BYTES
                      + " bytes"));
          return;
        }
        keep(b, 0, n, MAX_JSON_BODY_BYTES);
      }
      case ERROR, OTHER -> {
        keep(b, 0, n, ERROR_BODY_BYTES);
        if (keptLength >= ERROR_BODY_BYTES) {
          // Enough for the excerpt.
          endOfKept();
        }
      }
      case SNIFF -> {
        int room = SNIFF_BYTES - keptLength;
        int used = Math.min(room, n);
        keep(b, 0, used, SNIFF_BYTES);
        Shape s = shapeOfPrefix(kept, keptLength, false);
        if (s != null) {
          decided(s, atNanos);
          if (!finished && used < n) {
            take(Arrays.copyOfRange(b, used, n), n - used, atNanos);
          }
        }
      }
    }
  }

  private void decided(Shape s, long atNanos) {
    byte[] prefix = Arrays.copyOf(kept, keptLength);
    shape = s;
    kept = new byte[s == Shape.EVENTS ? 0 : 1024];
    keptLength = 0;
    if (s == Shape.EVENTS) {
      sse = new SseBody(rec::accept);
    }
    if (prefix.length > 0) {
      take(prefix, prefix.length, atNanos);
    }
  }

  private void keep(byte[] b, int off, int n, int max) {
    int take = Math.min(n, max - keptLength);
    if (take <= 0) {
      return;
    }
    if (keptLength + take > kept.length) {
      kept = Arrays.copyOf(kept, Math.min(max, Math.max(keptLength + take, kept.length * 2)));
    }
    System.arraycopy(b, off, kept, keptLength, take);
    keptLength += take;
  }

  /** The body ended cleanly at {@code atNanos}. */
  private void endOfBody(long atNanos) {
    switch (shape) {
      case EVENTS -> {
        sse.end(atNanos);
        if (!sse.stopped()) {
          Failure cancelledBy = handle.cancelFailure();
          if (cancelledBy != null && !rec.sawDone() && rec.finishReason() == null) {
            rec.fail(cancelledBy);
          }
          rec.endOfStream();
        }
        finish(atNanos, true);
      }
      case JSON -> {
        singleJson(atNanos);
        finish(atNanos, true);
      }
      case SNIFF -> {
        Shape s = shapeOfPrefix(kept, keptLength, true);
        decided(s, atNanos);
        if (!finished) {
          endOfBody(atNanos);
        }
      }
      case ERROR, OTHER -> endOfKept();
    }
  }

  /** An error or unusable body has been read far enough: the request fails with it. */
  private void endOfKept() {
    long at = conn != null ? conn.readNanos() : clock.nowNanos();
    if (shape == Shape.ERROR) {
      String excerpt = Excerpts.oneLine(kept, 0, keptLength, Excerpts.MAX_CHARS);
      if (excerpt.isEmpty() && reasonPhrase != null && !reasonPhrase.isBlank()) {
        excerpt = Excerpts.oneLine(reasonPhrase, Excerpts.MAX_CHARS);
      }
      rec.fail(Failures.ofStatus(status, excerpt, retryAfter, java.time.Instant.now()));
    } else {
      rec.fail(notAnAnswer(contentType, kept, keptLength));
    }
    finish(at, bodyEnded);
  }

  /**
   * A 200 answer that is not an event stream (the server ignored {@code stream: true}): when it is
   * a completion object it counts as one event, stamped when the whole body has arrived, which is
   * when the client saw its first token; anything else is malformed.
   */
  private void singleJson(long atNanos) {
    Chunk ch = ChunkParser.parse(kept, 0, keptLength);
    if (ch.isMalformed() || (!ch.hasChoices() && ch.errorMessage() == null)) {
      rec.fail(notAnAnswer(contentType, kept, keptLength));
      return;
    }
    rec.accept(atNanos, ch);
  }

  private static Failure.Malformed notAnAnswer(String type, byte[] bytes, int length) {
    return new Failure.Malformed(
        "HTTP 200 answer with Content-Type "
            + (type == null ? "(none)" : mediaType(type))
            + " is neither an event stream nor a completion: "
            + Excerpts.oneLine(bytes, 0, length, ChunkParser.EXCERPT_CHARS));
  }

  private static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /** The connection closed, or failed with {@code cause}, before the exchange ended. */
  void onClosed(Connection c, Throwable cause) {
    if (c != conn) {
      return;
    }
    if (finished) {
      // Closed while draining after [DONE]: nothing is lost.
      conn = null;
      c.carry(null);
      handOver();
      return;
    }
    if (cause != null
        && !(cause instanceof IOException)
        && !(cause instanceof io.netty.handler.codec.DecoderException)) {
      // Thrown by the client's own code on the read path, not by the connection.
      failByClient(cause);
      return;
    }
    long at = clock.nowNanos();
    Failure cancelledBy = handle.cancelFailure();
    if (cancelledBy != null) {
      cancelled();
      return;
    }
    int phase = handle.phase();
    if (phase < RequestHandle.HEADERS && handle.onPooledConnection() && !retried) {
      // A kept-alive connection the engine had already closed: the engine never saw the request.
      retry(c);
      return;
    }
    if (phase == RequestHandle.HEADERS && shape != null) {
      // A line cut off by the close is not an event: it is dropped, not parsed.
      if (rec.sawDone() || (shape == Shape.EVENTS && rec.finishReason() != null)) {
        // Dropped after the finish reason: only [DONE] (and perhaps usage) is missing.
        finish(at, false);
        return;
      }
      if (shape == Shape.ERROR || shape == Shape.OTHER) {
        endOfKept();
        return;
      }
    }
    IOException e =
        cause instanceof IOException io
            ? io
            : new IOException(
                cause == null ? "the engine closed the connection" : Failures.describe(cause),
                cause);
    fail(Failures.ofException(e, phase, rec.eventCount(), timeouts));
  }

  private void retry(Connection stale) {
    retried = true;
    stale.carry(null);
    conn = null;
    stale.channel().close();
    handle.beforeRetry();
    if (stale.isStream()) {
      // A stream of a shared HTTP/2 connection that died: a new connection, shared in turn.
      connectFresh(false);
      return;
    }
    client.switchToConnectionPerRequest();
    connectFresh(true);
  }

  private void cancelled() {
    if (finished) {
      return;
    }
    if (keepsBodyForFailure()) {
      endOfKept();
      return;
    }
    Failure why = handle.cancelFailure();
    if (why != null) {
      rec.fail(why);
    }
    finish(clock.nowNanos(), false);
  }

  private void fail(Failure f) {
    if (finished) {
      return;
    }
    if (keepsBodyForFailure()) {
      // The status (or the unusable answer) is the failure; what its body gave is its excerpt.
      endOfKept();
      return;
    }
    Failure cancelledBy = handle.cancelFailure();
    rec.fail(cancelledBy != null ? cancelledBy : f);
    finish(clock.nowNanos(), false);
  }

  /** Whether an error status or an unusable answer is being read: that is the failure. */
  private boolean keepsBodyForFailure() {
    return shape == Shape.ERROR || shape == Shape.OTHER;
  }

  private Failure connectFailure(Throwable cause) {
    if (cause instanceof ConnectTimeoutException || cause instanceof SslHandshakeTimeoutException) {
      return new Failure.Timeout(TimeoutPhase.CONNECT, timeouts.connect().toNanos());
    }
    Exception e = cause instanceof Exception ex ? ex : new IOException(cause);
    return Failures.ofException(e, RequestHandle.CONNECTING, 0, timeouts);
  }

  private void scheduleIdleCheck(long inNanos) {
    idleTimer = loop.schedule(guarded(this::idleCheck), inNanos, TimeUnit.NANOSECONDS);
  }

  private void idleCheck() {
    if (finished || conn == null) {
      return;
    }
    long quiet = clock.nowNanos() - conn.readNanos();
    long bound = timeouts.idle().toNanos();
    if (quiet >= bound) {
      fail(new Failure.Timeout(TimeoutPhase.IDLE, bound));
    } else {
      scheduleIdleCheck(bound - quiet);
    }
  }

  /**
   * Ends the exchange at {@code endNanos}. With {@code keepConnection}, a connection whose body
   * ended (or may still end, after [DONE]) can serve another request; otherwise it is closed.
   */
  private void finish(long endNanos, boolean keepConnection) {
    if (finished) {
      return;
    }
    finished = true;
    if (firstByteTimer != null) {
      firstByteTimer.cancel(false);
    }
    if (totalTimer != null) {
      totalTimer.cancel(false);
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
    }
    Connection c = conn;
    if (c != null) {
      boolean reusable =
          keepConnection && keepAlive && !connectionClose && handle.cancelFailure() == null;
      if (reusable && bodyEnded) {
        conn = null;
        c.carry(null);
        client.release(c);
      } else if (reusable) {
        // [DONE] came before the body's end: wait a little for it, else close.
        pending = trace(endNanos);
        loop.schedule(
            () -> {
              if (conn == c) {
                conn = null;
                c.carry(null);
                c.channel().close();
                handOver();
              }
            },
            DRAIN_NANOS,
            TimeUnit.NANOSECONDS);
        return;
      } else {
        conn = null;
        c.carry(null);
        c.channel().close();
      }
    }
    result.complete(trace(endNanos));
  }

  /** Hands over the trace held while the connection drained. */
  private void handOver() {
    RequestTrace t = pending;
    if (t != null) {
      pending = null;
      result.complete(t);
    }
  }

  private RequestTrace trace(long endNanos) {
    long send = sendNanos;
    return new RequestTrace(
        id,
        warmup,
        intendedNanos,
        send,
        handle.headersAtNanos(),
        Math.max(endNanos, send),
        status,
        rec.events(),
        rec.usage(),
        rec.timings(),
        rec.finishReason(),
        rec.failure());
  }

  // ---- body shapes

  private static Shape shapeOfType(String contentType) {
    if (contentType == null) {
      return Shape.SNIFF;
    }
    String t = mediaType(contentType);
    if (t.equals("text/event-stream")) {
      return Shape.EVENTS;
    }
    if (t.equals("application/json") || t.endsWith("+json")) {
      return Shape.JSON;
    }
    return Shape.SNIFF;
  }

  /**
   * An unlabelled body's shape from its first bytes (an SSE field or comment, or a JSON object), or
   * null when more bytes are needed; {@code complete} when there are no more.
   */
  private static Shape shapeOfPrefix(byte[] b, int length, boolean complete) {
    int i = 0;
    while (i < length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    if (i == length) {
      // Nothing but white space: an empty body reads as a stream, which then ends truncated.
      return complete || length >= SNIFF_BYTES ? Shape.EVENTS : null;
    }
    if (b[i] == '{') {
      return Shape.JSON;
    }
    if (b[i] == ':') {
      return Shape.EVENTS;
    }
    int headLength = Math.min(6, length - i);
    String head = new String(b, i, headLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    for (String field : new String[] {"data", "event", "id", "retry"}) {
      if (head.startsWith(field + ":")) {
        return Shape.EVENTS;
      }
      if (field.startsWith(head) && !complete && headLength < 6 && length < SNIFF_BYTES) {
        return null; // could still become this field
      }
      if (complete && head.equals(field)) {
        return Shape.EVENTS;
      }
    }
    return Shape.OTHER;
  }
}
