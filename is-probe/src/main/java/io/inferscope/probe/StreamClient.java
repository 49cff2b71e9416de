package io.inferscope.probe;

import io.inferscope.core.RunClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Sends a run's streaming requests and reads their answers on a few event-loop threads (epoll, or
 * NIO where Netty's native file does not load), each thread serving many connections per wake-up
 * (ADR 0011). Owns the run's connections: a pool of kept-alive ones, and the switch to one
 * connection per request once the engine is seen closing connections it advertised as kept alive.
 * Thread-safe.
 */
final class StreamClient implements AutoCloseable {
  /**
   * How long an idle kept-alive connection is kept. Shorter than the 5 s idle timeout of llama.cpp
   * (cpp-httplib) and of uvicorn (vLLM, SGLang): a request sent as the engine closes an idle
   * connection is lost before the engine sees it.
   */
  static final Duration POOL_KEEP_ALIVE = Duration.ofSeconds(4);

  /** Largest piece of a body the HTTP codec hands on at once. */
  static final int MAX_CHUNK_BYTES = 16 * 1024;

  private static final AtomicInteger RUNS = new AtomicInteger();

  static {
    // Netty 4.2 declares its buffer allocator's events to the JDK's flight recorder whenever the
    // recorder is there, recording or not: reading those events' annotations took about 80 ms of
    // the reader's set-up, before the first request (docs/benchmarks.md, "Start-up time to first
    // request"). Whoever records the client itself can ask for them with -Dio.netty.jfr.enabled.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    // Netty samples one buffer in 128 for leak tracking, recording a stack trace for each: a cost
    // per event on the read path for a check of Netty's own buffer handling.
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      io.netty.util.ResourceLeakDetector.setLevel(
          io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }
  }

  private final RunClock clock;
  private final Timeouts timeouts;
  private final Duration poolKeepAlive;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final SslContext ssl;
  private final String host;
  private final int port;
  private final String target;
  private final String hostHeader;
  private final byte[] body;
  private final String authorization;
  private final boolean epoll;

  /** Kept-alive connections waiting for a request, most recently used last. */
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

  private final AtomicBoolean engineClosesConnections = new AtomicBoolean();
  private volatile InetAddress address;

  /**
   * @param url the endpoint's URL (http or https)
   * @param eventLoops event-loop threads
   * @param trust the certificates trusted for https, or null for the platform's trust store
   */
  StreamClient(
      URI url,
      RunClock clock,
      Timeouts timeouts,
      Duration poolKeepAlive,
      byte[] body,
      String apiKey,
      int eventLoops,
      javax.net.ssl.TrustManagerFactory trust) {
    this.clock = clock;
    this.timeouts = timeouts;
    this.poolKeepAlive = poolKeepAlive;
    this.body = body.clone();
    this.authorization = apiKey == null ? null : "Bearer " + apiKey;
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    boolean https = scheme.equals("https");
    this.host =
        url.getHost().startsWith("[")
            ? url.getHost().substring(1, url.getHost().length() - 1)
            : url.getHost();
    this.port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    this.target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    boolean defaultPort = url.getPort() < 0 || url.getPort() == (https ? 443 : 80);
    this.hostHeader = url.getHost() + (defaultPort ? "" : ":" + port);
    this.ssl = https ? clientContext(trust) : null;
    int run = RUNS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t =
              new io.netty.util.concurrent.FastThreadLocalThread(
                  r, "inferscope-io-" + run + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(eventLoops, threads, io);
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                Math.clamp(timeouts.connect().toMillis(), 1, Integer.MAX_VALUE))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast("tls", tlsHandler(ch));
                      ch.pipeline().addLast("alpn", new Negotiation());
                    }
                    Connection.install(ch, clock);
                    ch.closeFuture().addListener(f -> closed(Connection.of(ch)));
                    ch.pipeline()
                        .addBefore(
                            Connection.DISPATCH,
                            "http",
                            new HttpClientCodec(4096, 16 * 1024, MAX_CHUNK_BYTES));
                  }
                });
  }

  /** Event-loop threads for a host of {@code cores}: one per two cores, 1 to 4. */
  static int eventLoopsFor(int cores) {
    Integer forced = Integer.getInteger("inferscope.eventLoops");
    if (forced != null && forced > 0) {
      return forced;
    }
    return Math.clamp(cores / 2, 1, 4);
  }

  /** TLS with ALPN (HTTP/2 first), trusting {@code trust}, or the platform's store when null. */
  private static SslContext clientContext(javax.net.ssl.TrustManagerFactory trust) {
    try {
      return SslContextBuilder.forClient()
          .trustManager(trust)
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  ApplicationProtocolNames.HTTP_2,
                  ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + Failures.describe(e), e);
    }
  }

  private SslHandler tlsHandler(SocketChannel ch) {
    SslHandler h = ssl.newHandler(ch.alloc(), host, port);
    SSLEngine engine = h.engine();
    SSLParameters p = engine.getSSLParameters();
    // Netty checks the chain, not the name: the certificate must be the engine's host's.
    p.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(p);
    h.setHandshakeTimeoutMillis(Math.max(1, timeouts.connect().toMillis()));
    return h;
  }

  /**
   * Starts request {@code id}; the future completes with its trace, whatever happens, once it has
   * ended. Resolves the host on the calling thread (never on an event loop).
   */
  CompletableFuture<io.inferscope.core.RequestTrace> start(
      int id, boolean warmup, long intendedNanos, RequestHandle handle) {
    return start(id, warmup, intendedNanos, handle, body);
  }

  /** {@link #start(int, boolean, long, RequestHandle)} sending {@code requestBody}. */
  CompletableFuture<io.inferscope.core.RequestTrace> start(
      int id, boolean warmup, long intendedNanos, RequestHandle handle, byte[] requestBody) {
    StreamExchange ex = exchange(id, warmup, intendedNanos, handle, requestBody);
    ex.start();
    return ex.result();
  }

  /**
   * Request {@code id}'s exchange, made ahead of its send: {@link StreamExchange#start()} sends it.
   */
  StreamExchange exchange(
      int id, boolean warmup, long intendedNanos, RequestHandle handle, byte[] requestBody) {
    return new StreamExchange(this, id, warmup, intendedNanos, handle, requestBody);
  }

  /**
   * Starts every event loop's thread and waits (within the connect timeout) until each has run a
   * task: a loop's thread starts at its first task, and that start, up to 4.4 ms on 2 busy cores,
   * was the first burst's send lag. Before the run's load.
   */
  void startLoops() {
    java.util.List<io.netty.util.concurrent.Future<?>> started = new java.util.ArrayList<>();
    for (io.netty.util.concurrent.EventExecutor e : group) {
      started.add(e.submit(() -> {}));
    }
    long deadline = System.nanoTime() + timeouts.connect().toNanos();
    for (io.netty.util.concurrent.Future<?> f : started) {
      // Not started in time: its first request starts it, as before.
      f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  RunClock clock() {
    return clock;
  }

  Timeouts timeouts() {
    return timeouts;
  }

  /**
   * The engine's address, resolved once per run (the open loop resolves it before its schedule).
   */
  InetSocketAddress address() throws UnknownHostException {
    InetAddress a = address;
    if (a == null) {
      a = InetAddress.getByName(host);
      address = a;
    }
    return new InetSocketAddress(a, port);
  }

  EventLoop nextLoop() {
    return group.next();
  }

  /** Opens a connection on {@code loop}. */
  ChannelFuture connect(EventLoop loop, InetSocketAddress to) {
    return bootstrap.clone(loop).connect(to);
  }

  /** A kept-alive connection that is still open and not too old, or null. */
  Connection pooled() {
    if (engineClosesConnections.get()) {
      return null;
    }
    long now = clock.nowNanos();
    Connection c;
    // The oldest idle connections past the keep-alive are closed, not left for the engine to
    // close under a request (the newest are taken first, so the oldest would otherwise wait).
    while ((c = idle.peekFirst()) != null
        && now - c.idleSinceNanos() >= poolKeepAlive.toNanos()
        && idle.remove(c)) {
      c.channel().close();
    }
    while ((c = idle.pollLast()) != null) {
      if (c.channel().isActive() && now - c.idleSinceNanos() < poolKeepAlive.toNanos()) {
        return c;
      }
      c.channel().close();
    }
    return null;
  }

  /** Returns a connection whose answer ended cleanly with keep-alive to the pool. */
  void release(Connection c) {
    if (c.isStream()) {
      // A stream ends with its exchange; its connection stays shared.
      c.channel().close();
      return;
    }
    if (engineClosesConnections.get() || !c.channel().isActive()) {
      c.channel().close();
      return;
    }
    c.idleSince(clock.nowNanos());
    idle.offerLast(c);
    if (!c.channel().isActive() && idle.remove(c)) {
      c.channel().close();
    }
  }

  /** Forgets a pooled connection the engine closed. */
  void closed(Connection c) {
    if (c.http2()) {
      shared.remove(c);
    } else {
      idle.remove(c);
    }
  }

  /** Streams an HTTP/2 connection carries at most before another is opened. */
  static final int STREAMS_PER_HTTP2_CONNECTION = 100;

  /** HTTP/2 connections, shared by the streams of many requests. */
  private final ConcurrentLinkedDeque<Connection> shared = new ConcurrentLinkedDeque<>();

  /** An open HTTP/2 connection with room for another stream, or null. */
  Connection sharedHttp2() {
    for (Connection c : shared) {
      if (c.channel().isActive() && c.streams() < STREAMS_PER_HTTP2_CONNECTION) {
        return c;
      }
    }
    return null;
  }

  /**
   * Sets the connection up for the protocol its TLS handshake chose, holding back what arrives
   * before (an HTTP/2 engine's first frames must not reach the HTTP/1.1 codec).
   */
  private final class Negotiation
      extends io.netty.handler.ssl.ApplicationProtocolNegotiationHandler {
    Negotiation() {
      super(ApplicationProtocolNames.HTTP_1_1);
    }

    @Override
    protected void configurePipeline(io.netty.channel.ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        becomeHttp2(Connection.of(ctx.channel()));
      }
    }
  }

  /**
   * Turns a connection whose TLS handshake chose HTTP/2 into one that carries streams: the HTTP/1.1
   * codec gives way to HTTP/2 framing, and each request opens a stream of it ({@link #openStream}).
   * Called on the connection's event loop.
   */
  private void becomeHttp2(Connection c) {
    io.netty.channel.ChannelPipeline p = c.channel().pipeline();
    p.remove("http");
    p.remove(Connection.DISPATCH);
    p.addLast(io.netty.handler.codec.http2.Http2FrameCodecBuilder.forClient().build());
    p.addLast(
        new io.netty.handler.codec.http2.Http2MultiplexHandler(
            new io.netty.channel.ChannelInboundHandlerAdapter()));
    c.http2(true);
    shared.add(c);
  }

  /** Opens a stream of an HTTP/2 connection, read as an HTTP/1.1 exchange would be. */
  io.netty.util.concurrent.Future<io.netty.handler.codec.http2.Http2StreamChannel> openStream(
      Connection parent) {
    return new io.netty.handler.codec.http2.Http2StreamChannelBootstrap(parent.channel())
        .handler(
            new ChannelInitializer<io.netty.handler.codec.http2.Http2StreamChannel>() {
              @Override
              protected void initChannel(io.netty.handler.codec.http2.Http2StreamChannel ch) {
                ch.pipeline()
                    .addLast(
                        new io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec(false));
                Connection.installStream(ch, parent);
              }
            })
        .open();
  }

  /**
   * Marks that the engine closes connections it advertised as kept alive: from now on each request
   * opens its own; idle pooled connections are as doomed as the one that failed. True for the call
   * that switched.
   */
  boolean switchToConnectionPerRequest() {
    if (!engineClosesConnections.compareAndSet(false, true)) {
      return false;
    }
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      c.channel().close();
    }
    return true;
  }

  boolean engineClosesConnections() {
    return engineClosesConnections.get();
  }

  /** The request, encoded per attempt (the body bytes are shared, not copied). */
  FullHttpRequest request(byte[] body, boolean connectionClose) {
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, target, Unpooled.wrappedBuffer(body));
    HttpHeaders h = r.headers();
    h.set(HttpHeaderNames.HOST, hostHeader);
    h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    h.set(HttpHeaderNames.ACCEPT, "text/event-stream");
    // A compressed stream arrives in compressor-sized batches: token timing would be lost.
    h.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
    h.set(HttpHeaderNames.USER_AGENT, "inferscope");
    if (authorization != null) {
      h.set(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    if (connectionClose) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  /**
   * Closes every connection and stops the event loops. A run closes it once every request has ended
   * or been cancelled; a request still open then ends as its connection closes.
   */
  @Override
  public void close() {
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      c.channel().close();
    }
    while ((c = shared.pollFirst()) != null) {
      c.channel().close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
