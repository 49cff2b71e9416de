package io.inferscope.report;

import io.inferscope.core.RunFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sharded run's facts in the text report (ADR 0019): a shard's header line, and a merged run's
 * section listing every input, its offset on the merged clock, how late it started, what it
 * measured and how it ended, then whose samples the run holds and how far the clocks can be
 * trusted. Formats only: the merge recorded every figure.
 */
final class ShardsText {

  private ShardsText() {}

  /** The header lines of a shard's own run, and of a merged run. */
  static void header(StringBuilder out, RunFacts facts) {
    RunFacts.Shard s = facts.shard();
    if (s != null) {
      String on =
          facts.host() == null || facts.host().name() == null ? "" : " on " + facts.host().name();
      TextReport.kv(out, "shard", TextReport.text(s.label() + on));
      if (s.startAt() != null) {
        TextReport.kv(
            out,
            "start",
            s.startLateNanos() == null
                ? "measured load never started (--start-at " + s.startAt() + ")"
                : "measured load "
                    + Fmt.ms(s.startLateNanos())
                    + " ms after --start-at "
                    + s.startAt());
      }
    }
    RunFacts.Merge m = facts.merge();
    if (m != null) {
      int given = m.shardCount() - m.missingShards().size();
      TextReport.kv(
          out,
          "merged",
          given
              + " of "
              + m.shardCount()
              + (m.shardCount() == 1 ? " shard" : " shards")
              + (m.missingShards().isEmpty() ? "" : " (" + m.missingShards().size() + " missing)")
              + " · ids are id*"
              + m.shardCount()
              + "+shard (see Shards)");
    }
  }

  /** A merged run's inputs, one row each, then samples and clocks. */
  static void append(StringBuilder out, RunFacts.Merge m) {
    if (m == null) {
      return;
    }
    out.append("\nShards (on the clock of ")
        .append(TextReport.text(m.inputs().get(m.clockFrom()).file()))
        .append(", which started first)\n");
    out.append("  shard  ")
        .append(Fmt.padRight("file", 22))
        .append(Fmt.padRight("host", 16))
        .append(Fmt.padLeft("offset ms", 10))
        .append(Fmt.padLeft("late ms", 10))
        .append(Fmt.padLeft("requests", 10))
        .append(Fmt.padLeft("ok", 8))
        .append("  status\n");
    List<String> details = new ArrayList<>();
    for (RunFacts.MergedInput in : m.inputs()) {
      String shard = in.shardIndex() == null ? "-" : in.shardIndex() + "/" + m.shardCount();
      String host = in.host() == null || in.host().name() == null ? "-" : in.host().name();
      boolean samples = in.status() == RunFacts.InputStatus.SAMPLES;
      out.append("  ")
          .append(Fmt.padRight(shard, 7))
          .append(Fmt.padRight(Fmt.fit(TextReport.text(in.file()), 20), 22))
          .append(Fmt.padRight(Fmt.fit(TextReport.text(host), 14), 16))
          .append(Fmt.padLeft(Fmt.ms((double) in.offsetNanos()), 10))
          .append(
              Fmt.padLeft(
                  in.shard() == null || in.shard().startLateNanos() == null
                      ? Fmt.ABSENT
                      : Fmt.ms(in.shard().startLateNanos()),
                  10))
          .append(Fmt.padLeft(samples ? Fmt.ABSENT : Integer.toString(in.requests()), 10))
          .append(Fmt.padLeft(samples ? Fmt.ABSENT : Integer.toString(in.ok()), 8))
          .append("  ")
          .append(
              in.status() == RunFacts.InputStatus.OK || samples
                  ? in.status().name().toLowerCase(Locale.ROOT)
                  : in.status().name())
          .append('\n');
      if (in.statusDetail() != null) {
        details.add(shard + ": " + in.statusDetail());
      }
    }
    for (int missing : m.missingShards()) {
      out.append("  ")
          .append(Fmt.padRight(missing + "/" + m.shardCount(), 7))
          .append(Fmt.padRight(Fmt.ABSENT, 22))
          .append(Fmt.padRight(Fmt.ABSENT, 16))
          .append(Fmt.padLeft(Fmt.ABSENT, 10))
          .append(Fmt.padLeft(Fmt.ABSENT, 10))
          .append(Fmt.padLeft(Fmt.ABSENT, 10))
          .append(Fmt.padLeft(Fmt.ABSENT, 8))
          .append("  MISSING\n");
    }
    for (String d : details) {
      TextReport.kv(out, "", TextReport.text(d));
    }
    clocks(out, m);
    TextReport.kv(out, "hardware samples", from(m, m.hardwareFrom(), true));
    TextReport.kv(out, "engine metrics", from(m, m.engineMetricsFrom(), false));
    TextReport.kv(
        out,
        "client overhead",
        m.clientFrom() == null
            ? "not measured"
            : TextReport.text(m.inputs().get(m.clientFrom()).file())
                + "'s (the most delayed client of the shards)");
    for (String f : m.forced()) {
      TextReport.kv(out, "merged by --force", TextReport.text(f));
    }
  }

  /**
   * What the alignment of the inputs' clocks can be trusted to, one line or two (a line holds
   * {@value TextReport#WIDTH} columns).
   */
  private static void clocks(StringBuilder out, RunFacts.Merge m) {
    long spread = 0;
    int shared = 0;
    for (RunFacts.ClockGroup g : m.clockGroups()) {
      if (g.inputs().size() > 1) {
        spread = Math.max(spread, g.spreadNanos());
        shared++;
      }
    }
    String agree = "wall clocks agree within " + micros(spread);
    if (!m.severalClocks()) {
      TextReport.kv(
          out,
          "clocks",
          shared == 0 ? "one input, one clock" : "one host: " + agree + " by its monotonic clock");
      return;
    }
    TextReport.kv(
        out,
        "clocks",
        m.clockGroups().size() + " hosts, aligned by wall clock: their offset (NTP) not measured");
    if (shared > 0) {
      TextReport.kv(out, "", "inputs of one host: " + agree + " by its monotonic clock");
    }
  }

  private static String micros(long nanos) {
    return nanos < 1_000_000
        ? String.format(Locale.ROOT, "%.1f us", nanos / 1e3)
        : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  /** Whose samples the run holds, and whose were left out. */
  private static String from(RunFacts.Merge m, Integer from, boolean hardware) {
    List<String> others = new ArrayList<>();
    for (int k = 0; k < m.inputs().size(); k++) {
      RunFacts.MergedInput in = m.inputs().get(k);
      boolean had = hardware ? in.hadHardware() : in.hadEngineMetrics();
      if (had && (from == null || k != from)) {
        others.add(in.file());
      }
    }
    if (from == null) {
      return "none (no input had any)";
    }
    return TextReport.text(
        m.inputs().get(from).file()
            + "'s"
            + (others.isEmpty() ? "" : " (not kept: " + String.join(", ", others) + ")"));
  }
}
