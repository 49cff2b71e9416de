// Generated from the commands' picocli annotations; do not edit. Regenerate with
// ./scripts/mvn -q -pl inferscope-cli -am test -Dtest=CommandModelsTest -Dsurefire.failIfNoSpecifiedTests=false -Dinferscope.command-models=write
package io.inferscope.cli;

import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's models of the commands a run starts with ({@code inferscope} and {@code run}),
 * built without reflection: reading the annotations (the JDK's annotation parser, a proxy
 * class generated per annotation type, interpreted at every start) was most of the time
 * picocli took before a run's first request (docs/benchmarks.md, "Start-up time to first
 * request"). The annotations stay the one definition: CommandModelsTest checks that this
 * file is what they generate and that each model equals the one picocli reads from them.
 */
final class CommandModels {

  private CommandModels() {}

  /** The model of {@code inferscope}, bound to {@code command}'s fields. */
  static CommandSpec main(Main command) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name("inferscope");
    spec.versionProvider(new Version.Provider());
    spec.usageMessage().description("Profiles LLM inference servers: streams load through the OpenAI-compatible API, stamps every token on a monotonic clock and reports where latency goes.");
    spec.usageMessage().footer("%nBenchmarks of inferscope itself are in their own jar: ./inferscope bench --help (docs/benchmarks.md).");
    command.spec = spec;
    spec.addMixin("mixinStandardHelpOptions", mixinStandardHelpOptions());
    return spec;
  }

  /** The model of {@code run}, bound to {@code command}'s fields. */
  static CommandSpec run(RunCommand command) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name("run");
    spec.versionProvider(new Version.Provider());
    spec.usageMessage().description("Streams requests to an OpenAI-compatible engine and reports TTFT, inter-token latency, decode rate and failures.",
                "The API key, if the engine needs one, is read from $INFERSCOPE_API_KEY, $OPENAI_API_KEY or --api-key-file; never from the command line.");
    command.spec = spec;
    spec.addOption(OptionSpec.builder("--url")
            .description("Engine base URL, e.g. http://127.0.0.1:8080 (a trailing /v1 is fine). Required unless --sample-only.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<url>")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.RunCommand.url")
            .initialValue(command.url)
            .getter(new Binding(command, 0))
            .setter(new Binding(command, 0))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--sample-only")
            .description("Send no load: sample the engine's processes and GPUs for --duration or until Ctrl-C (needs --pid, --port, --process-name, or a local --url).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<sampleOnly>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.RunCommand.sampleOnly")
            .initialValue(command.sampleOnly)
            .getter(new Binding(command, 1))
            .setter(new Binding(command, 1))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("-m", "--model")
            .description("Model name to send (default: the first model the engine lists).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<model>")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.RunCommand.model")
            .initialValue(command.model)
            .getter(new Binding(command, 2))
            .setter(new Binding(command, 2))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--endpoint")
            .description("chat (/v1/chat/completions) or completions (/v1/completions).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<endpoint>")
            .defaultValue("chat")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.RunCommand.endpoint")
            .initialValue(command.endpoint)
            .getter(new Binding(command, 3))
            .setter(new Binding(command, 3))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--api-key-file")
            .description("File holding the API key (one line).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<apiKeyFile>")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.RunCommand.apiKeyFile")
            .initialValue(command.apiKeyFile)
            .getter(new Binding(command, 4))
            .setter(new Binding(command, 4))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--api-key")
            .description("Refused: see --api-key-file.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<apiKeyOnArgv>")
            .hidden(true)
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.RunCommand.apiKeyOnArgv")
            .initialValue(command.apiKeyOnArgv)
            .getter(new Binding(command, 5))
            .setter(new Binding(command, 5))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--steps-file")
            .description("Labelled steps, one JSON object per line, whose latency, tokens, energy and cost are attributed to them: {\"label\":\"turn 1\",\"requests\":[0,1]} (request ids, warm-up included), {\"label\":\"t2\",\"first_request\":2,\"last_request\":5} or {\"label\":\"t3\",\"start_s\":10,\"end_s\":20} (sends in that span of the run's clock, as the HTML timeline shows it).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("FILE")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.RunCommand.stepsFile")
            .initialValue(command.stepsFile)
            .getter(new Binding(command, 6))
            .setter(new Binding(command, 6))
            .hasInitialValue(true)
            .build());
    command.shape = new ShapeOptions();
    spec.addMixin("shape", runShape(command.shape));
    command.load = new LoadOptions();
    spec.addMixin("load", runLoad(command.load));
    command.workload = new WorkloadOptions();
    spec.addMixin("workload", runWorkload(command.workload));
    command.hardware = new HardwareOptions();
    spec.addMixin("hardware", runHardware(command.hardware));
    command.output = new OutputOptions();
    spec.addMixin("output", runOutput(command.output));
    command.gateOptions = new GateOptions();
    spec.addMixin("gateOptions", runGateOptions(command.gateOptions));
    command.otlpOptions = new OtlpOptions();
    spec.addMixin("otlpOptions", runOtlpOptions(command.otlpOptions));
    command.shardOptions = new ShardOptions();
    spec.addMixin("shardOptions", runShardOptions(command.shardOptions));
    spec.addMixin("mixinStandardHelpOptions", mixinStandardHelpOptions());
    return spec;
  }

  /** picocli's -h/--help and -V/--version. */
  private static CommandSpec mixinStandardHelpOptions() {
    CommandSpec mixin = CommandSpec.create();
    mixin.addOption(OptionSpec.builder("${picocli.help.name.0:--h}", "${picocli.help.name.1:---help}")
            .usageHelp(true)
            .description("Show this help message and exit.")
            .descriptionKey("mixinStandardHelpOptions.help")
            .prompt("")
            .paramLabel("<helpRequested>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean picocli.CommandLine$AutoHelpMixin.helpRequested")
            .initialValue(false)
            .hasInitialValue(true)
            .build());
    mixin.addOption(OptionSpec.builder("${picocli.version.name.0:--V}", "${picocli.version.name.1:---version}")
            .versionHelp(true)
            .description("Print version information and exit.")
            .descriptionKey("mixinStandardHelpOptions.version")
            .prompt("")
            .paramLabel("<versionRequested>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean picocli.CommandLine$AutoHelpMixin.versionRequested")
            .initialValue(false)
            .hasInitialValue(true)
            .build());
    return mixin;
  }

  private static CommandSpec runShape(ShapeOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("-c", "--concurrency")
            .description("Most requests in flight at once (default: 1 in closed loop; no bound with --rate or a trace's schedule, so arrivals never wait for the client).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<concurrency>")
            .type(java.lang.Integer.class)
            .auxiliaryTypes(java.lang.Integer.class)
            .converters(new JvmChoice.StreamCount())
            .withToString("field Integer io.inferscope.cli.ShapeOptions.concurrency")
            .initialValue(mixin.concurrency)
            .getter(new Binding(mixin, 7))
            .setter(new Binding(mixin, 7))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("-n", "--requests")
            .description("Measured requests to send (default: a dataset's or trace's every request, else 32; none with --duration).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<requests>")
            .type(java.lang.Integer.class)
            .auxiliaryTypes(java.lang.Integer.class)
            .withToString("field Integer io.inferscope.cli.ShapeOptions.requests")
            .initialValue(mixin.requests)
            .getter(new Binding(mixin, 8))
            .setter(new Binding(mixin, 8))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("-d", "--duration")
            .description("Send measured requests for this long (e.g. 30s, 5m), then drain.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<duration>")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.ShapeOptions.duration")
            .initialValue(mixin.duration)
            .getter(new Binding(mixin, 9))
            .setter(new Binding(mixin, 9))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--rate")
            .description("Open loop: start this many requests per second (each waits for a free slot); latency is also measured from the intended send time.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<rate>")
            .type(java.lang.Double.class)
            .auxiliaryTypes(java.lang.Double.class)
            .withToString("field Double io.inferscope.cli.ShapeOptions.rate")
            .initialValue(mixin.rate)
            .getter(new Binding(mixin, 10))
            .setter(new Binding(mixin, 10))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  private static CommandSpec runLoad(LoadOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("--arrival")
            .description("Spacing of --rate requests: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<arrival>")
            .defaultValue("constant")
            .type(io.inferscope.probe.LoadSpec.Arrival.class)
            .auxiliaryTypes(io.inferscope.probe.LoadSpec.Arrival.class)
            .completionCandidates(new EnumNames.Arrivals())
            .withToString("field io.inferscope.probe.LoadSpec$Arrival io.inferscope.cli.LoadOptions.arrival")
            .initialValue(mixin.arrival)
            .getter(new Binding(mixin, 11))
            .setter(new Binding(mixin, 11))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--burstiness")
            .description("Shape of --arrival gamma gaps: 1 is Poisson, below 1 burstier (coefficient of variation 1/sqrt(shape)), above 1 more even (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<burstiness>")
            .defaultValue("1")
            .type(double.class)
            .auxiliaryTypes(double.class)
            .withToString("field double io.inferscope.cli.LoadOptions.burstiness")
            .initialValue(mixin.burstiness)
            .getter(new Binding(mixin, 12))
            .setter(new Binding(mixin, 12))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--seed")
            .description("Seed of Poisson and gamma arrivals, dataset samples and synthetic prompts (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<seed>")
            .defaultValue("1")
            .type(long.class)
            .auxiliaryTypes(long.class)
            .withToString("field long io.inferscope.cli.LoadOptions.seed")
            .initialValue(mixin.seed)
            .getter(new Binding(mixin, 13))
            .setter(new Binding(mixin, 13))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--warmup")
            .description("Requests sent first and left out of the metrics (default: ${DEFAULT-VALUE}). Apart from them, inferscope may warm itself first: --self-warm.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<warmup>")
            .defaultValue("0")
            .type(int.class)
            .auxiliaryTypes(int.class)
            .withToString("field int io.inferscope.cli.LoadOptions.warmup")
            .initialValue(mixin.warmup)
            .getter(new Binding(mixin, 14))
            .setter(new Binding(mixin, 14))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--self-warm")
            .description("Before the load, warm inferscope's own stream reader and request path on loopback, sending nothing to the engine, until its JIT compilers are nearly idle (up to about 8 s): ${COMPLETION-CANDIDATES}; auto warms runs of 128 streams or more (-c) and runs on a trace's or dataset's timestamps. A smaller run starts at once, and its TTFT then carries the client's own warm-up: 0.5-1 ms a request at one stream on a 2-vCPU VM (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<selfWarm>")
            .defaultValue("auto")
            .type(io.inferscope.probe.LoadSpec.SelfWarm.class)
            .auxiliaryTypes(io.inferscope.probe.LoadSpec.SelfWarm.class)
            .completionCandidates(new EnumNames.SelfWarms())
            .withToString("field io.inferscope.probe.LoadSpec$SelfWarm io.inferscope.cli.LoadOptions.selfWarm")
            .initialValue(mixin.selfWarm)
            .getter(new Binding(mixin, 15))
            .setter(new Binding(mixin, 15))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--max-tokens")
            .description("max_tokens of each request (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<maxTokens>")
            .defaultValue("128")
            .type(int.class)
            .auxiliaryTypes(int.class)
            .withToString("field int io.inferscope.cli.LoadOptions.maxTokens")
            .initialValue(mixin.maxTokens)
            .getter(new Binding(mixin, 16))
            .setter(new Binding(mixin, 16))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--prompt")
            .description("Prompt text (default: a short built-in story prompt).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<prompt>")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.LoadOptions.prompt")
            .initialValue(mixin.prompt)
            .getter(new Binding(mixin, 17))
            .setter(new Binding(mixin, 17))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--prompt-file")
            .description("Read the prompt from this file.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<promptFile>")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.LoadOptions.promptFile")
            .initialValue(mixin.promptFile)
            .getter(new Binding(mixin, 18))
            .setter(new Binding(mixin, 18))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--extra-body")
            .description("JSON object merged into every request body, e.g. '{\"ignore_eos\":true,\"temperature\":0}'.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<extraBody>")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.LoadOptions.extraBody")
            .initialValue(mixin.extraBody)
            .getter(new Binding(mixin, 19))
            .setter(new Binding(mixin, 19))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--honor-retry-after")
            .description("When the engine sheds a request (HTTP 429/503) with Retry-After, that worker waits as long before its next request (closed loop only; never past the run's end).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<honorRetryAfter>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.LoadOptions.honorRetryAfter")
            .initialValue(mixin.honorRetryAfter)
            .getter(new Binding(mixin, 20))
            .setter(new Binding(mixin, 20))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--no-usage")
            .description("Do not ask for stream_options.include_usage (for servers that reject it).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<noUsage>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.LoadOptions.noUsage")
            .initialValue(mixin.noUsage)
            .getter(new Binding(mixin, 21))
            .setter(new Binding(mixin, 21))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--connect-timeout")
            .description("TCP connect bound (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<connectTimeout>")
            .defaultValue("5s")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.LoadOptions.connectTimeout")
            .initialValue(mixin.connectTimeout)
            .getter(new Binding(mixin, 22))
            .setter(new Binding(mixin, 22))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--first-byte-timeout")
            .description("Send to first response byte, covers queueing and prefill (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<firstByteTimeout>")
            .defaultValue("300s")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.LoadOptions.firstByteTimeout")
            .initialValue(mixin.firstByteTimeout)
            .getter(new Binding(mixin, 23))
            .setter(new Binding(mixin, 23))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--idle-timeout")
            .description("Longest silence inside a stream (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<idleTimeout>")
            .defaultValue("60s")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.LoadOptions.idleTimeout")
            .initialValue(mixin.idleTimeout)
            .getter(new Binding(mixin, 24))
            .setter(new Binding(mixin, 24))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--total-timeout")
            .description("Longest whole request (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<totalTimeout>")
            .defaultValue("900s")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.LoadOptions.totalTimeout")
            .initialValue(mixin.totalTimeout)
            .getter(new Binding(mixin, 25))
            .setter(new Binding(mixin, 25))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--drain-timeout")
            .description("At the end of --duration, how long in-flight requests may finish (default: ${DEFAULT-VALUE}); after Ctrl-C, --stop-grace applies.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<drainTimeout>")
            .defaultValue("30s")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.LoadOptions.drainTimeout")
            .initialValue(mixin.drainTimeout)
            .getter(new Binding(mixin, 26))
            .setter(new Binding(mixin, 26))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--stop-grace")
            .description("After Ctrl-C or SIGTERM, how long in-flight requests may finish before they are cancelled and the partial report is written; 0 cancels them at once (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<stopGrace>")
            .defaultValue("3s")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations.NonNegative())
            .withToString("field java.time.Duration io.inferscope.cli.LoadOptions.stopGrace")
            .initialValue(mixin.stopGrace)
            .getter(new Binding(mixin, 27))
            .setter(new Binding(mixin, 27))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  private static CommandSpec runWorkload(WorkloadOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("--dataset")
            .description("Requests from a dataset: sharegpt FILE (first human turn as prompt, the answer's length as max_tokens) or jsonl FILE (one request a line: prompt or messages, optional max_tokens and timestamp in ms). Sent in file order.")
            .descriptionKey("")
            .prompt("")
            .arity("2")
            .paramLabel("KIND FILE")
            .type(java.util.List.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field java.util.List<String> io.inferscope.cli.WorkloadOptions.dataset")
            .initialValue(mixin.dataset)
            .getter(new Binding(mixin, 28))
            .setter(new Binding(mixin, 28))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--dataset-sample")
            .description("Use N requests drawn uniformly from the dataset with --seed (sent in file order).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("N")
            .type(java.lang.Integer.class)
            .auxiliaryTypes(java.lang.Integer.class)
            .withToString("field Integer io.inferscope.cli.WorkloadOptions.datasetSample")
            .initialValue(mixin.datasetSample)
            .getter(new Binding(mixin, 29))
            .setter(new Binding(mixin, 29))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--input-tokens")
            .description("Synthetic prompts of this many input tokens as the engine counts them (its /tokenize; chat template included), each prompt different.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("MEAN[,STDDEV]")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.WorkloadOptions.inputTokens")
            .initialValue(mixin.inputTokens)
            .getter(new Binding(mixin, 30))
            .setter(new Binding(mixin, 30))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--output-tokens")
            .description("With --input-tokens: max_tokens per request, with ignore_eos so the engine produces exactly that many.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("MEAN[,STDDEV]")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.WorkloadOptions.outputTokens")
            .initialValue(mixin.outputTokens)
            .getter(new Binding(mixin, 31))
            .setter(new Binding(mixin, 31))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--shared-prefix-tokens")
            .description("With --input-tokens: every prompt starts with the same N tokens.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("N")
            .type(java.lang.Integer.class)
            .auxiliaryTypes(java.lang.Integer.class)
            .withToString("field Integer io.inferscope.cli.WorkloadOptions.sharedPrefixTokens")
            .initialValue(mixin.sharedPrefixTokens)
            .getter(new Binding(mixin, 32))
            .setter(new Binding(mixin, 32))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--trace")
            .description("Replay a request trace on its own schedule: mooncake FILE (timestamp, input_length, output_length, hash_ids of 512-token prefix blocks).")
            .descriptionKey("")
            .prompt("")
            .arity("2")
            .paramLabel("KIND FILE")
            .type(java.util.List.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field java.util.List<String> io.inferscope.cli.WorkloadOptions.trace")
            .initialValue(mixin.trace)
            .getter(new Binding(mixin, 33))
            .setter(new Binding(mixin, 33))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--time-scale")
            .description("Multiply the trace's (or dataset's) send times by this: 0.5 replays twice as fast (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<timeScale>")
            .defaultValue("1")
            .type(double.class)
            .auxiliaryTypes(double.class)
            .withToString("field double io.inferscope.cli.WorkloadOptions.timeScale")
            .initialValue(mixin.timeScale)
            .getter(new Binding(mixin, 34))
            .setter(new Binding(mixin, 34))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--trace-limit")
            .description("Replay only the trace's first N requests.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("N")
            .type(java.lang.Integer.class)
            .auxiliaryTypes(java.lang.Integer.class)
            .withToString("field Integer io.inferscope.cli.WorkloadOptions.traceLimit")
            .initialValue(mixin.traceLimit)
            .getter(new Binding(mixin, 35))
            .setter(new Binding(mixin, 35))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--skip-bad-lines")
            .description("Skip (and count) malformed dataset or trace lines instead of refusing the file.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<skipBadLines>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.WorkloadOptions.skipBadLines")
            .initialValue(mixin.skipBadLines)
            .getter(new Binding(mixin, 36))
            .setter(new Binding(mixin, 36))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--slo")
            .description("Goodput: the share and rate of requests meeting every bound, e.g. ttft=200ms,tpot=50ms,e2e=10s (any subset; TTFT and E2E from the intended send).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("ttft=D,tpot=D,e2e=D")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.WorkloadOptions.slo")
            .initialValue(mixin.slo)
            .getter(new Binding(mixin, 37))
            .setter(new Binding(mixin, 37))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  private static CommandSpec runHardware(HardwareOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("--pid")
            .description("Engine process to sample, with all its descendants.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<pid>")
            .type(java.lang.Integer.class)
            .auxiliaryTypes(java.lang.Integer.class)
            .withToString("field Integer io.inferscope.cli.HardwareOptions.pid")
            .initialValue(mixin.pid)
            .getter(new Binding(mixin, 38))
            .setter(new Binding(mixin, 38))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--port")
            .description("Sample the process listening on this TCP port (default: the --url port when the engine runs on this host).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<port>")
            .type(java.lang.Integer.class)
            .auxiliaryTypes(java.lang.Integer.class)
            .withToString("field Integer io.inferscope.cli.HardwareOptions.port")
            .initialValue(mixin.port)
            .getter(new Binding(mixin, 39))
            .setter(new Binding(mixin, 39))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--process-name")
            .description("Sample the one process with this command name (e.g. llama-server).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<processName>")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.HardwareOptions.processName")
            .initialValue(mixin.processName)
            .getter(new Binding(mixin, 40))
            .setter(new Binding(mixin, 40))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--no-process")
            .description("Do not sample the engine's process tree.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<noProcess>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.HardwareOptions.noProcess")
            .initialValue(mixin.noProcess)
            .getter(new Binding(mixin, 41))
            .setter(new Binding(mixin, 41))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--sample-period")
            .description("Process-tree sampling period (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<samplePeriod>")
            .defaultValue("50ms")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.HardwareOptions.samplePeriod")
            .initialValue(mixin.samplePeriod)
            .getter(new Binding(mixin, 42))
            .setter(new Binding(mixin, 42))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--gpu-period")
            .description("GPU sampling period (default: ${DEFAULT-VALUE}; NVML's own utilisation window is about 1/6 s).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<gpuPeriod>")
            .defaultValue("100ms")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.HardwareOptions.gpuPeriod")
            .initialValue(mixin.gpuPeriod)
            .getter(new Binding(mixin, 43))
            .setter(new Binding(mixin, 43))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--nvml-lib")
            .description("Path of libnvidia-ml.so.1 (default: found by the dynamic loader).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<nvmlLibrary>")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.HardwareOptions.nvmlLibrary")
            .initialValue(mixin.nvmlLibrary)
            .getter(new Binding(mixin, 44))
            .setter(new Binding(mixin, 44))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--no-gpu")
            .description("Do not sample GPUs.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<noGpu>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.HardwareOptions.noGpu")
            .initialValue(mixin.noGpu)
            .getter(new Binding(mixin, 45))
            .setter(new Binding(mixin, 45))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--engine-metrics-period")
            .description("How often the engine's own /metrics is read (default: ${DEFAULT-VALUE}).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<engineMetricsPeriod>")
            .defaultValue("1s")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.HardwareOptions.engineMetricsPeriod")
            .initialValue(mixin.engineMetricsPeriod)
            .getter(new Binding(mixin, 46))
            .setter(new Binding(mixin, 46))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--no-engine-metrics")
            .description("Do not read the engine's /metrics.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<noEngineMetrics>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.HardwareOptions.noEngineMetrics")
            .initialValue(mixin.noEngineMetrics)
            .getter(new Binding(mixin, 47))
            .setter(new Binding(mixin, 47))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--engine-metrics-url")
            .description("Where the engine's metrics are, when not at the --url's /metrics (e.g. a Dynamo frontend or a separate port).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<engineMetricsUrl>")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.HardwareOptions.engineMetricsUrl")
            .initialValue(mixin.engineMetricsUrl)
            .getter(new Binding(mixin, 48))
            .setter(new Binding(mixin, 48))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--engine")
            .description("Whose metric names to read: ${COMPLETION-CANDIDATES} (default: detected from the names).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<engine>")
            .type(io.inferscope.core.EngineKind.class)
            .auxiliaryTypes(io.inferscope.core.EngineKind.class)
            .completionCandidates(new EnumNames.Engines())
            .withToString("field io.inferscope.core.EngineKind io.inferscope.cli.HardwareOptions.engine")
            .initialValue(mixin.engine)
            .getter(new Binding(mixin, 49))
            .setter(new Binding(mixin, 49))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  private static CommandSpec runOutput(OutputOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("--json")
            .description("Write the full run (raw traces and derived metrics) as JSON to FILE.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("FILE")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.OutputOptions.json")
            .initialValue(mixin.json)
            .getter(new Binding(mixin, 50))
            .setter(new Binding(mixin, 50))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--html")
            .description("Write a self-contained HTML timeline of the run to FILE.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("FILE")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.OutputOptions.html")
            .initialValue(mixin.html)
            .getter(new Binding(mixin, 51))
            .setter(new Binding(mixin, 51))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("-q", "--quiet")
            .description("Do not print the text report to stdout.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<quiet>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.OutputOptions.quiet")
            .initialValue(mixin.quiet)
            .getter(new Binding(mixin, 52))
            .setter(new Binding(mixin, 52))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--progress")
            .description("Progress line on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, on when stderr is a terminal).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<progress>")
            .defaultValue("auto")
            .type(OutputOptions.ProgressMode.class)
            .auxiliaryTypes(OutputOptions.ProgressMode.class)
            .completionCandidates(new EnumNames.ProgressModes())
            .withToString("field io.inferscope.cli.OutputOptions$ProgressMode io.inferscope.cli.OutputOptions.progress")
            .initialValue(mixin.progress)
            .getter(new Binding(mixin, 53))
            .setter(new Binding(mixin, 53))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  private static CommandSpec runGateOptions(GateOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("--gate")
            .description("After the reports are written, judge the run against this thresholds file (as inferscope gate does): exit 1 when a rule fails.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("FILE")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.GateOptions.gate")
            .initialValue(mixin.gate)
            .getter(new Binding(mixin, 54))
            .setter(new Binding(mixin, 54))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--gate-baseline")
            .description("A run written by --json, which --gate rules with 'baseline' compare with.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("BASE.json")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.GateOptions.baseline")
            .initialValue(mixin.baseline)
            .getter(new Binding(mixin, 55))
            .setter(new Binding(mixin, 55))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--gate-junit")
            .description("Write --gate's result as JUnit XML: one test case per rule.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("FILE")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.GateOptions.junit")
            .initialValue(mixin.junit)
            .getter(new Binding(mixin, 56))
            .setter(new Binding(mixin, 56))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--gate-markdown")
            .description("Write --gate's result as a Markdown table.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("FILE")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.GateOptions.markdown")
            .initialValue(mixin.markdown)
            .getter(new Binding(mixin, 57))
            .setter(new Binding(mixin, 57))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  private static CommandSpec runOtlpOptions(OtlpOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("--otlp-endpoint")
            .description("Export the run to an OpenTelemetry receiver over OTLP/HTTP (protobuf): its base URL, e.g. http://127.0.0.1:4318, to which v1/traces and v1/metrics are appended. run also exports when $OTEL_EXPORTER_OTLP_ENDPOINT is set; report only with this option.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("URL")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.OtlpOptions.endpoint")
            .initialValue(mixin.endpoint)
            .getter(new Binding(mixin, 58))
            .setter(new Binding(mixin, 58))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--otlp-headers-file")
            .description("Headers for the receiver (e.g. an API key), name=value per line or comma-separated, values percent-encoded; in place of $OTEL_EXPORTER_OTLP_HEADERS. Never on the command line.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("FILE")
            .type(java.nio.file.Path.class)
            .auxiliaryTypes(java.nio.file.Path.class)
            .withToString("field java.nio.file.Path io.inferscope.cli.OtlpOptions.headersFile")
            .initialValue(mixin.headersFile)
            .getter(new Binding(mixin, 59))
            .setter(new Binding(mixin, 59))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--otlp-headers")
            .description("Refused: see --otlp-headers-file.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<headersOnArgv>")
            .hidden(true)
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.OtlpOptions.headersOnArgv")
            .initialValue(mixin.headersOnArgv)
            .getter(new Binding(mixin, 60))
            .setter(new Binding(mixin, 60))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--otlp-timeout")
            .description("Bound on each wait of the export: connecting, and each answer (default: 10s). A receiver that fails it is reported in one line; the run's other outputs stand.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("DURATION")
            .type(java.time.Duration.class)
            .auxiliaryTypes(java.time.Duration.class)
            .converters(new Durations())
            .withToString("field java.time.Duration io.inferscope.cli.OtlpOptions.timeout")
            .initialValue(mixin.timeout)
            .getter(new Binding(mixin, 61))
            .setter(new Binding(mixin, 61))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--otlp-required")
            .description("Exit 1 when the OTLP export fails (default: a warning on stderr, the exit code unchanged).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<required>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.OtlpOptions.required")
            .initialValue(mixin.required)
            .getter(new Binding(mixin, 62))
            .setter(new Binding(mixin, 62))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--otlp-token-events")
            .description("Give each request's span one event per streamed text event (default: first and last token only).")
            .descriptionKey("")
            .prompt("")
            .paramLabel("<tokenEvents>")
            .type(boolean.class)
            .auxiliaryTypes(boolean.class)
            .withToString("field boolean io.inferscope.cli.OtlpOptions.tokenEvents")
            .initialValue(mixin.tokenEvents)
            .getter(new Binding(mixin, 63))
            .setter(new Binding(mixin, 63))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  private static CommandSpec runShardOptions(ShardOptions mixin) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(mixin);
    spec.addOption(OptionSpec.builder("--shard")
            .description("Run shard I of N of the load (I from 0; auto/N reads $JOB_COMPLETION_INDEX, which a Kubernetes Indexed Job sets): its share of --concurrency and --requests (10 over 3: 4, 3, 3), every N-th arrival of --rate from the I-th, lines I, I+N, ... of a dataset or trace (each at its own time). Request ids stay the shard's own; inferscope merge makes them id*N+I.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("I/N")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.ShardOptions.shard")
            .initialValue(mixin.shard)
            .getter(new Binding(mixin, 64))
            .setter(new Binding(mixin, 64))
            .hasInitialValue(true)
            .build());
    spec.addOption(OptionSpec.builder("--start-at")
            .description("With --shard: start measured load at this wall-clock instant, ISO-8601 (e.g. 2026-12-08T10:00:00Z), the same for every shard; warm-up is sent before it. A time already past starts at once; the report says how late each shard started.")
            .descriptionKey("")
            .prompt("")
            .paramLabel("TIME")
            .type(java.lang.String.class)
            .auxiliaryTypes(java.lang.String.class)
            .withToString("field String io.inferscope.cli.ShardOptions.startAt")
            .initialValue(mixin.startAt)
            .getter(new Binding(mixin, 65))
            .setter(new Binding(mixin, 65))
            .hasInitialValue(true)
            .build());
    return spec;
  }

  /** Reads and sets one option's field: the field's number in the switches below. */
  private static final class Binding implements IGetter, ISetter {
    private final Object owner;
    private final int field;

    Binding(Object owner, int field) {
      this.owner = owner;
      this.field = field;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      Object value =
          switch (field) {
            case 0 -> ((RunCommand) owner).url;
            case 1 -> ((RunCommand) owner).sampleOnly;
            case 2 -> ((RunCommand) owner).model;
            case 3 -> ((RunCommand) owner).endpoint;
            case 4 -> ((RunCommand) owner).apiKeyFile;
            case 5 -> ((RunCommand) owner).apiKeyOnArgv;
            case 6 -> ((RunCommand) owner).stepsFile;
            case 7 -> ((ShapeOptions) owner).concurrency;
            case 8 -> ((ShapeOptions) owner).requests;
            case 9 -> ((ShapeOptions) owner).duration;
            case 10 -> ((ShapeOptions) owner).rate;
            case 11 -> ((LoadOptions) owner).arrival;
            case 12 -> ((LoadOptions) owner).burstiness;
            case 13 -> ((LoadOptions) owner).seed;
            case 14 -> ((LoadOptions) owner).warmup;
            case 15 -> ((LoadOptions) owner).selfWarm;
            case 16 -> ((LoadOptions) owner).maxTokens;
            case 17 -> ((LoadOptions) owner).prompt;
            case 18 -> ((LoadOptions) owner).promptFile;
            case 19 -> ((LoadOptions) owner).extraBody;
            case 20 -> ((LoadOptions) owner).honorRetryAfter;
            case 21 -> ((LoadOptions) owner).noUsage;
            case 22 -> ((LoadOptions) owner).connectTimeout;
            case 23 -> ((LoadOptions) owner).firstByteTimeout;
            case 24 -> ((LoadOptions) owner).idleTimeout;
            case 25 -> ((LoadOptions) owner).totalTimeout;
            case 26 -> ((LoadOptions) owner).drainTimeout;
            case 27 -> ((LoadOptions) owner).stopGrace;
            case 28 -> ((WorkloadOptions) owner).dataset;
            case 29 -> ((WorkloadOptions) owner).datasetSample;
            case 30 -> ((WorkloadOptions) owner).inputTokens;
            case 31 -> ((WorkloadOptions) owner).outputTokens;
            case 32 -> ((WorkloadOptions) owner).sharedPrefixTokens;
            case 33 -> ((WorkloadOptions) owner).trace;
            case 34 -> ((WorkloadOptions) owner).timeScale;
            case 35 -> ((WorkloadOptions) owner).traceLimit;
            case 36 -> ((WorkloadOptions) owner).skipBadLines;
            case 37 -> ((WorkloadOptions) owner).slo;
            case 38 -> ((HardwareOptions) owner).pid;
            case 39 -> ((HardwareOptions) owner).port;
            case 40 -> ((HardwareOptions) owner).processName;
            case 41 -> ((HardwareOptions) owner).noProcess;
            case 42 -> ((HardwareOptions) owner).samplePeriod;
            case 43 -> ((HardwareOptions) owner).gpuPeriod;
            case 44 -> ((HardwareOptions) owner).nvmlLibrary;
            case 45 -> ((HardwareOptions) owner).noGpu;
            case 46 -> ((HardwareOptions) owner).engineMetricsPeriod;
            case 47 -> ((HardwareOptions) owner).noEngineMetrics;
            case 48 -> ((HardwareOptions) owner).engineMetricsUrl;
            case 49 -> ((HardwareOptions) owner).engine;
            case 50 -> ((OutputOptions) owner).json;
            case 51 -> ((OutputOptions) owner).html;
            case 52 -> ((OutputOptions) owner).quiet;
            case 53 -> ((OutputOptions) owner).progress;
            case 54 -> ((GateOptions) owner).gate;
            case 55 -> ((GateOptions) owner).baseline;
            case 56 -> ((GateOptions) owner).junit;
            case 57 -> ((GateOptions) owner).markdown;
            case 58 -> ((OtlpOptions) owner).endpoint;
            case 59 -> ((OtlpOptions) owner).headersFile;
            case 60 -> ((OtlpOptions) owner).headersOnArgv;
            case 61 -> ((OtlpOptions) owner).timeout;
            case 62 -> ((OtlpOptions) owner).required;
            case 63 -> ((OtlpOptions) owner).tokenEvents;
            case 64 -> ((ShardOptions) owner).shard;
            case 65 -> ((ShardOptions) owner).startAt;
            default -> throw new IllegalStateException("no field " + field);
          };
      return (T) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T value) {
      T old = get();
      switch (field) {
        case 0 -> ((RunCommand) owner).url = (java.lang.String) value;
        case 1 -> ((RunCommand) owner).sampleOnly = (java.lang.Boolean) value;
        case 2 -> ((RunCommand) owner).model = (java.lang.String) value;
        case 3 -> ((RunCommand) owner).endpoint = (java.lang.String) value;
        case 4 -> ((RunCommand) owner).apiKeyFile = (java.nio.file.Path) value;
        case 5 -> ((RunCommand) owner).apiKeyOnArgv = (java.lang.String) value;
        case 6 -> ((RunCommand) owner).stepsFile = (java.nio.file.Path) value;
        case 7 -> ((ShapeOptions) owner).concurrency = (java.lang.Integer) value;
        case 8 -> ((ShapeOptions) owner).requests = (java.lang.Integer) value;
        case 9 -> ((ShapeOptions) owner).duration = (java.time.Duration) value;
        case 10 -> ((ShapeOptions) owner).rate = (java.lang.Double) value;
        case 11 -> ((LoadOptions) owner).arrival = (io.inferscope.probe.LoadSpec.Arrival) value;
        case 12 -> ((LoadOptions) owner).burstiness = (java.lang.Double) value;
        case 13 -> ((LoadOptions) owner).seed = (java.lang.Long) value;
        case 14 -> ((LoadOptions) owner).warmup = (java.lang.Integer) value;
        case 15 -> ((LoadOptions) owner).selfWarm = (io.inferscope.probe.LoadSpec.SelfWarm) value;
        case 16 -> ((LoadOptions) owner).maxTokens = (java.lang.Integer) value;
        case 17 -> ((LoadOptions) owner).prompt = (java.lang.String) value;
        case 18 -> ((LoadOptions) owner).promptFile = (java.nio.file.Path) value;
        case 19 -> ((LoadOptions) owner).extraBody = (java.lang.String) value;
        case 20 -> ((LoadOptions) owner).honorRetryAfter = (java.lang.Boolean) value;
        case 21 -> ((LoadOptions) owner).noUsage = (java.lang.Boolean) value;
        case 22 -> ((LoadOptions) owner).connectTimeout = (java.time.Duration) value;
        case 23 -> ((LoadOptions) owner).firstByteTimeout = (java.time.Duration) value;
        case 24 -> ((LoadOptions) owner).idleTimeout = (java.time.Duration) value;
        case 25 -> ((LoadOptions) owner).totalTimeout = (java.time.Duration) value;
        case 26 -> ((LoadOptions) owner).drainTimeout = (java.time.Duration) value;
        case 27 -> ((LoadOptions) owner).stopGrace = (java.time.Duration) value;
        case 28 -> ((WorkloadOptions) owner).dataset = (java.util.List<java.lang.String>) value;
        case 29 -> ((WorkloadOptions) owner).datasetSample = (java.lang.Integer) value;
        case 30 -> ((WorkloadOptions) owner).inputTokens = (java.lang.String) value;
        case 31 -> ((WorkloadOptions) owner).outputTokens = (java.lang.String) value;
        case 32 -> ((WorkloadOptions) owner).sharedPrefixTokens = (java.lang.Integer) value;
        case 33 -> ((WorkloadOptions) owner).trace = (java.util.List<java.lang.String>) value;
        case 34 -> ((WorkloadOptions) owner).timeScale = (java.lang.Double) value;
        case 35 -> ((WorkloadOptions) owner).traceLimit = (java.lang.Integer) value;
        case 36 -> ((WorkloadOptions) owner).skipBadLines = (java.lang.Boolean) value;
        case 37 -> ((WorkloadOptions) owner).slo = (java.lang.String) value;
        case 38 -> ((HardwareOptions) owner).pid = (java.lang.Integer) value;
        case 39 -> ((HardwareOptions) owner).port = (java.lang.Integer) value;
        case 40 -> ((HardwareOptions) owner).processName = (java.lang.String) value;
        case 41 -> ((HardwareOptions) owner).noProcess = (java.lang.Boolean) value;
        case 42 -> ((HardwareOptions) owner).samplePeriod = (java.time.Duration) value;
        case 43 -> ((HardwareOptions) owner).gpuPeriod = (java.time.Duration) value;
        case 44 -> ((HardwareOptions) owner).nvmlLibrary = (java.nio.file.Path) value;
        case 45 -> ((HardwareOptions) owner).noGpu = (java.lang.Boolean) value;
        case 46 -> ((HardwareOptions) owner).engineMetricsPeriod = (java.time.Duration) value;
        case 47 -> ((HardwareOptions) owner).noEngineMetrics = (java.lang.Boolean) value;
        case 48 -> ((HardwareOptions) owner).engineMetricsUrl = (java.lang.String) value;
        case 49 -> ((HardwareOptions) owner).engine = (io.inferscope.core.EngineKind) value;
        case 50 -> ((OutputOptions) owner).json = (java.nio.file.Path) value;
        case 51 -> ((OutputOptions) owner).html = (java.nio.file.Path) value;
        case 52 -> ((OutputOptions) owner).quiet = (java.lang.Boolean) value;
        case 53 -> ((OutputOptions) owner).progress = (OutputOptions.ProgressMode) value;
        case 54 -> ((GateOptions) owner).gate = (java.nio.file.Path) value;
        case 55 -> ((GateOptions) owner).baseline = (java.nio.file.Path) value;
        case 56 -> ((GateOptions) owner).junit = (java.nio.file.Path) value;
        case 57 -> ((GateOptions) owner).markdown = (java.nio.file.Path) value;
        case 58 -> ((OtlpOptions) owner).endpoint = (java.lang.String) value;
        case 59 -> ((OtlpOptions) owner).headersFile = (java.nio.file.Path) value;
        case 60 -> ((OtlpOptions) owner).headersOnArgv = (java.lang.String) value;
        case 61 -> ((OtlpOptions) owner).timeout = (java.time.Duration) value;
        case 62 -> ((OtlpOptions) owner).required = (java.lang.Boolean) value;
        case 63 -> ((OtlpOptions) owner).tokenEvents = (java.lang.Boolean) value;
        case 64 -> ((ShardOptions) owner).shard = (java.lang.String) value;
        case 65 -> ((ShardOptions) owner).startAt = (java.lang.String) value;
        default -> throw new IllegalStateException("no field " + field);
      }
      return old;
    }
  }
}
