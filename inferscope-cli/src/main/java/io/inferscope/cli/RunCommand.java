package io.inferscope.cli;

import io.inferscope.core.RunFacts;
import io.inferscope.core.RunMeta;
import io.inferscope.core.Slo;
import io.inferscope.probe.Endpoint;
import io.inferscope.probe.EngineProbe;
import io.inferscope.probe.EngineUnreachableException;
import io.inferscope.probe.LoadSpec;
import io.inferscope.probe.Workload;
import io.inferscope.sysmon.ProcessFinder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code inferscope run}: drive load against an engine and report. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Streams requests to an OpenAI-compatible engine and reports TTFT, inter-token latency,"
          + " decode rate and failures.",
      "The API key, if the engine needs one, is read from $INFERSCOPE_API_KEY, $OPENAI_API_KEY"
          + " or --api-key-file; never from the command line."
    })
final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      description =
          "Engine base URL, e.g. http://127.0.0.1:8080 (a trailing /v1 is fine). Required unless"
              + " --sample-only.")
  String url;

  @Option(
      names = "--sample-only",
      description =
          "Send no load: sample the engine's processes and GPUs for --duration or until Ctrl-C"
              + " (needs --pid, --port, --process-name, or a local --url).")
  boolean sampleOnly;

  @Option(
      names = {"-m", "--model"},
      description = "Model name to send (default: the first model the engine lists).")
  String model;

  @Option(
      names = "--endpoint",
      defaultValue = "chat",
      description = "chat (/v1/chat/completions) or completions (/v1/completions).")
  String endpoint;

  @Option(names = "--api-key-file", description = "File holding the API key (one line).")
  Path apiKeyFile;

  @Option(names = "--api-key", hidden = true, description = "Refused: see --api-key-file.")
  String apiKeyOnArgv;

  @Option(
      names = "--steps-file",
      paramLabel = "FILE",
      description =
          "Labelled steps, one JSON object per line, whose latency, tokens, energy and cost are"
              + " attributed to them: {\"label\":\"turn 1\",\"requests\":[0,1]} (request ids, warm-up"
              + " included), {\"label\":\"t2\",\"first_request\":2,\"last_request\":5} or"
              + " {\"label\":\"t3\",\"start_s\":10,\"end_s\":20} (sends in that span of the run's"
              + " clock, as the HTML timeline shows it).")
  Path stepsFile;

  @Mixin ShapeOptions shape;
  @Mixin LoadOptions load;
  @Mixin WorkloadOptions workload;
  @Mixin HardwareOptions hardware;
  @Mixin OutputOptions output;
  @Mixin GateOptions gateOptions;
  @Mixin OtlpOptions otlpOptions;
  @Mixin ShardOptions shardOptions;

  private final Map<String, String> env;

  RunCommand() {
    this(System.getenv());
  }

  RunCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    ApiKeys.refuseOnCommandLine(apiKeyOnArgv);
    shape.validate();
    load.validate();
    workload.validate(load.prompt != null || load.promptFile != null);
    hardware.validate();
    output.validate();
    // Read and checked before any load: a bad thresholds file must not cost a benchmark.
    GateRunner gate = gateOptions.prepare(env);
    OtlpRunner otlp = otlpOptions.prepare(env, true);
    ShardOptions.Plan shard = shardOptions.resolve(env, java.time.Instant.now());
    if (sampleOnly) {
      if (shard != null) {
        throw Errors.usage(
            "--shard splits load, and --sample-only sends none: sample beside the engine once,"
                + " without --shard");
      }
      return sampleOnly(gate, otlp);
    }
    if (shard != null) {
      // What was given is checked now, before the engine is asked anything; defaults below.
      if (load.selfWarm == LoadSpec.SelfWarm.ON && shard.startAt() != null && load.warmup > 0) {
        // Its time before the agreed start could not be known with warm-up requests still to come.
        throw Errors.usage(
            "--self-warm on cannot run before --start-at when --warmup requests come first: drop"
                + " one of them");
      }
      if (shape.concurrency != null) {
        share(shard, shape.concurrency, "requests in flight", "--concurrency");
      }
      if (shape.requests != null) {
        share(shard, shape.requests, "measured requests", "--requests");
      }
    }
    if (url == null) {
      throw Errors.usage("--url is required (or use --sample-only with --pid/--port)");
    }
    URI base = parseUrl(url);
    Endpoint ep = endpoint(endpoint);
    String apiKey = ApiKeys.resolve(apiKeyFile, env);
    String prompt = load.resolvePrompt();
    // Resolved before the engine is contacted: a wrong --pid is bad input, found first.
    EngineTarget target = EngineTarget.resolve(hardware, base, new ProcessFinder());
    // Everything the spec checks (e.g. --extra-body) is bad input, found before the engine is
    // contacted; the model the engine serves is filled in below.
    toSpec(base, ep, model, Workload.prompt(prompt), apiKey, null, shape.concurrency(false), null);
    Slo slo = workload.parseSlo();
    List<io.inferscope.core.Step> steps = stepsFile == null ? List.of() : Steps.read(stepsFile);
    String modelName = resolveModel(base, model, apiKey);
    // Read, sampled and counted before any load: a bad line is found now.
    // Synthetic prompts: one per request when the count is known, else a pool reused in turn.
    // Sharded, each shard's warm-up too: item k goes to shard k mod N (ADR 0019).
    int warmups = load.warmup * (shard == null ? 1 : shard.count());
    Integer asked =
        shape.requests != null
            ? Integer.valueOf(shape.requests + warmups)
            : shape.duration == null ? Integer.valueOf(32 + warmups) : null;
    Workload whole =
        workload.prepare(
            prompt, base, modelName, apiKey, ep, load.seed, asked, spec.commandLine().getErr());
    Integer requests = requestsFor(whole);
    Workload w = shard == null ? whole : shardWorkload(whole, shard);
    boolean openLoop = shape.rate != null || w.scheduled();
    int concurrency = shape.concurrency(openLoop);
    Double rate = shape.rate;
    if (shard != null) {
      requests =
          requests == null ? null : share(shard, requests, "measured requests", "--requests");
      if (concurrency != Integer.MAX_VALUE) {
        concurrency = share(shard, concurrency, "requests in flight", "--concurrency");
      }
      rate = rate == null ? null : rate / shard.count();
    }
    LoadSpec loadSpec = toSpec(base, ep, modelName, w, apiKey, requests, concurrency, shard);
    Map<String, String> settings =
        load.settings(
            loadSpec.concurrency(), requests, shape.duration, rate, loadSpec.fixedSchedule());
    workload.addSettings(settings, w);
    RunMeta meta =
        new RunMeta(
            Version.get(),
            "run",
            Redaction.commandLine(spec.commandLine().getParseResult().originalArgs()),
            Redaction.url(base.toString()),
            ep.code(),
            modelName,
            withKeySource(settings),
            slo,
            steps,
            null);
    return new Profiler(spec.commandLine().getOut(), spec.commandLine().getErr())
        .withGate(gate)
        .withOtlp(otlp)
        .withShard(shard)
        .profile(loadSpec, meta, output, target, hardware);
  }

  /** The shard's items of a dataset, trace or synthetic workload; one prompt is every shard's. */
  private static Workload shardWorkload(Workload whole, ShardOptions.Plan shard) {
    if (whole.facts() != null && whole.facts().source() == RunFacts.WorkloadSource.PROMPT) {
      return whole;
    }
    try {
      return whole.shard(shard.index(), shard.count());
    } catch (IllegalArgumentException e) {
      throw Errors.usage(e.getMessage());
    }
  }

  /** The shard's share of {@code total}; none is bad usage. */
  private static int share(ShardOptions.Plan shard, int total, String what, String option) {
    int mine = shard.share(total);
    if (mine == 0) {
      throw Errors.usage(
          "--shard "
              + shard.label()
              + " gets none of the "
              + total
              + " "
              + what
              + ": give "
              + option
              + " of at least "
              + shard.count()
              + ", or fewer shards");
    }
    return mine;
  }

  /**
   * The model to send: {@code model} when the engine serves it, else the first it lists.
   *
   * @throws Errors.UserFacing a usage error when the engine does not serve {@code model}, a failure
   *     when it cannot be reached
   */
  static String resolveModel(URI base, String model, String apiKey) {
    String modelName = model;
    try {
      List<String> models = EngineProbe.listModels(base, apiKey, Duration.ofSeconds(10));
      if (modelName == null && !models.isEmpty()) {
        modelName = models.getFirst();
      } else if (modelName != null && !models.isEmpty() && !models.contains(modelName)) {
        // Some engines serve whatever --model says; the report would then name the wrong one.
        throw Errors.usage(
            "--model "
                + modelName
                + " is not what the engine serves ("
                + String.join(", ", models.subList(0, Math.min(5, models.size())))
                + (models.size() > 5 ? ", …" : "")
                + "): give one of those, or leave --model out to use the first");
      }
    } catch (EngineUnreachableException e) {
      throw Errors.failure(e.getMessage());
    }
    return modelName;
  }

  /** chat or completions, from {@code --endpoint}. */
  static Endpoint endpoint(String endpoint) {
    return switch (endpoint.toLowerCase(java.util.Locale.ROOT)) {
      case "chat" -> Endpoint.CHAT;
      case "completions" -> Endpoint.COMPLETIONS;
      default ->
          throw Errors.usage("--endpoint must be chat or completions, got '" + endpoint + "'");
    };
  }

  private int sampleOnly(GateRunner gate, OtlpRunner otlp) throws InterruptedException {
    URI base = url == null ? null : parseUrl(url);
    EngineTarget target = EngineTarget.resolve(hardware, base, new ProcessFinder());
    if (target.pid() == null) {
      throw Errors.usage("--sample-only has no process to sample: " + target.reason());
    }
    RunMeta meta =
        new RunMeta(
            Version.get(),
            "sample-only",
            Redaction.commandLine(spec.commandLine().getParseResult().originalArgs()),
            base == null ? null : Redaction.url(base.toString()),
            null,
            null,
            java.util.Map.of(
                "duration",
                shape.duration == null
                    ? "until stopped (Ctrl-C)"
                    : Durations.format(shape.duration)));
    return new Profiler(spec.commandLine().getOut(), spec.commandLine().getErr())
        .withGate(gate)
        .withOtlp(otlp)
        .sampleOnly(
            meta, output, target, hardware, shape.duration, base, ApiKeys.resolve(apiKeyFile, env));
  }

  private Map<String, String> withKeySource(Map<String, String> settings) {
    Map<String, String> s = new java.util.LinkedHashMap<>(settings);
    s.put("api_key_source", ApiKeys.source(apiKeyFile, env));
    return s;
  }

  /**
   * Measured requests: as given; else, without --duration, a dataset's or trace's every request, or
   * 32.
   */
  private Integer requestsFor(Workload w) {
    if (shape.requests != null || shape.duration != null) {
      return shape.requests;
    }
    return workload.dataset != null || workload.trace != null ? w.items().size() : 32;
  }

  LoadSpec toSpec(
      URI base,
      Endpoint ep,
      String modelName,
      Workload w,
      String apiKey,
      Integer requests,
      int concurrency,
      ShardOptions.Plan shard) {
    try {
      return LoadSpec.builder(base, ep)
          .model(modelName)
          .workload(w)
          .maxTokens(load.maxTokens)
          .extraBodyJson(load.extraBody)
          .concurrency(concurrency)
          .requests(
              requests != null || shape.duration != null ? requests : shape.effectiveRequests())
          .duration(shape.duration)
          .ratePerSecond(shape.rate)
          .arrival(load.arrival)
          .burstiness(load.burstiness)
          .seed(load.seed)
          // Every shard draws the whole rate's arrivals with the one seed and sends its own.
          .arrivalShare(shard == null ? 0 : shard.index(), shard == null ? 1 : shard.count())
          .startAt(shard == null ? null : shard.startAt())
          .warmupRequests(load.warmup)
          .selfWarm(load.selfWarm)
          .includeUsage(!load.noUsage)
          .honorRetryAfter(load.honorRetryAfter)
          .timeouts(load.timeouts())
          .apiKey(apiKey)
          .build();
    } catch (IllegalArgumentException e) {
      throw Errors.usage(e.getMessage());
    }
  }

  static URI parseUrl(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw Errors.usage("--url '" + url + "' is not a URL: give e.g. http://127.0.0.1:8080");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw Errors.usage(
          "--url '"
              + url
              + "' must be http:// or https:// with a host, e.g. http://127.0.0.1:8080");
    }
    return uri;
  }
}
