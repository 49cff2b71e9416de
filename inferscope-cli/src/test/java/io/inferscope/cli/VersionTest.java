package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** --version: the version, the commit and the build time, as the build wrote them. */
class VersionTest {

  /** The first line of --version; every part may be "unknown" but none may be missing. */
  static final Pattern LINE =
      Pattern.compile(
          "inferscope (\\d+\\.\\d+\\.\\d+(?:-SNAPSHOT)?) \\(commit ([0-9a-f]{12}|unknown),"
              + " built (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ|unknown)\\)");

  /**
   * The commit git names for this checkout now, as the build asks for it; "unknown" where git or
   * the checkout is missing, which is what the build writes then.
   */
  static String gitCommitHere() throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
              .directory(Path.of("").toAbsolutePath().toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException noGit) {
      return Version.UNKNOWN;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("git rev-parse finished").isTrue();
    return p.exitValue() == 0 ? out : Version.UNKNOWN;
  }

  @Test
  void theBuildWroteTheVersionTheCommitGitNamesAndWhenItRan() throws Exception {
    Version.Info info = Version.info();
    Matcher m = LINE.matcher(info.line());
    assertThat(m.matches()).as(info.line()).isTrue();
    assertThat(info.version()).isNotEqualTo(Version.UNKNOWN);
    assertThat(info.commit()).isEqualTo(gitCommitHere());
    // Filtered by this build, before this test: a real time, and not a later one.
    assertThat(Instant.parse(info.buildTime())).isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  void versionPrintsThatLineThenTheJava() {
    CliTest.Result r = CliTest.run("--version");
    assertThat(r.code()).isZero();
    String[] lines = r.out().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).isEqualTo(Version.info().line()).matches(LINE);
    assertThat(lines[1]).startsWith("Java " + Runtime.version());
  }

  @Test
  void whatTheBuildCouldNotKnowIsUnknown() {
    Properties unfiltered = new Properties();
    unfiltered.setProperty("version", "0.3.0");
    unfiltered.setProperty("git.commit", "${inferscope.git.commit}");
    unfiltered.setProperty("build.time", " ");
    Version.Info info = Version.from(unfiltered);
    assertThat(info.line()).isEqualTo("inferscope 0.3.0 (commit unknown, built unknown)");
    assertThat(info.line()).matches(LINE);
    assertThat(Version.from(new Properties()).line())
        .isEqualTo("inferscope unknown (commit unknown, built unknown)");
  }
}
