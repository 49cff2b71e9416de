package io.inferscope.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Writes to one connection's channel. In blocking mode a write returns once every byte is in the
 * socket; in non-blocking mode (while the {@link Streamer} streams) what the socket does not take
 * waits in a backlog, so that a client that stops reading holds up its own stream and no other.
 */
final class ChannelSink extends OutputStream {

  private final SocketChannel channel;
  private final ChannelSource source;
  private ByteBuffer view = ByteBuffer.allocate(0);

  /** Bytes not yet taken by the socket, in write mode; empty when none. */
  private ByteBuffer backlog = ByteBuffer.allocate(0);

  /** Events whose bytes wait in the backlog, and when the first of them was due. */
  private int pendingEvents;

  private long pendingDueNanos;

  /** {@code source} reads the same connection's requests. */
  ChannelSink(SocketChannel channel, ChannelSource source) {
    this.channel = channel;
    this.source = source;
  }

  SocketChannel channel() {
    return channel;
  }

  ChannelSource source() {
    return source;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (backlogged()) {
      append(b, off, len);
      return;
    }
    // One view of the caller's buffer, kept while it is the same array: no allocation per event.
    if (view.array() != b) {
      view = ByteBuffer.wrap(b);
    }
    view.limit(off + len).position(off);
    while (view.hasRemaining()) {
      if (channel.write(view) == 0) {
        append(b, view.position(), view.remaining());
        return;
      }
    }
  }

  /** Whether written bytes still wait for the socket. */
  boolean backlogged() {
    return backlog.position() > 0;
  }

  /** Books an event whose bytes wait in the backlog, due at {@code dueNanos} (absolute). */
  void pending(long dueNanos) {
    if (pendingEvents++ == 0) {
      pendingDueNanos = dueNanos;
    }
  }

  /**
   * Writes what the socket takes of the backlog; when it is all written, books the lateness of the
   * events that waited in it.
   *
   * @return whether the backlog is empty
   */
  boolean drain(ScheduleRecorder lateness) throws IOException {
    backlog.flip();
    try {
      channel.write(backlog);
    } finally {
      backlog.compact();
    }
    if (backlogged()) {
      return false;
    }
    long now = System.nanoTime();
    for (; pendingEvents > 0; pendingEvents--) {
      lateness.record(now - pendingDueNanos);
    }
    return true;
  }

  private void append(byte[] b, int off, int len) {
    if (backlog.remaining() < len) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(backlog.capacity() * 2, backlog.position() + len + 4096));
      backlog.flip();
      bigger.put(backlog);
      backlog = bigger;
    }
    backlog.put(b, off, len);
  }
}
