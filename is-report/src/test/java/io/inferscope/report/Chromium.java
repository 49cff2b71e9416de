package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium for the browser tests of the HTML pages. Required, never skipped: {@code
 * scripts/install-chromium} installs it.
 */
final class Chromium {

  private static final long TIMEOUT_SECONDS = 60;

  private Chromium() {}

  /** What Chromium wrote: stdout (e.g. the DOM), stderr (its log). */
  record Run(String stdout, String stderr) {}

  static Path binary() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/bin/chromium"));
    candidates.add(Path.of("/usr/bin/chromium-browser"));
    String path = System.getenv("PATH");
    for (String d : path == null ? new String[0] : path.split(":")) {
      candidates.add(Path.of(d, "chromium"));
      candidates.add(Path.of(d, "chromium-browser"));
    }
    for (Path p : candidates) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(
        "Chromium not found (looked for chromium and chromium-browser in /usr/bin and PATH): "
            + "run scripts/install-chromium");
  }

  /**
   * Opens {@code page} in a window of the size with the extra flags, in a fresh profile under
   * {@code dir}; fails unless Chromium exits 0 within 60 s.
   */
  static Run open(Path dir, Path page, String name, int width, int height, String... extra)
      throws Exception {
    Path profile = Files.createDirectory(dir.resolve("profile-" + name));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary().toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000",
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=" + width + "," + height));
    cmd.addAll(Arrays.asList(extra));
    cmd.add(page.toUri().toString());
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s; stderr:\n" + read(err));
    }
    String stderr = read(err);
    assertThat(p.exitValue()).as("Chromium exit status; stderr:\n%s", stderr).isZero();
    return new Run(read(out), stderr);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.ISO_8859_1);
  }

  /**
   * Lines where Chromium logged an uncaught error or any console message: its log does not tell a
   * console error from a console log, and the pages write to the console only on trouble.
   */
  static List<String> scriptErrors(String stderr) {
    return stderr.lines().filter(l -> l.contains("Uncaught") || l.contains(":CONSOLE")).toList();
  }

  /** Checks {@code png} is a PNG of the window's size. */
  static void assertPng(Path png, int width, int height) throws IOException {
    assertThat(png).exists();
    try (InputStream in = Files.newInputStream(png);
        DataInputStream data = new DataInputStream(in)) {
      byte[] magic = new byte[8];
      data.readFully(magic);
      assertThat(magic).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
      data.readInt(); // IHDR length
      byte[] type = new byte[4];
      data.readFully(type);
      assertThat(new String(type, StandardCharsets.US_ASCII)).isEqualTo("IHDR");
      assertThat(data.readInt()).as("width").isEqualTo(width);
      assertThat(data.readInt()).as("height").isEqualTo(height);
    }
  }
}
