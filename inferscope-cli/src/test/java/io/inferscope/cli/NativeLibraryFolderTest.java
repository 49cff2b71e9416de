package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NativeLibraryFolder}: what it copies out of a jar, and the folder time it leaves. */
class NativeLibraryFolderTest {

  private static void jar(Path jar, String... namesAndContents) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes());
        zip.closeEntry();
      }
    }
  }

  @Test
  void copiesTheJarsTopLevelNativeLibrariesOnly(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("x.jar");
    jar(
        jar,
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
    try (var files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("liba_x86_64.so", "libb.so");
    }
    assertThat(Files.readString(folder.resolve("liba_x86_64.so"))).isEqualTo("first library");
    assertThat(Files.readString(folder.resolve("libb.so"))).isEqualTo("second");
  }

  /** A new jar's libraries replace the old ones, and the folder ends newer than the jar. */
  @Test
  void aRebuiltJarReplacesTheLibrariesAndTheFolderEndsNewerThanTheJar(@TempDir Path dir)
      throws Exception {
    Path jar = dir.resolve("x.jar");
    Path folder = dir.resolve("x.native");
    jar(jar, "META-INF/native/liba.so", "old");
    NativeLibraryFolder.write(jar, folder);
    Files.setLastModifiedTime(folder, FileTime.fromMillis(1_000));

    jar(jar, "META-INF/native/liba.so", "new");
    Files.setLastModifiedTime(jar, FileTime.from(java.time.Instant.now()));
    NativeLibraryFolder.write(jar, folder);

    assertThat(Files.readString(folder.resolve("liba.so"))).isEqualTo("new");
    assertThat(Files.getLastModifiedTime(folder)).isGreaterThan(Files.getLastModifiedTime(jar));
    try (var files = Files.list(folder)) {
      assertThat(files).hasSize(1);
    }
  }
}
