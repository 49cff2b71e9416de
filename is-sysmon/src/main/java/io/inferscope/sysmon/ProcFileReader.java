package io.inferscope.sysmon;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads small {@code /proc} files into one reused buffer, either by path (open, read, close) or
 * through a channel kept open across reads (one positional read at offset 0, which makes the kernel
 * generate the file afresh). The sampler reads a few files per process per tick, so system calls
 * are what cost. Not thread-safe; one per sampler.
 *
 * <p>A read that returns less than the buffer holds is taken as the whole file: {@code /proc} text
 * files are generated whole on the first read, and regular files end where the read stops short. A
 * full buffer is grown and the file read again.
 */
final class ProcFileReader {
  private byte[] bytes = new byte[4096];
  private ByteBuffer direct = ByteBuffer.allocateDirect(4096);

  /** Reads the file at {@code path}; its bytes are {@code buffer()[0..returned)}. */
  int read(String path) throws IOException {
    while (true) {
      try (FileInputStream in = new FileInputStream(path)) {
        int n = Math.max(0, in.read(bytes, 0, bytes.length));
        if (n < bytes.length) {
          return n;
        }
      }
      bytes = new byte[bytes.length * 2];
    }
  }

  /** Reads a kept channel's file from its start; its bytes are {@code buffer()[0..returned)}. */
  int read(FileChannel channel) throws IOException {
    while (true) {
      direct.clear();
      int n = Math.max(0, channel.read(direct, 0));
      if (n < direct.capacity()) {
        if (bytes.length < n) {
          bytes = new byte[direct.capacity()];
        }
        direct.flip();
        direct.get(bytes, 0, n);
        return n;
      }
      direct = ByteBuffer.allocateDirect(direct.capacity() * 2);
    }
  }

  static FileChannel open(String path) throws IOException {
    return FileChannel.open(Path.of(path), StandardOpenOption.READ);
  }

  byte[] buffer() {
    return bytes;
  }
}
