package io.inferscope.cli;

import io.inferscope.core.Slo;
import io.inferscope.probe.Datasets;
import io.inferscope.probe.Endpoint;
import io.inferscope.probe.EngineTokenizer;
import io.inferscope.probe.EngineUnreachableException;
import io.inferscope.probe.MooncakeTrace;
import io.inferscope.probe.SyntheticPrompts;
import io.inferscope.probe.Workload;
import io.inferscope.probe.WorkloadFileException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the requests' prompts come from ({@code --dataset}, {@code --input-tokens}, {@code
 * --trace}, else one prompt) and what a good request is ({@code --slo}). Everything in a file is
 * checked before load.
 */
final class WorkloadOptions {

  /** Distinct synthetic prompts made for a run bounded by time (its request count unknown). */
  static final int SYNTHETIC_POOL = 1024;

  @Option(
      names = "--dataset",
      arity = "2",
      paramLabel = "KIND FILE",
      description =
          "Requests from a dataset: sharegpt FILE (first human turn as prompt, the answer's"
              + " length as max_tokens) or jsonl FILE (one request a line: prompt or messages,"
              + " optional max_tokens and timestamp in ms). Sent in file order.")
  List<String> dataset;

  @Option(
      names = "--dataset-sample",
      paramLabel = "N",
      description =
          "Use N requests drawn uniformly from the dataset with --seed (sent in file order).")
  Integer datasetSample;

  @Option(
      names = "--input-tokens",
      paramLabel = "MEAN[,STDDEV]",
      description =
          "Synthetic prompts of this many input tokens as the engine counts them (its /tokenize;"
              + " chat template included), each prompt different.")
  String inputTokens;

  @Option(
      names = "--output-tokens",
      paramLabel = "MEAN[,STDDEV]",
      description =
          "With --input-tokens: max_tokens per request, with ignore_eos so the engine produces"
              + " exactly that many.")
  String outputTokens;

  @Option(
      names = "--shared-prefix-tokens",
      paramLabel = "N",
      description = "With --input-tokens: every prompt starts with the same N tokens.")
  Integer sharedPrefixTokens;

  @Option(
      names = "--trace",
      arity = "2",
      paramLabel = "KIND FILE",
      description =
          "Replay a request trace on its own schedule: mooncake FILE (timestamp, input_length,"
              + " output_length, hash_ids of 512-token prefix blocks).")
  List<String> trace;

  @Option(
      names = "--time-scale",
      defaultValue = "1",
      description =
          "Multiply the trace's (or dataset's) send times by this: 0.5 replays twice as fast"
              + " (default: ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(
      names = "--trace-limit",
      paramLabel = "N",
      description = "Replay only the trace's first N requests.")
  Integer traceLimit;

  @Option(
      names = "--skip-bad-lines",
      description =
          "Skip (and count) malformed dataset or trace lines instead of refusing the file.")
  boolean skipBadLines;

  @Option(
      names = "--slo",
      paramLabel = "ttft=D,tpot=D,e2e=D",
      description =
          "Goodput: the share and rate of requests meeting every bound, e.g."
              + " ttft=200ms,tpot=50ms,e2e=10s (any subset; TTFT and E2E from the intended send).")
  String slo;

  /** Whether the prompts come from somewhere other than --prompt/--prompt-file. */
  boolean sourceGiven() {
    return dataset != null || inputTokens != null || trace != null;
  }

  /** Checks what can be checked without the engine. */
  void validate(boolean promptGiven) {
    int sources =
        (dataset != null ? 1 : 0)
            + (inputTokens != null ? 1 : 0)
            + (trace != null ? 1 : 0)
            + (promptGiven ? 1 : 0);
    if (sources > 1) {
      throw Errors.usage(
          "give one request source: --prompt/--prompt-file, --dataset, --input-tokens or --trace");
    }
    if (dataset != null) {
      kind(dataset, "--dataset", List.of("sharegpt", "jsonl"));
      readable(Path.of(dataset.get(1)), "--dataset");
    }
    if (trace != null) {
      kind(trace, "--trace", List.of("mooncake"));
      readable(Path.of(trace.get(1)), "--trace");
    }
    if (datasetSample != null && (dataset == null || datasetSample < 1)) {
      throw Errors.usage(
          dataset == null
              ? "--dataset-sample needs --dataset"
              : "--dataset-sample must be at least 1, got " + datasetSample);
    }
    if ((outputTokens != null || sharedPrefixTokens != null) && inputTokens == null) {
      throw Errors.usage(
          (outputTokens != null ? "--output-tokens" : "--shared-prefix-tokens")
              + " needs --input-tokens (with one prompt, use --max-tokens)");
    }
    if (inputTokens != null) {
      double[] in = meanAndStddev(inputTokens, "--input-tokens");
      if (sharedPrefixTokens != null && (sharedPrefixTokens < 1 || sharedPrefixTokens >= in[0])) {
        throw Errors.usage(
            "--shared-prefix-tokens must be at least 1 and less than --input-tokens' mean ("
                + (long) in[0]
                + "), got "
                + sharedPrefixTokens);
      }
      if (outputTokens != null) {
        meanAndStddev(outputTokens, "--output-tokens");
      }
    }
    if (!(timeScale > 0) || !Double.isFinite(timeScale)) {
      throw Errors.usage("--time-scale must be a positive number, got " + timeScale);
    }
    if (traceLimit != null && (trace == null || traceLimit < 1)) {
      throw Errors.usage(
          trace == null
              ? "--trace-limit needs --trace"
              : "--trace-limit must be at least 1, got " + traceLimit);
    }
    parseSlo();
  }

  /** The SLO of {@code --slo}, or null. */
  Slo parseSlo() {
    if (slo == null) {
      return null;
    }
    Long ttft = null;
    Long tpot = null;
    Long e2e = null;
    for (String part : slo.split(",")) {
      String[] kv = part.strip().split("=", 2);
      if (kv.length != 2) {
        throw Errors.usage(
            "--slo '" + slo + "': each bound is NAME=DURATION, e.g. ttft=200ms,tpot=50ms,e2e=10s");
      }
      Duration d;
      try {
        d = Durations.parse(kv[1].strip());
      } catch (RuntimeException e) {
        throw Errors.usage("--slo " + kv[0].strip() + ": " + e.getMessage());
      }
      if (d.isZero() || d.isNegative()) {
        throw Errors.usage("--slo " + kv[0].strip() + " must be positive");
      }
      switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
        case "ttft" -> ttft = d.toNanos();
        case "tpot" -> tpot = d.toNanos();
        case "e2e" -> e2e = d.toNanos();
        default ->
            throw Errors.usage("--slo knows ttft, tpot and e2e, got '" + kv[0].strip() + "'");
      }
    }
    return new Slo(ttft, tpot, e2e);
  }

  /**
   * The workload, read and counted before load; {@code prompt} when no other source is given.
   *
   * @param requestsAsked measured plus warm-up requests when known, else null
   */
  Workload prepare(
      String prompt,
      URI base,
      String model,
      String apiKey,
      Endpoint endpoint,
      long seed,
      Integer requestsAsked,
      java.io.PrintWriter err) {
    if (!sourceGiven()) {
      return Workload.prompt(prompt);
    }
    try (EngineTokenizer tokenizer =
        EngineTokenizer.detect(base, model, apiKey, Duration.ofSeconds(10))) {
      Workload w = read(tokenizer, endpoint, seed, requestsAsked);
      if (tokenizer == null) {
        err.println(
            "inferscope: the engine has no /tokenize: input token counts are estimates (a word a"
                + " token for generated text, 4 characters a token for given text)");
        err.flush();
      }
      return w;
    } catch (WorkloadFileException e) {
      throw Errors.usage(e.getMessage());
    } catch (IOException e) {
      throw Errors.usage(
          "cannot read "
              + (dataset != null ? dataset.get(1) : trace.get(1))
              + ": "
              + e.getMessage());
    } catch (EngineUnreachableException e) {
      throw Errors.failure(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw Errors.usage(e.getMessage());
    } catch (IllegalStateException e) {
      // The engine's /tokenize answered when detected and failed later, while counting.
      throw Errors.failure(
          Errors.oneLine(String.valueOf(e.getMessage()))
              + ": run again, or leave out the token counts the workload needs");
    }
  }

  /**
   * The settings as recorded in the report; {@code max_tokens} says {@code per request} when the
   * workload gives every request its own.
   */
  void addSettings(Map<String, String> s, Workload w) {
    if (w.items().stream().allMatch(i -> i.maxTokens() != null)) {
      s.put("max_tokens", "per request");
    }
    if (dataset != null) {
      s.put("dataset", dataset.get(0) + " " + dataset.get(1));
      s.put("dataset_sample", datasetSample == null ? "" : datasetSample.toString());
    }
    if (inputTokens != null) {
      s.put("input_tokens", inputTokens);
      s.put("output_tokens", outputTokens == null ? "" : outputTokens);
      s.put(
          "shared_prefix_tokens", sharedPrefixTokens == null ? "" : sharedPrefixTokens.toString());
    }
    if (trace != null) {
      s.put("trace", trace.get(0) + " " + trace.get(1));
      s.put("trace_limit", traceLimit == null ? "" : traceLimit.toString());
    }
    if (trace != null || dataset != null) {
      s.put("time_scale", Double.toString(timeScale));
      s.put("skip_bad_lines", Boolean.toString(skipBadLines));
    }
    if (slo != null) {
      s.put("slo", slo);
    }
  }

  private Workload read(
      EngineTokenizer tokenizer, Endpoint endpoint, long seed, Integer requestsAsked)
      throws IOException {
    if (dataset != null) {
      Path file = Path.of(dataset.get(1));
      Datasets.Options o = new Datasets.Options(datasetSample, seed, skipBadLines);
      Workload w =
          dataset.getFirst().equals("sharegpt")
              ? Datasets.sharegpt(file, o, tokenizer, endpoint)
              : Datasets.jsonl(file, o, tokenizer, endpoint);
      return timeScale == 1.0 || !w.scheduled() ? w : scaled(w);
    }
    if (trace != null) {
      return MooncakeTrace.read(
          Path.of(trace.get(1)), timeScale, traceLimit, skipBadLines, seed, tokenizer, endpoint);
    }
    double[] in = meanAndStddev(inputTokens, "--input-tokens");
    double[] out = outputTokens == null ? null : meanAndStddev(outputTokens, "--output-tokens");
    int items = requestsAsked == null ? SYNTHETIC_POOL : requestsAsked;
    return SyntheticPrompts.build(
        new SyntheticPrompts.Spec(
            items,
            (int) Math.round(in[0]),
            in[1],
            out == null ? null : (int) Math.round(out[0]),
            out == null ? 0 : out[1],
            sharedPrefixTokens == null ? 0 : sharedPrefixTokens,
            seed),
        tokenizer,
        endpoint);
  }

  private Workload scaled(Workload w) {
    List<io.inferscope.probe.WorkItem> items =
        w.items().stream()
            .map(
                i ->
                    new io.inferscope.probe.WorkItem(
                        i.prompt(),
                        i.maxTokens(),
                        Math.round(i.offsetNanos() * timeScale),
                        i.inputTokens()))
            .toList();
    return new Workload(items, w.ignoreEos(), w.facts());
  }

  private static void kind(List<String> v, String option, List<String> kinds) {
    if (!kinds.contains(v.getFirst().toLowerCase(Locale.ROOT))) {
      throw Errors.usage(
          option
              + " KIND FILE: KIND is "
              + String.join(" or ", kinds)
              + ", got '"
              + v.getFirst()
              + "'");
    }
    v.set(0, v.getFirst().toLowerCase(Locale.ROOT));
  }

  private static void readable(Path file, String option) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw Errors.usage(option + " " + file + ": no such readable file");
    }
  }

  /** MEAN or MEAN,STDDEV, both positive numbers (the deviation may be 0). */
  static double[] meanAndStddev(String value, String option) {
    String[] parts = value.split(",", -1);
    try {
      double mean = Double.parseDouble(parts[0].strip());
      double sd = parts.length > 1 ? Double.parseDouble(parts[1].strip()) : 0;
      if (parts.length > 2 || !(mean >= 1) || !(sd >= 0) || !Double.isFinite(mean + sd)) {
        throw new NumberFormatException();
      }
      return new double[] {mean, sd};
    } catch (NumberFormatException e) {
      throw Errors.usage(
          option
              + " '"
              + value
              + "': give MEAN or MEAN,STDDEV, e.g. 512 or 512,64 (mean at least 1)");
    }
  }
}
