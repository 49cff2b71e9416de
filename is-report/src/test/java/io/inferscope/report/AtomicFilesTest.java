package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesContentCreatingParentsAndLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("a/b/report.json");
    AtomicFiles.write(target, new byte[] {1, 2, 3});
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    assertThat(names(target.getParent())).containsExactly("report.json");
  }

  @Test
  void replacesExistingContent() throws IOException {
    Path target = dir.resolve("report.txt");
    Files.writeString(target, "old content that is longer than the new one");
    AtomicFiles.write(target, "new ✓");
    assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("new ✓");
    assertThat(names(dir)).containsExactly("report.txt");
  }

  @Test
  void relativeTargetIsWrittenToo() throws IOException {
    Path target = Path.of("target", "atomic-files-test", "relative.txt");
    try {
      AtomicFiles.write(target, "x");
      assertThat(Files.readString(target)).isEqualTo("x");
    } finally {
      Files.deleteIfExists(target);
      Files.deleteIfExists(target.getParent());
    }
  }

  @Test
  void failureLeavesNoTemporaryFileAndNamesTheTargetInOneLine() throws IOException {
    Path target = dir.resolve("taken");
    Files.createDirectory(target);
    assertThatThrownBy(() -> AtomicFiles.write(target, "content"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot write " + target + ": ")
        .message()
        .doesNotContain("\n")
        .doesNotContain(".tmp");
    assertThat(names(dir)).containsExactly("taken");
    assertThat(Files.isDirectory(target)).isTrue();
  }

  @Test
  void parentThatIsAFileFailsCleanly() throws IOException {
    Path file = dir.resolve("plain");
    Files.writeString(file, "keep");
    Path target = file.resolve("report.json");
    assertThatThrownBy(() -> AtomicFiles.write(target, "content"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot write " + target + ": ")
        .message()
        .doesNotContain("\n");
    assertThat(names(dir)).containsExactly("plain");
    assertThat(Files.readString(file)).isEqualTo("keep");
  }
}
