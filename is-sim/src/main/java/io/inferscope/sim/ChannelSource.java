package io.inferscope.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * Reads one connection's requests from its channel, in blocking mode. While a request waits for a
 * slot, the {@link Streamer} reads ahead here to learn whether the client left ({@link
 * #readAhead}); the bytes it reads (a pipelined request) are kept and read first afterwards, so
 * watching loses nothing.
 */
final class ChannelSource extends InputStream {

  /** The most bytes kept from reading ahead: plenty for pipelined requests. */
  private static final int READ_AHEAD_LIMIT = 64 * 1024;

  private final InputStream in;
  private final SocketChannel channel;
  private byte[] ahead = new byte[0];
  private int aheadStart;
  private int aheadEnd;
  private boolean ended;

  ChannelSource(SocketChannel channel) throws IOException {
    this.channel = channel;
    this.in = channel.socket().getInputStream();
  }

  /**
   * With the channel non-blocking, on the streamer's thread: reads what the client has sent.
   *
   * @return whether the client has closed its side of the connection
   */
  boolean readAhead() throws IOException {
    if (ended) {
      return true;
    }
    if (aheadStart == aheadEnd) {
      aheadStart = 0;
      aheadEnd = 0;
    }
    if (aheadEnd == ahead.length) {
      ahead = Arrays.copyOf(ahead, Math.min(READ_AHEAD_LIMIT, Math.max(4096, ahead.length * 2)));
    }
    int n = channel.read(ByteBuffer.wrap(ahead, aheadEnd, ahead.length - aheadEnd));
    if (n < 0) {
      ended = true;
    } else {
      aheadEnd += n;
    }
    return ended;
  }

  /** Whether {@link #readAhead} has room for more bytes. */
  boolean canReadAhead() {
    return aheadEnd < READ_AHEAD_LIMIT;
  }

  @Override
  public int read() throws IOException {
    if (aheadStart < aheadEnd) {
      return ahead[aheadStart++] & 0xFF;
    }
    return ended ? -1 : in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (aheadStart < aheadEnd) {
      int n = Math.min(len, aheadEnd - aheadStart);
      System.arraycopy(ahead, aheadStart, b, off, n);
      aheadStart += n;
      return n;
    }
    return ended ? -1 : in.read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return aheadEnd - aheadStart + (ended ? 0 : in.available());
  }
}
