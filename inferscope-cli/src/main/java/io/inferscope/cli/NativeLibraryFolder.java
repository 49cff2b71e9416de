package io.inferscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * of the jar into a temporary file and loads that, at every start. Loaded from the folder instead,
 * it takes about 10 ms less, on the reader's set-up, which runs beside the main thread's way to a
 * run's first request (ADR 0023). A JVM started without the option, or with a folder that lacks its
 * library, loads it as before.
 *
 * <p>The folder is complete when its stamp file ({@value #STAMP}) is there: the stamp is removed
 * first and written last, and each library is written under a temporary name and then moved over
 * its name, so a JVM that starts meanwhile finds a whole library or none. Exit status 0; 1 with one
 * line on stderr naming the cause and the fix; 2 for a wrong command line. {@code bench startup}
 * names the folder as the launcher does, through {@link #besideJar} and {@link #madeFor}.
 */
public final class NativeLibraryFolder {
  /** Where Netty looks for its libraries inside a jar. */
  static final String PREFIX = "META-INF/native/";

  /** Written last: the folder is complete, for the jar older than this file. */
  public static final String STAMP = ".made";

  private static final String TEMP_PREFIX = ".copy-";

  private NativeLibraryFolder() {}

  /**
   * The folder the launcher makes for {@code jar}: {@code inferscope.jar} → {@code
   * inferscope.native}.
   */
  public static Path besideJar(Path jar) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(
        (name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name) + ".native");
  }

  /**
   * Whether {@code folder} is complete for {@code jar}: its stamp newer than the jar, as the
   * launcher checks. False when either cannot be read.
   */
  public static boolean madeFor(Path folder, Path jar) {
    Path stamp = folder.resolve(STAMP);
    try {
      return Files.isRegularFile(stamp)
          && Files.getLastModifiedTime(stamp).compareTo(Files.getLastModifiedTime(jar)) > 0;
    } catch (IOException e) {
      return false; // the launcher's test would fail too, and it starts without the folder
    }
  }

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
              + Errors.oneLine(e.toString())
              + "): make it writable or delete it; inferscope starts without it, only slower");
      System.exit(1);
    }
  }

  /**
   * Copies every {@code META-INF/native/*.so} of {@code jar} into {@code folder} (made if absent),
   * removes what an earlier copy left there that the jar does not carry, writes the stamp last and
   * returns the libraries written.
   */
  static List<Path> write(Path jar, Path folder) throws IOException {
    Files.createDirectories(folder);
    Path stamp = folder.resolve(STAMP);
    Files.deleteIfExists(stamp);
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
        Path tmp = Files.createTempFile(folder, TEMP_PREFIX, ".tmp");
        try (InputStream in = zip.getInputStream(e)) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          readableByAll(tmp);
          Files.move(
              tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        written.add(target);
      }
    }
    removeLeftovers(folder, new HashSet<>(written));
    Path tmp = Files.createTempFile(folder, TEMP_PREFIX, ".tmp");
    try {
      Files.writeString(tmp, jar + "\n");
      readableByAll(tmp);
      Files.move(tmp, stamp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return written;
  }

  /**
   * Libraries an earlier jar carried and this one does not, and temporary files a killed copy left:
   * only files of this folder's own kinds.
   */
  private static void removeLeftovers(Path folder, Set<Path> keep) throws IOException {
    List<Path> gone = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        boolean ours = n.endsWith(".so") || (n.startsWith(TEMP_PREFIX) && n.endsWith(".tmp"));
        if (ours && !keep.contains(f) && Files.isRegularFile(f)) {
          gone.add(f);
        }
      }
    }
    for (Path f : gone) {
      Files.deleteIfExists(f);
    }
  }

  /**
   * rw-r--r--: the image copies as root and runs as another user, who must read the library (a
   * temporary file is made owner-only).
   */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its defaults stand.
    }
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
