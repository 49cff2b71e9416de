package io.inferscope.cli;

import io.inferscope.core.Sharding;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code run --shard I/N [--start-at TIME]}: this process runs one share of a load that N processes
 * (e.g. the pods of a Kubernetes Indexed Job) run together; {@code inferscope merge} puts their
 * files back together (ADR 0019).
 */
final class ShardOptions {

  /** The index Kubernetes gives each pod of an Indexed Job, read for {@code --shard auto/N}. */
  static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

  /** A start further ahead than this is taken for a wrong date, not a plan. */
  static final Duration MAX_START_AHEAD = Duration.ofHours(24);

  private static final Pattern SHARD = Pattern.compile("(\\d{1,6}|auto)/(\\d{1,6})");

  @Option(
      names = "--shard",
      paramLabel = "I/N",
      description =
          "Run shard I of N of the load (I from 0; auto/N reads $"
              + INDEX_VARIABLE
              + ", which a Kubernetes Indexed Job sets): its share of --concurrency and"
              + " --requests (10 over 3: 4, 3, 3), every N-th arrival of --rate from the I-th,"
              + " lines I, I+N, ... of a dataset or trace (each at its own time). Request ids"
              + " stay the shard's own; inferscope merge makes them id*N+I.")
  String shard;

  @Option(
      names = "--start-at",
      paramLabel = "TIME",
      description =
          "With --shard: start measured load at this wall-clock instant, ISO-8601 (e.g."
              + " 2026-12-08T10:00:00Z), the same for every shard; warm-up is sent before it. A"
              + " time already past starts at once; the report says how late each shard started.")
  String startAt;

  /**
   * The shard this process runs.
   *
   * @param index from 0
   * @param count shards in all
   * @param startAt when measured load starts, or null for at once
   */
  record Plan(int index, int count, Instant startAt) {
    /** {@code index}'s share of {@code total}. */
    int share(int total) {
      return Sharding.share(total, index, count);
    }

    String label() {
      return index + "/" + count;
    }
  }

  /**
   * The plan, or null without {@code --shard}; every check is made here, before any load.
   *
   * @param now the wall clock now, to refuse a start a day or more ahead
   */
  Plan resolve(Map<String, String> env, Instant now) {
    if (shard == null) {
      if (startAt != null) {
        throw Errors.usage(
            "--start-at agrees a start between shards: give --shard I/N too (0/1 for one"
                + " process)");
      }
      return null;
    }
    Matcher m = SHARD.matcher(shard.strip());
    if (!m.matches()) {
      throw Errors.usage(
          "--shard '" + shard + "': give INDEX/COUNT, e.g. 0/3 (from 0), or auto/COUNT");
    }
    int count = Integer.parseInt(m.group(2));
    if (count < 1) {
      throw Errors.usage("--shard '" + shard + "': COUNT must be at least 1");
    }
    int index;
    if (m.group(1).equals("auto")) {
      String value = env.get(INDEX_VARIABLE);
      if (value == null || value.isBlank()) {
        throw Errors.usage(
            "--shard auto/"
                + count
                + " reads $"
                + INDEX_VARIABLE
                + ", which is not set: run it in a Kubernetes Indexed Job, or give the index,"
                + " e.g. --shard 0/"
                + count);
      }
      try {
        index = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw Errors.usage(
            "$" + INDEX_VARIABLE + " is '" + value + "', not a shard index: give --shard I/N");
      }
    } else {
      index = Integer.parseInt(m.group(1));
    }
    if (index < 0 || index >= count) {
      throw Errors.usage(
          "--shard "
              + index
              + "/"
              + count
              + ": the index must be from 0 to "
              + (count - 1)
              + " (shards are numbered from 0)"
              + (m.group(1).equals("auto") ? ": $" + INDEX_VARIABLE + " does not fit" : ""));
    }
    return new Plan(index, count, startAt(now));
  }

  private Instant startAt(Instant now) {
    if (startAt == null) {
      return null;
    }
    Instant t;
    try {
      t = Instant.parse(startAt.strip());
    } catch (DateTimeException e) {
      throw Errors.usage(
          "--start-at '"
              + startAt
              + "' is not an ISO-8601 instant: give e.g. 2026-12-08T10:00:00Z (UTC) or"
              + " 2026-12-08T11:00:00+01:00");
    }
    if (Duration.between(now, t).compareTo(MAX_START_AHEAD) > 0) {
      throw Errors.usage(
          "--start-at "
              + startAt
              + " is more than 24 hours ahead of this host's clock ("
              + now
              + "): check the date");
    }
    return t;
  }
}
