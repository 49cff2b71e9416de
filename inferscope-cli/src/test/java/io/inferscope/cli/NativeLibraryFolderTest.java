package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NativeLibraryFolder}: what it copies out of a jar, what it removes, and its stamp. */
class NativeLibraryFolderTest {

  private static Path jar(Path jar, String... namesAndContents) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes());
        zip.closeEntry();
      }
    }
    // As a build leaves it: older than anything made from it afterwards, on any file system's
    // time resolution.
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(10)));
    return jar;
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void copiesTheJarsTopLevelNativeLibrariesOnlyReadableByAllAndStampsTheFolderLast(
      @TempDir Path dir) throws Exception {
    Path jar =
        jar(
            dir.resolve("x.jar"),
            "META-INF/native/",
            "",
            "META-INF/native/liba_x86_64.so",
            "first library",
            "META-INF/native/libb.so",
            "second",
            "META-INF/native/README.txt",
            "not a library",
            "META-INF/native/sub/libc.so",
            "nested: not where Netty looks",
            "io/x/Y.class",
            "class");
    Path folder = dir.resolve("x.native");

    List<Path> written = NativeLibraryFolder.write(jar, folder);

    assertThat(written)
        .containsExactly(folder.resolve("liba_x86_64.so"), folder.resolve("libb.so"));
    assertThat(names(folder))
        .containsExactly(NativeLibraryFolder.STAMP, "liba_x86_64.so", "libb.so");
    assertThat(Files.readString(folder.resolve("liba_x86_64.so"))).isEqualTo("first library");
    assertThat(Files.readString(folder.resolve("libb.so"))).isEqualTo("second");
    // The image copies as root and runs as user 10001.
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(0))))
        .isEqualTo("rw-r--r--");
    Path stamp = folder.resolve(NativeLibraryFolder.STAMP);
    assertThat(Files.getLastModifiedTime(stamp)).isGreaterThan(Files.getLastModifiedTime(jar));
    for (Path lib : written) {
      assertThat(Files.getLastModifiedTime(stamp))
          .isGreaterThanOrEqualTo(Files.getLastModifiedTime(lib));
    }
  }

  /**
   * A rebuilt jar's libraries replace the old ones; what the old jar carried and this one does not,
   * and a killed copy's temporary file, are removed; what is not of the folder's kinds stays.
   */
  @Test
  void aRebuiltJarReplacesTheLibrariesAndRemovesWhatAnEarlierCopyLeft(@TempDir Path dir)
      throws Exception {
    Path folder = dir.resolve("x.native");
    NativeLibraryFolder.write(
        jar(
            dir.resolve("old.jar"),
            "META-INF/native/liba.so",
            "old",
            "META-INF/native/libz.so",
            "z"),
        folder);
    Files.writeString(folder.resolve(".copy-123.tmp"), "killed mid-copy");
    Files.writeString(folder.resolve("notes.txt"), "someone's");

    NativeLibraryFolder.write(jar(dir.resolve("x.jar"), "META-INF/native/liba.so", "new"), folder);

    assertThat(Files.readString(folder.resolve("liba.so"))).isEqualTo("new");
    assertThat(names(folder)).containsExactly(NativeLibraryFolder.STAMP, "liba.so", "notes.txt");
  }

  /** A jar without libraries leaves a complete, empty folder: naming it changes nothing. */
  @Test
  void aJarWithoutLibrariesLeavesAnEmptyStampedFolder(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("x.native");
    assertThat(NativeLibraryFolder.write(jar(dir.resolve("x.jar"), "io/x/Y.class", "c"), folder))
        .isEmpty();
    assertThat(names(folder)).containsExactly(NativeLibraryFolder.STAMP);
  }

  /** A copy that fails leaves no stamp, so the launcher never names a half-made folder. */
  @Test
  void aFailedCopyLeavesNoStamp(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("x.native");
    NativeLibraryFolder.write(jar(dir.resolve("a.jar"), "META-INF/native/liba.so", "a"), folder);
    // The library's name taken by a folder: the move over it fails.
    Path jar = jar(dir.resolve("b.jar"), "META-INF/native/libb.so", "b");
    Files.createDirectories(folder.resolve("libb.so").resolve("x"));

    assertThatThrownBy(() -> NativeLibraryFolder.write(jar, folder))
        .isInstanceOf(IOException.class);

    assertThat(names(folder)).doesNotContain(NativeLibraryFolder.STAMP);
    assertThat(names(folder)).noneMatch(n -> n.endsWith(".tmp"));
  }
}
