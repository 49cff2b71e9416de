package io.inferscope.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader sees either the old content or the whole new content, never a
 * half-written report (a run interrupted while saving must not destroy the previous report).
 */
public final class AtomicFiles {

  private static final int CREATE_ATTEMPTS = 16;

  private AtomicFiles() {}

  /** Writes {@code content} as UTF-8; see {@link #write(Path, byte[])}. */
  public static void write(Path target, String content) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code content} to {@code target}: to a temporary file in the same directory first,
   * forced to disk, then renamed over the target in one step. Creates missing parent directories.
   * On failure the temporary file is removed and the target is left as it was.
   *
   * @throws IOException with a one-line message naming the target and the cause
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path name = absolute.getFileName();
    if (dir == null || name == null) {
      throw new IOException("cannot write " + target + ": not a file path");
    }
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = createTemp(dir, name.toString());
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(
          temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (IOException | RuntimeException e) {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw new IOException("cannot write " + target + ": " + describe(e), e);
    }
    syncDirectory(dir);
  }

  /**
   * Creates the temporary file with the default permissions of new files: {@link
   * Files#createTempFile} would make it owner-only, and the rename would carry that over to the
   * report.
   */
  private static Path createTemp(Path dir, String name) throws IOException {
    FileAlreadyExistsException last = null;
    for (int i = 0; i < CREATE_ATTEMPTS; i++) {
      String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
      Path temp = dir.resolve("." + name + "." + suffix + ".tmp");
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Forces the rename itself to disk. Best effort: some platforms cannot open a directory, and the
   * content is already safe either way.
   */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException ignored) {
      // Nothing to do: the new content is complete on disk, only the rename may not be yet.
    }
  }

  /** The cause in one line, without the temporary file's name where the system gives a reason. */
  static String describe(Throwable e) {
    String text;
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      text = fse.getReason();
    } else if (e instanceof FileSystemException fse) {
      text = e.getClass().getSimpleName() + " " + fse.getFile();
    } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
      text = e.getMessage();
    } else {
      text = e.getClass().getSimpleName();
    }
    return Fmt.singleLine(text);
  }
}
