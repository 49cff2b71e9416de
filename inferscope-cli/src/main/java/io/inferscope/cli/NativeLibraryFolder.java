package io.inferscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Copies the native libraries this jar carries ({@code META-INF/native/*.so}: Netty's epoll
 * transport) into a folder, once per build, for the launcher and the image to name in {@code
 * -Djava.library.path}:
 *
 * <pre>java -cp inferscope.jar io.inferscope.cli.NativeLibraryFolder FOLDER</pre>
 *
 * <p>Why: Netty asks {@code System.loadLibrary} first and, when that fails, copies the library out
 * of the jar into a temporary file and loads that, at every start. That copy is on the reader's
 * set-up, the longest path to a run's first request: with the library found on the path the set-up
 * ends 17–35 ms earlier (ADR 0023, docs/benchmarks.md "Start-up"). A JVM started without the
 * option, or with a folder that lacks its library, loads as before.
 *
 * <p>Each library is written under a temporary name in the folder and then moved over its name, so
 * a JVM that starts meanwhile finds a whole library or none. The folder's time is set last: the
 * launcher takes a folder newer than the jar as made for it. Exit status 0, or 1 with one line on
 * stderr naming the cause.
 */
public final class NativeLibraryFolder {
  /** Where Netty looks for its libraries inside a jar. */
  static final String PREFIX = "META-INF/native/";

  private NativeLibraryFolder() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println(
          "usage: java -cp inferscope.jar " + NativeLibraryFolder.class.getName() + " FOLDER");
      System.exit(2);
    }
    try {
      write(ownJar(), Path.of(args[0]));
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "inferscope: could not copy the native libraries to "
              + args[0]
              + " ("
              + e
              + "); inferscope starts without them, only slower");
      System.exit(1);
    }
  }

  /**
   * Copies every {@code META-INF/native/*.so} of {@code jar} into {@code folder} (made if absent)
   * and returns the files written; the folder's time is set after the last one.
   */
  static List<Path> write(Path jar, Path folder) throws IOException {
    Files.createDirectories(folder);
    List<Path> written = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String name = e.getName();
        if (e.isDirectory()
            || !name.startsWith(PREFIX)
            || !name.endsWith(".so")
            || name.indexOf('/', PREFIX.length()) >= 0) {
          continue;
        }
        Path target = folder.resolve(name.substring(PREFIX.length()));
        Path tmp = Files.createTempFile(folder, ".copy-", ".tmp");
        try (InputStream in = zip.getInputStream(e)) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(
              tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        written.add(target);
      }
    }
    Files.setLastModifiedTime(folder, FileTime.from(Instant.now()));
    return written;
  }

  private static Path ownJar() {
    try {
      Path p =
          Path.of(
              NativeLibraryFolder.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("not run from a jar but from " + p);
      }
      return p;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
