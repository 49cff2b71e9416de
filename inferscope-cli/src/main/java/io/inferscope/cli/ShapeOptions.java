package io.inferscope.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How much load {@code run} drives: requests in flight, how many or how long, and the rate. */
final class ShapeOptions {

  @Option(
      names = {"-c", "--concurrency"},
      converter = JvmChoice.StreamCount.class,
      description =
          "Most requests in flight at once (default: 1 in closed loop; no bound with --rate or a"
              + " trace's schedule, so arrivals never wait for the client).")
  Integer concurrency;

  @Option(
      names = {"-n", "--requests"},
      description =
          "Measured requests to send (default: a dataset's or trace's every request, else 32;"
              + " none with --duration).")
  Integer requests;

  @Option(
      names = {"-d", "--duration"},
      converter = Durations.class,
      description = "Send measured requests for this long (e.g. 30s, 5m), then drain.")
  Duration duration;

  @Option(
      names = "--rate",
      description =
          "Open loop: start this many requests per second (each waits for a free slot); latency"
              + " is also measured from the intended send time.")
  Double rate;

  /** Most requests in flight: as given, else 1 in closed loop and no bound in open loop. */
  int concurrency(boolean openLoop) {
    if (concurrency != null) {
      return concurrency;
    }
    return openLoop ? Integer.MAX_VALUE : 1;
  }

  void validate() {
    if (concurrency != null && (concurrency < 1 || concurrency > 100_000)) {
      throw Errors.usage("--concurrency must be between 1 and 100000, got " + concurrency);
    }
    if (requests != null && duration != null) {
      throw Errors.usage("give --requests or --duration, not both");
    }
    if (requests != null && requests < 1) {
      throw Errors.usage("--requests must be at least 1, got " + requests);
    }
    if (rate != null && !(rate > 0)) {
      throw Errors.usage("--rate must be a positive number of requests per second, got " + rate);
    }
  }

  Integer effectiveRequests() {
    return duration == null && requests == null ? Integer.valueOf(32) : requests;
  }
}
