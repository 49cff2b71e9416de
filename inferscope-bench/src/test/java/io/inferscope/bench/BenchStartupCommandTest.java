package io.inferscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.bench.BenchStartupCommand.Sample;
import io.inferscope.bench.BenchStartupCommand.Summary;
import io.inferscope.bench.BenchStartupCommand.Variant;
import io.inferscope.cli.Errors;
import io.inferscope.cli.ExitCodes;
import io.inferscope.cli.Main;
import io.inferscope.cli.NativeLibraryFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench startup}: its arithmetic, tables, verdict and argument checks. */
class BenchStartupCommandTest {

  private static Sample sample(Variant v, int run, double firstMs, double exitMs) {
    return new Sample(
        v,
        run,
        Duration.ofNanos(Math.round(firstMs * 1e6)),
        Duration.ofNanos(Math.round(exitMs * 1e6)));
  }

  /**
   * The bench times the product as the launcher starts it: every place that starts the product JVM
   * for users (launcher, image entry point, the AOT cache's training run) gives the same base
   * options, the AOT cache's among them (a cache trained under other options may be refused).
   */
  @Test
  void theLaunchersBaseOptionsAreTheSameEverywhere() throws Exception {
    String options = String.join(" ", BenchStartupCommand.LAUNCHER_OPTIONS);
    for (String script :
        List.of("inferscope", "scripts/aot-cache", "scripts/container-entrypoint")) {
      assertThat(Files.readString(Path.of("..", script))).as(script).contains(options);
    }
    // The cache the bench times is made as the product's is.
    assertThat(Files.readString(Path.of("..", "scripts/aot-cache")))
        .contains(String.join(" ", BenchStartupCommand.AOT_TRAINING_OPTIONS) + " \\\n");
  }

  /** The native-library folder is named as the launcher names it: its stamp newer than the jar. */
  @Test
  void theNativeLibraryFolderIsNamedWhereTheLauncherWouldNameIt(@TempDir Path dir)
      throws Exception {
    Path jar = Files.writeString(dir.resolve("inferscope.jar"), "jar");
    Path folder = Files.createDirectory(dir.resolve("inferscope.native"));
    assertThat(BenchStartupCommand.launcherOptions(jar))
        .as("no stamp: not complete")
        .isEqualTo(BenchStartupCommand.LAUNCHER_OPTIONS);

    Path stamp = Files.writeString(folder.resolve(NativeLibraryFolder.STAMP), "");
    Files.setLastModifiedTime(stamp, FileTime.fromMillis(1_000));
    assertThat(BenchStartupCommand.launcherOptions(jar))
        .as("older than the jar: made for another build")
        .isEqualTo(BenchStartupCommand.LAUNCHER_OPTIONS);

    Files.setLastModifiedTime(
        stamp, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1_000));
    assertThat(BenchStartupCommand.launcherOptions(jar))
        .endsWith("-Djava.library.path=" + folder)
        .startsWith(BenchStartupCommand.LAUNCHER_OPTIONS.toArray(String[]::new));
  }

  @Test
  void p50IsTheProjectsInterpolatedMedian() {
    assertThat(BenchStartupCommand.p50(new long[] {7})).isEqualTo(7);
    assertThat(BenchStartupCommand.p50(new long[] {30, 10, 20})).isEqualTo(20);
    // Even counts interpolate between the two middle values, as every percentile in inferscope.
    assertThat(BenchStartupCommand.p50(new long[] {40, 10, 30, 20})).isEqualTo(25);
    long[] values = {5, 1, 4};
    BenchStartupCommand.p50(values);
    assertThat(values).containsExactly(5, 1, 4);
    assertThatThrownBy(() -> BenchStartupCommand.p50(new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void summariesFollowTheVariantOrderAndSkipVariantsWithoutRuns() {
    List<Sample> samples =
        List.of(
            sample(Variant.PLAIN, 1, 500, 900),
            sample(Variant.AOT, 1, 300, 700),
            sample(Variant.PLAIN, 2, 560, 950),
            sample(Variant.AOT, 2, 280, 650),
            sample(Variant.PLAIN, 3, 520, 1000),
            sample(Variant.AOT, 3, 320, 690));

    List<Summary> summaries =
        BenchStartupCommand.summarize(samples, List.of(Variant.AOT, Variant.NOCDS, Variant.PLAIN));

    assertThat(summaries).extracting(Summary::variant).containsExactly(Variant.AOT, Variant.PLAIN);
    Summary aot = summaries.get(0);
    assertThat(aot.runs()).isEqualTo(3);
    assertThat(aot.firstP50()).isEqualTo(300_000_000L);
    assertThat(aot.firstMin()).isEqualTo(280_000_000L);
    assertThat(aot.firstMax()).isEqualTo(320_000_000L);
    assertThat(aot.exitP50()).isEqualTo(690_000_000L);
    assertThat(aot.exitMin()).isEqualTo(650_000_000L);
    assertThat(aot.exitMax()).isEqualTo(700_000_000L);
    Summary plain = summaries.get(1);
    assertThat(plain.firstP50()).isEqualTo(520_000_000L);
    assertThat(plain.exitP50()).isEqualTo(950_000_000L);
  }

  @Test
  void runTableHasOneRowPerRunInMillisecondsWithOneDecimal() {
    String table =
        BenchStartupCommand.runTable(
            List.of(sample(Variant.PLAIN, 1, 512.34, 901.06), sample(Variant.AOT, 1, 0.05, 12)));

    assertThat(table.lines().toList())
        .containsExactly(
            "| run | variant | start → first request (ms) | start → exit (ms) |",
            "|---:|---|---:|---:|",
            "| 1 | plain | 512.3 | 901.1 |",
            "| 1 | aot | 0.1 | 12.0 |");
  }

  @Test
  void summaryTableNamesTheJvmOptionsOfEachVariant() {
    String table =
        BenchStartupCommand.summaryTable(
            List.of(
                new Summary(
                    Variant.AOT,
                    10,
                    240_050_000L,
                    230_000_000L,
                    260_000_000L,
                    600_000_000L,
                    590_000_000L,
                    650_000_000L)));

    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).isEqualTo("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    assertThat(lines.get(2))
        .isEqualTo(
            "| aot | -XX:AOTCache=inferscope.aot -XX:AOTMode=on | 10 | 240.1 | 230.0 | 260.0 |"
                + " 600.0 | 590.0 | 650.0 |");
    // Every row has as many cells as the header.
    long headerCells = lines.get(0).chars().filter(c -> c == '|').count();
    assertThat(lines.get(2).chars().filter(c -> c == '|').count()).isEqualTo(headerCells);
  }

  @Test
  void verdictSaysPerVariantWhetherTheP50HoldsAndByHowMuch() {
    Summary plain = new Summary(Variant.PLAIN, 5, 575_800_000L, 0, 0, 0, 0, 0);
    Summary aot = new Summary(Variant.AOT, 5, 238_000_000L, 0, 0, 0, 0, 0);
    Summary exact = new Summary(Variant.NOCDS, 5, 250_000_000L, 0, 0, 0, 0, 0);

    assertThat(BenchStartupCommand.verdict(List.of(plain, aot, exact), Duration.ofMillis(250)))
        .isEqualTo(
            "Verdict (p50 start → first request ≤ 250ms): plain misses by 325.8 ms (p50 575.8"
                + " ms); aot holds, 12.0 ms to spare (p50 238.0 ms); nocds holds, 0.0 ms to spare"
                + " (p50 250.0 ms).");
    assertThat(BenchStartupCommand.verdict(List.of(aot), Duration.ofMillis(200)))
        .isEqualTo(
            "Verdict (p50 start → first request ≤ 200ms): aot misses by 38.0 ms (p50 238.0 ms).");
  }

  @Test
  void variantsAddOnlyTheirOwnJvmOptions() {
    Path cache = Path.of("/tmp/x.aot");

    assertThat(Variant.PLAIN.jvmOptions(cache)).isEmpty();
    assertThat(Variant.AOT.jvmOptions(cache))
        .containsExactly("-XX:AOTCache=/tmp/x.aot", "-XX:AOTMode=on");
    assertThat(Variant.NOCDS.jvmOptions(cache)).containsExactly("-Xshare:off");
  }

  @Test
  void theChildCommandLineIsAValidRunThatSamplesNothing() {
    List<String> args = BenchStartupCommand.childArgs("http://127.0.0.1:9");

    assertThat(args)
        .containsSubsequence("run", "--url", "http://127.0.0.1:9")
        .containsSubsequence("-n", "1")
        .containsSubsequence("-c", "1")
        .contains("-q", "--no-gpu", "--no-process");
    CommandLine.ParseResult parsed =
        Main.newCommandLine(args.get(0)).parseArgs(args.toArray(String[]::new));
    CommandLine.ParseResult run = parsed.subcommand();
    assertThat(run.commandSpec().name()).isEqualTo("run");
    assertThat(run.unmatched()).isEmpty();
    assertThat(run.<Boolean>matchedOptionValue("--no-gpu", false)).isTrue();
    assertThat(run.<Integer>matchedOptionValue("--max-tokens", 0))
        .isEqualTo(BenchStartupCommand.MAX_TOKENS);
  }

  @Test
  void theJarIsTheGivenFileOrTheProductJarTheLauncherNames(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("inferscope.jar"));
    Path other = Files.createFile(dir.resolve("other.jar"));

    assertThat(BenchStartupCommand.resolveJar(jar, null)).isEqualTo(jar.toAbsolutePath());
    assertThat(BenchStartupCommand.resolveJar(jar, other.toString()))
        .isEqualTo(jar.toAbsolutePath());
    assertThat(BenchStartupCommand.resolveJar(null, jar.toString()))
        .isEqualTo(jar.toAbsolutePath());
    assertThatThrownBy(
            () -> BenchStartupCommand.resolveJar(dir.resolve("missing.jar"), jar.toString()))
        .isInstanceOf(Errors.UserFacing.class)
        .hasMessageContaining("--jar")
        .hasMessageContaining("missing.jar");
    assertThatThrownBy(
            () -> BenchStartupCommand.resolveJar(null, dir.resolve("gone.jar").toString()))
        .isInstanceOf(Errors.UserFacing.class)
        .hasMessageContaining("gone.jar")
        .hasMessageContaining("-Dinferscope.jar");
    // Neither: the bench jar is not the product jar, so there is nothing to time.
    assertThatThrownBy(() -> BenchStartupCommand.resolveJar(null, null))
        .isInstanceOf(Errors.UserFacing.class)
        .hasMessageContaining("--jar");
  }

  @Test
  void badArgumentsAreOneLineUsageErrorsBeforeAnythingRuns() {
    for (String[] args :
        new String[][] {
          {"bench", "startup", "--runs", "0"},
          {"bench", "startup", "--runs", "1001"},
          {"bench", "startup", "--warmup", "-1"},
          {"bench", "startup", "--variants", "jit"},
          {"bench", "startup", "--timeout", "500ms"},
          {"bench", "startup", "--target", "soon"},
          {"bench", "startup", "--jar", "/nonexistent/inferscope.jar"},
        }) {
      BenchCli.Result r = BenchCli.run(args);

      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("inferscope: ");
      assertThat(r.out()).isEmpty();
    }
    assertThat(ProcessHandle.current().children().toList()).isEmpty();
  }

  @Test
  void withoutTheLaunchersJarItAsksForOne() {
    assertThat(System.getProperty(BenchStartupCommand.JAR_PROPERTY)).isNull();

    BenchCli.Result r = BenchCli.run("bench", "startup", "--runs", "1");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("./inferscope bench startup").contains("--jar");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void usageCheckAcceptsTheDefaults() {
    BenchStartupCommand.validate(
        10, 1, List.of(Variant.PLAIN, Variant.AOT), Duration.ofSeconds(60));
    assertThatThrownBy(() -> BenchStartupCommand.validate(10, 1, List.of(), Duration.ofSeconds(60)))
        .isInstanceOf(Errors.UserFacing.class)
        .hasMessageContaining("--variants");
  }
}
