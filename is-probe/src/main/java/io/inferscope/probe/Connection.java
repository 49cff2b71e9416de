package io.inferscope.probe;

import io.inferscope.core.RunClock;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection to the engine and the request it currently carries. Its first handler stamps every
 * read from the socket on the run clock (one clock read per read, however many events it holds);
 * its last hands the decoded response to the current {@link StreamExchange}. Used only on its
 * channel's event loop.
 */
final class Connection {
  static final String STAMP = "stamp";
  static final String DISPATCH = "dispatch";

  private static final AttributeKey<Connection> KEY = AttributeKey.valueOf("inferscope.connection");

  private final Channel channel;
  private final RunClock clock;

  /** The HTTP/2 connection this stream belongs to, or null for a connection of its own. */
  private final Connection parent;

  /** Streams open on this HTTP/2 connection (any thread reads it; its loop writes it). */
  private final java.util.concurrent.atomic.AtomicInteger streams =
      new java.util.concurrent.atomic.AtomicInteger();

  private volatile boolean http2;
  private long readNanos;
  private long idleSinceNanos;
  private StreamExchange current;

  private Connection(Channel channel, RunClock clock, Connection parent) {
    this.channel = channel;
    this.clock = clock;
    this.parent = parent;
    this.readNanos = clock.nowNanos();
  }

  /** Adds the stamp first and the dispatch last to a new channel's pipeline. */
  static void install(Channel ch, RunClock clock) {
    Connection c = new Connection(ch, clock, null);
    ch.attr(KEY).set(c);
    ch.pipeline().addFirst(STAMP, c.new Stamp());
    ch.pipeline().addLast(DISPATCH, c.new Dispatch());
  }

  /**
   * Makes {@code stream}, an HTTP/2 stream of {@code parent}, a connection of its own for one
   * exchange: its events are stamped with the parent's socket read that brought them.
   */
  static Connection installStream(Channel stream, Connection parent) {
    Connection c = new Connection(stream, parent.clock, parent);
    stream.attr(KEY).set(c);
    stream.pipeline().addLast(DISPATCH, c.new Dispatch());
    parent.streams.incrementAndGet();
    stream.closeFuture().addListener(f -> parent.streams.decrementAndGet());
    return c;
  }

  /** Whether this is an HTTP/2 stream (closed after its exchange, never pooled). */
  boolean isStream() {
    return parent != null;
  }

  /** Whether this connection speaks HTTP/2 and carries streams. */
  boolean http2() {
    return http2;
  }

  void http2(boolean on) {
    http2 = on;
  }

  /** Streams open on this HTTP/2 connection. */
  int streams() {
    return streams.get();
  }

  static Connection of(Channel ch) {
    return ch.attr(KEY).get();
  }

  Channel channel() {
    return channel;
  }

  /** When the socket was last read (run clock). */
  long readNanos() {
    return readNanos;
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  void idleSince(long nanos) {
    idleSinceNanos = nanos;
  }

  /** Hands the connection to {@code ex}, or to nobody (null). */
  void carry(StreamExchange ex) {
    current = ex;
  }

  private final class Stamp extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      readNanos = clock.nowNanos();
      ctx.fireChannelRead(msg);
    }
  }

  private final class Dispatch extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (parent != null) {
        // The stream's frames came in the parent's socket read: its stamp is theirs.
        readNanos = parent.readNanos;
      }
      try {
        StreamExchange ex = current;
        if (ex == null) {
          // Bytes on an idle connection answer nothing we asked: the connection is unusable.
          ctx.close();
        } else if (msg instanceof HttpResponse r) {
          ex.onResponse(Connection.this, r, readNanos);
          if (msg instanceof HttpContent c && current == ex) {
            ex.onContent(Connection.this, c, readNanos);
          }
        } else if (msg instanceof HttpContent c) {
          ex.onContent(Connection.this, c, readNanos);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      StreamExchange ex = current;
      if (ex != null) {
        ex.onClosed(Connection.this, null);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      StreamExchange ex = current;
      if (ex != null) {
        ex.onClosed(Connection.this, cause);
      }
      ctx.close();
    }
  }
}
