package io.inferscope.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The shards of one load, each run by its own process ({@code run --shard I/N}), put back together
 * as one run (ADR 0019): every request of every shard as it was measured, on one clock, ids made
 * unique; the merged run is then analysed like any other ({@link RunAnalysis#of}), so every figure
 * is computed from the raw data, never averaged from the shards' figures. Pure.
 *
 * <ul>
 *   <li><b>Clock.</b> The merged run keeps the clock of the input whose origin came first; every
 *       other input's times move by the difference of the two origins' wall-clock instants. Inputs
 *       of one host boot read one monotonic clock, so how far their wall clocks disagreed is
 *       measured ({@link RunFacts.ClockGroup}); between hosts it is not, and the merged times carry
 *       the hosts' wall-clock offset (NTP's).
 *   <li><b>Ids.</b> Request {@code j} of shard {@code i} of {@code n} becomes {@code j * n + i}.
 *   <li><b>Samples.</b> Hardware and engine samples are kept as one input took them, never
 *       combined: a sample-only input's first (a run beside the engine), else the lowest shard's
 *       that has any; the facts say whose.
 *   <li><b>Failures.</b> A shard cut short, one whose every request failed and a missing shard are
 *       named in the merged run, which is then partial; their requests count like any others.
 * </ul>
 */
public final class RunMerge {

  private RunMerge() {}

  /**
   * A run to merge.
   *
   * @param file the file it was read from, as given
   * @param schemaVersion the schema of that file
   * @param run the run
   */
  public record Input(String file, int schemaVersion, RunResult run) {
    public Input {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(run, "run");
    }
  }

  /** Runs that must not be merged: the message is one line naming the difference. */
  public static final class Refused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** Settings that are each shard's share of the whole: summed, not compared. */
  private static final List<String> SHARED_SETTINGS =
      List.of("concurrency", "requests", "rate_per_second");

  /**
   * Merges {@code inputs} into one run.
   *
   * @param force merge runs of different engines, models, endpoints, SLOs or schema versions, and
   *     runs without {@code --shard} (numbered in the order given), saying so in the facts
   * @param toolVersion the version doing the merge, for the merged run's meta
   * @param commandLine the merge's own command line, secrets removed
   * @throws Refused when the inputs cannot be merged (or need {@code force})
   */
  public static RunResult of(
      List<Input> inputs, boolean force, String toolVersion, List<String> commandLine) {
    if (inputs.isEmpty()) {
      throw new Refused("no run to merge: give the shards' JSON files");
    }
    List<Input> loads = new ArrayList<>();
    // Positions in inputs of each load, and of each sample-only input.
    List<Integer> loadAt = new ArrayList<>();
    List<Integer> samplerAt = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      if (RunAnalysis.SAMPLE_ONLY.equals(inputs.get(k).run().meta().mode())) {
        samplerAt.add(k);
      } else {
        loads.add(inputs.get(k));
        loadAt.add(k);
      }
    }
    if (loads.isEmpty()) {
      throw new Refused(
          "no load run among the files ("
              + inputs.getFirst().file()
              + " is sample-only): give the shards' JSON files");
    }
    List<String> forced = new ArrayList<>();
    checkSame(inputs, "schema_version", in -> Integer.toString(in.schemaVersion()), force, forced);
    checkSame(loads, "url", in -> in.run().meta().url(), force, forced);
    checkSame(loads, "endpoint", in -> in.run().meta().endpoint(), force, forced);
    checkSame(loads, "model", in -> in.run().meta().model(), force, forced);
    checkSame(loads, "slo", in -> slo(in.run().meta().slo()), force, forced);

    int[] index = new int[loads.size()];
    int count = shardIndices(loads, index, force, forced);
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < loads.size(); k++) {
      order.add(k);
    }
    order.sort(Comparator.comparingInt(k -> index[k]));
    Input primary = loads.get(order.getFirst());

    // The clock of the input that started first: every offset stays >= 0.
    int clockFrom = 0;
    for (int k = 1; k < inputs.size(); k++) {
      if (epoch(inputs.get(k)) < epoch(inputs.get(clockFrom))) {
        clockFrom = k;
      }
    }
    RunClock clock = inputs.get(clockFrom).run().clock();
    long[] offset = new long[inputs.size()];
    for (int k = 0; k < inputs.size(); k++) {
      offset[k] = Math.subtractExact(epoch(inputs.get(k)), clock.originEpochNanos());
    }

    List<RequestTrace> traces = new ArrayList<>();
    for (int k : order) {
      Input in = loads.get(k);
      long delta = offset[loadAt.get(k)];
      for (RequestTrace t : in.run().traces()) {
        traces.add(shifted(t, delta, Sharding.globalId(t.id(), index[k], count)));
      }
    }
    traces.sort(Comparator.comparingInt(RequestTrace::id));

    // Samples: a sample-only input's first, else the lowest shard's that has any.
    List<Integer> bySampling = new ArrayList<>(samplerAt);
    for (int k : order) {
      bySampling.add(loadAt.get(k));
    }
    Integer hardwareFrom = null;
    Integer engineFrom = null;
    for (int k : bySampling) {
      RunResult r = inputs.get(k).run();
      if (hardwareFrom == null && hasHardware(r.hardware())) {
        hardwareFrom = k;
      }
      if (engineFrom == null && hasEngineMetrics(r.engineMetrics())) {
        engineFrom = k;
      }
    }
    // With none, the first shard's say why there are none (switched off, not found).
    int primaryAt = loadAt.get(order.getFirst());
    int hardwareInput = hardwareFrom != null ? hardwareFrom : primaryAt;
    int engineInput = engineFrom != null ? engineFrom : primaryAt;
    HardwareSamples hardware =
        shifted(inputs.get(hardwareInput).run().hardware(), offset[hardwareInput]);
    EngineMetrics engine =
        shifted(inputs.get(engineInput).run().engineMetrics(), offset[engineInput]);

    Integer clientFrom = null;
    for (int k : order) {
      ClientOverhead c = loads.get(k).run().client();
      if (c != null
          && (clientFrom == null
              || lag(c) > lag(Objects.requireNonNull(inputs.get(clientFrom).run().client())))) {
        clientFrom = loadAt.get(k);
      }
    }

    List<RunFacts.MergedInput> merged = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      Input in = inputs.get(k);
      int at = loadAt.indexOf(k);
      Integer shardIndex = at < 0 ? null : index[at];
      RunFacts.MergedInput m =
          mergedInput(in, shardIndex, offset[k], hasHardware(in.run().hardware()));
      merged.add(m);
      if (m.status() != RunFacts.InputStatus.OK && m.status() != RunFacts.InputStatus.SAMPLES) {
        problems.add(
            "shard "
                + shardIndex
                + "/"
                + count
                + " ("
                + in.file()
                + ") "
                + m.status().name().toLowerCase(Locale.ROOT)
                + ": "
                + m.statusDetail());
      } else if (m.status() == RunFacts.InputStatus.SAMPLES && in.run().partial()) {
        problems.add("samples (" + in.file() + ") cut short: " + in.run().stopReason());
      }
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean given = false;
      for (int x : index) {
        given |= x == i;
      }
      if (!given) {
        missing.add(i);
        problems.add("shard " + i + "/" + count + " missing");
      }
    }
    RunFacts.Merge merge =
        new RunFacts.Merge(
            count,
            merged,
            missing,
            clockFrom,
            hardwareFrom,
            engineFrom,
            clientFrom,
            clockGroups(inputs),
            forced);

    RunFacts facts =
        facts(primary, loads, inputs.get(hardwareInput).run().facts(), hardwareFrom != null)
            .withMerge(merge);
    RunMeta p = primary.run().meta();
    RunMeta meta =
        new RunMeta(
            toolVersion,
            "run",
            commandLine,
            p.url(),
            p.endpoint(),
            p.model(),
            settings(p.settings(), loads),
            p.slo(),
            // A shard's steps name its own request ids and clock: label the merged run anew.
            List.of(),
            p.price());
    long end = 0;
    for (int k = 0; k < inputs.size(); k++) {
      end = Math.max(end, Math.addExact(inputs.get(k).run().endNanos(), offset[k]));
    }
    return new RunResult(
        meta,
        clock,
        traces,
        end,
        !problems.isEmpty(),
        problems.isEmpty() ? null : String.join("; ", problems),
        hardware,
        clientFrom == null ? null : inputs.get(clientFrom).run().client(),
        facts,
        engine);
  }

  /** The shard index of each load into {@code index}; returns the shard count. */
  private static int shardIndices(
      List<Input> loads, int[] index, boolean force, List<String> forced) {
    for (Input in : loads) {
      if (in.run().facts().shard() == null) {
        if (!force) {
          throw new Refused(
              in.file()
                  + " was not run with --shard: give the shards' files, or --force to merge"
                  + " runs as shards in the order given");
        }
        for (int k = 0; k < loads.size(); k++) {
          index[k] = k;
        }
        forced.add(
            "runs without --shard ("
                + in.file()
                + (loads.size() > 1 ? ", ..." : "")
                + ") merged as shards in the order given");
        return loads.size();
      }
    }
    RunFacts.Shard first = loads.getFirst().run().facts().shard();
    Map<Integer, String> seen = new TreeMap<>();
    for (int k = 0; k < loads.size(); k++) {
      RunFacts.Shard s = loads.get(k).run().facts().shard();
      if (s.count() != first.count()) {
        throw new Refused(
            "shard counts differ: "
                + loads.getFirst().file()
                + " is shard "
                + first.label()
                + ", "
                + loads.get(k).file()
                + " is shard "
                + s.label()
                + ": merge the files of one sharded load");
      }
      String before = seen.put(s.index(), loads.get(k).file());
      if (before != null) {
        throw new Refused(
            "shard "
                + s.label()
                + " given twice: "
                + before
                + " and "
                + loads.get(k).file()
                + ": give each shard's file once");
      }
      index[k] = s.index();
    }
    return first.count();
  }

  /** Refuses (or, forced, records) the first input whose {@code what} differs from the first's. */
  private static void checkSame(
      List<Input> inputs,
      String what,
      java.util.function.Function<Input, String> value,
      boolean force,
      List<String> forced) {
    Input first = inputs.getFirst();
    String a = value.apply(first);
    for (Input in : inputs.subList(1, inputs.size())) {
      String b = value.apply(in);
      if (!Objects.equals(a, b)) {
        String line =
            what + " differs: " + first.file() + " " + shown(a) + ", " + in.file() + " " + shown(b);
        if (!force) {
          String fix =
              what.equals("schema_version")
                  ? "rewrite the older with inferscope report OLD.json --json NEW.json, or give"
                      + " --force"
                  : "merge the shards of one load, or give --force";
          throw new Refused(line + ": " + fix);
        }
        forced.add(line);
        return;
      }
    }
  }

  private static String shown(String v) {
    return v == null ? "(none)" : v;
  }

  private static String slo(Slo s) {
    return s == null ? null : s.toString();
  }

  private static long epoch(Input in) {
    return in.run().clock().originEpochNanos();
  }

  private static long lag(ClientOverhead c) {
    return c.schedulingLagMaxNanos() == null ? -1 : c.schedulingLagMaxNanos();
  }

  static boolean hasHardware(HardwareSamples h) {
    return (h.processTree() != null && !h.processTree().samples().isEmpty())
        || (h.gpu() != null && !h.gpu().samples().isEmpty());
  }

  static boolean hasEngineMetrics(EngineMetrics e) {
    return e.scrapes() != null && !e.scrapes().samples().isEmpty();
  }

  private static RunFacts.MergedInput mergedInput(
      Input in, Integer shardIndex, long offset, boolean hadHardware) {
    RunResult r = in.run();
    int requests = 0;
    int ok = 0;
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (RequestTrace t : r.traces()) {
      if (!t.warmup()) {
        requests++;
        if (t.ok()) {
          ok++;
        } else {
          codes.merge(t.failure().code(), 1, Integer::sum);
        }
      }
    }
    RunFacts.InputStatus status;
    String detail = null;
    if (shardIndex == null) {
      status = RunFacts.InputStatus.SAMPLES;
    } else if (r.partial()) {
      status = RunFacts.InputStatus.PARTIAL;
      detail = r.stopReason() == null ? "cut short" : "cut short: " + r.stopReason();
    } else if (requests == 0) {
      status = RunFacts.InputStatus.FAILED;
      detail = "no measured request was sent";
    } else if (ok == 0) {
      status = RunFacts.InputStatus.FAILED;
      String top =
          codes.entrySet().stream()
              .max(Map.Entry.comparingByValue())
              .map(e -> e.getKey() + " x" + e.getValue())
              .orElse("no cause recorded");
      detail = "every one of its " + requests + " measured requests failed (" + top + ")";
    } else {
      status = RunFacts.InputStatus.OK;
    }
    return new RunFacts.MergedInput(
        in.file(),
        shardIndex,
        r.facts().shard(),
        r.facts().host(),
        r.clock(),
        offset,
        requests,
        ok,
        status,
        detail,
        hadHardware,
        hasEngineMetrics(r.engineMetrics()));
  }

  /** Inputs by host boot, in the order their first input was given. */
  private static List<RunFacts.ClockGroup> clockGroups(List<Input> inputs) {
    Map<String, List<Integer>> byBoot = new LinkedHashMap<>();
    for (int k = 0; k < inputs.size(); k++) {
      RunFacts.Host h = inputs.get(k).run().facts().host();
      // Unknown boot: a group of its own.
      String key = h == null || h.bootId() == null ? "\u0000" + k : h.bootId();
      byBoot.computeIfAbsent(key, x -> new ArrayList<>()).add(k);
    }
    List<RunFacts.ClockGroup> groups = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : byBoot.entrySet()) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int k : e.getValue()) {
        RunClock c = inputs.get(k).run().clock();
        // Wall minus monotonic at the origin: one number for every process of one boot, but for
        // the wall clock's own error (its read, a step or slew between the origins).
        long wallMinusMono = Math.subtractExact(c.originEpochNanos(), c.originNanoTime());
        min = Math.min(min, wallMinusMono);
        max = Math.max(max, wallMinusMono);
      }
      groups.add(
          new RunFacts.ClockGroup(
              e.getKey().startsWith("\u0000") ? null : e.getKey(),
              e.getValue(),
              e.getValue().size() < 2 ? null : max - min));
    }
    return groups;
  }

  /**
   * The merged run's facts: the hardware's from the input that sampled it, connections per request
   * if any shard's were, the workload's items summed.
   */
  private static RunFacts facts(
      Input primary, List<Input> loads, RunFacts hardwareFacts, boolean hardwareSampled) {
    RunFacts p = primary.run().facts();
    RunFacts.ConnectionReuse reuse = null;
    for (Input in : loads) {
      RunFacts.ConnectionReuse r = in.run().facts().connectionReuse();
      if (r == RunFacts.ConnectionReuse.PER_REQUEST || reuse == null) {
        reuse = r == null ? reuse : r;
      }
    }
    RunFacts source = hardwareSampled ? hardwareFacts : p;
    return new RunFacts(
        source.hostCpus() != null ? source.hostCpus() : p.hostCpus(),
        reuse,
        source.engineProcess(),
        workload(loads),
        // Several hosts: each input's is in the merge facts.
        null,
        null,
        null);
  }

  /**
   * The shards' workloads as one: items summed (each shard had its own lines), means weighted by
   * items; one prompt stays one prompt.
   */
  private static RunFacts.Workload workload(List<Input> loads) {
    RunFacts.Workload first = loads.getFirst().run().facts().workload();
    if (first == null || first.source() == RunFacts.WorkloadSource.PROMPT) {
      return first;
    }
    int items = 0;
    double input = 0;
    double output = 0;
    boolean inputKnown = true;
    boolean outputKnown = true;
    for (Input in : loads) {
      RunFacts.Workload w = in.run().facts().workload();
      if (w == null || w.source() != first.source()) {
        return first;
      }
      items += w.items();
      inputKnown &= w.inputTokensMean() != null;
      outputKnown &= w.outputTokensMean() != null;
      input += w.inputTokensMean() == null ? 0 : w.inputTokensMean() * w.items();
      output += w.outputTokensMean() == null ? 0 : w.outputTokensMean() * w.items();
    }
    return new RunFacts.Workload(
        first.source(),
        first.file(),
        items,
        first.skippedLines(),
        first.tokenCounting(),
        inputKnown ? input / items : null,
        outputKnown ? output / items : null,
        first.sharedPrefixTokens(),
        first.templateTokens());
  }

  /** The primary shard's settings, with each shard's share summed back to the whole. */
  private static Map<String, String> settings(Map<String, String> primary, List<Input> loads) {
    Map<String, String> s = new LinkedHashMap<>(primary);
    for (String key : SHARED_SETTINGS) {
      if (!s.containsKey(key)) {
        continue;
      }
      long whole = 0;
      double decimal = 0;
      boolean integral = true;
      boolean numeric = true;
      for (Input in : loads) {
        String v = in.run().meta().settings().get(key);
        if (v == null || v.isEmpty()) {
          numeric = false;
          break;
        }
        try {
          whole = Math.addExact(whole, Long.parseLong(v));
          decimal += Long.parseLong(v);
        } catch (NumberFormatException e) {
          try {
            decimal += Double.parseDouble(v);
            integral = false;
          } catch (NumberFormatException notNumber) {
            numeric = false; // e.g. unbounded
            break;
          }
        }
      }
      if (numeric) {
        // A rate split 3 ways sums back to the rate given, not to 9.999999999999998.
        s.put(
            key,
            integral ? Long.toString(whole) : Double.toString(Math.round(decimal * 1e9) / 1e9));
      }
    }
    return s;
  }

  /** {@code t} with id {@code id} and every time moved by {@code delta}. */
  static RequestTrace shifted(RequestTrace t, long delta, int id) {
    return new RequestTrace(
        id,
        t.warmup(),
        t.intendedNanos() + delta,
        t.sendNanos() + delta,
        t.headersNanos() == null ? null : t.headersNanos() + delta,
        t.endNanos() + delta,
        t.httpStatus(),
        t.events().shifted(delta),
        t.usage(),
        t.serverTimings(),
        t.finishReason(),
        t.failure());
  }

  static HardwareSamples shifted(HardwareSamples h, long delta) {
    if (delta == 0) {
      return h;
    }
    Timeline<ProcessTreeSample> tree = null;
    if (h.processTree() != null) {
      List<ProcessTreeSample> samples = new ArrayList<>();
      for (ProcessTreeSample s : h.processTree().samples()) {
        samples.add(new ProcessTreeSample(s.atNanos() + delta, s.rootPid(), s.processes()));
      }
      tree = retimed(h.processTree(), samples);
    }
    Timeline<GpuTick> gpu = null;
    if (h.gpu() != null) {
      List<GpuTick> ticks = new ArrayList<>();
      for (GpuTick t : h.gpu().samples()) {
        List<GpuSample> devices = new ArrayList<>();
        for (GpuSample d : t.devices()) {
          devices.add(
              new GpuSample(
                  d.atNanos() + delta,
                  d.deviceIndex(),
                  d.smUtilPercent(),
                  d.memoryUtilPercent(),
                  d.memoryUsedBytes(),
                  d.powerWatts(),
                  d.temperatureCelsius(),
                  d.smClockMhz(),
                  d.memoryClockMhz(),
                  d.energyMillijoules(),
                  d.processes()));
        }
        ticks.add(new GpuTick(t.atNanos() + delta, devices));
      }
      gpu = retimed(h.gpu(), ticks);
    }
    return new HardwareSamples(h.enginePid(), tree, h.gpuDevices(), gpu);
  }

  static EngineMetrics shifted(EngineMetrics e, long delta) {
    if (delta == 0 || e.scrapes() == null) {
      return e;
    }
    List<EngineScrape> reads = new ArrayList<>();
    for (EngineScrape s : e.scrapes().samples()) {
      reads.add(
          new EngineScrape(
              s.sentNanos() + delta, s.receivedNanos() + delta, s.values(), s.malformedLines()));
    }
    return new EngineMetrics(
        e.url(),
        e.engine(),
        e.series(),
        retimed(e.scrapes(), reads),
        e.skippedReads(),
        e.failedReads());
  }

  private static <S> Timeline<S> retimed(Timeline<?> t, List<S> samples) {
    return new Timeline<>(t.source(), t.periodNanos(), samples, t.unavailableReason());
  }
}
