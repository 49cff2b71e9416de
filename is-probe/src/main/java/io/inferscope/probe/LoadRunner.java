package io.inferscope.probe;

import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import okhttp3.HttpUrl;

/**
 * Drives the load a {@link LoadSpec} describes and records a trace of every request.
 *
 * <p>The streams are read on a few event-loop threads ({@link StreamClient}, ADR 0011); each
 * request is sent from, and its trace handed over on, a virtual thread of its own, which wakes
 * twice per request, not per event. Closed loop: {@code concurrency} workers each send their next
 * request when the last one ends, and the intended send time is the moment the worker became free
 * and had made its next request's body. Open loop: one scheduler thread releases request {@code i}
 * at its slot in the {@link ArrivalSchedule}, then waits for one of {@code concurrency} slots; the
 * wait shows as send time after intended time. It makes each burst ({@link Bursts}) ready before
 * its time and hands it to its connections itself. Warm-up requests run first, closed loop, and
 * measured load (and its duration) starts when they have all ended.
 *
 * <p>One stop path: however the run ends (its own end, {@link #stop}, a stream thread refused, an
 * interrupt), no new request starts, in-flight ones get a bounded wait ({@link Timeouts}), are then
 * cancelled, and {@link #run} returns every trace in a {@link LoadResult}.
 */
public final class LoadRunner {
  /** Why in-flight requests are cancelled when a timed run's drain ends. */
  static final String DURATION_REASON = "run duration reached; drain timeout";

  /** The stop reason of a run whose thread was interrupted (unless it was stopped before). */
  public static final String INTERRUPTED = "run interrupted";

  private static final long NO_DEADLINE = Long.MAX_VALUE;

  /**
   * How long before an open-loop request's time its scheduler stops parking and spins: parked
   * virtual threads woke 0.6–1.2 ms late on the 2-core project machine (docs/benchmarks.md).
   */
  private static final long SPIN_NANOS = 1_500_000;

  /**
   * Measured load that starts at most this long after its agreed start ({@link LoadSpec#startAt})
   * keeps the agreed instant as its schedule's origin; later, its schedule starts when it does.
   */
  static final long ON_TIME_NANOS = 10_000_000;

  /** Requests the open loop hands over in one burst before their waiting threads start. */
  private static final int MAX_HANDED = 64;

  private final LoadSpec spec;
  private final RunClock clock;
  private final String url;
  private final Map<String, String> extra;

  /** The body of a workload of one item, built once; null when each request builds its own. */
  private final byte[] body;

  private final Duration poolKeepAlive;

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled whenever a request or sender ends, or the run is stopped. */
  private final Condition changed = lock.newCondition();

  // Guarded by lock.
  private int senders;
  private int active;
  private int slotsInUse;

  /** When in-flight requests are cancelled, once the run is ending. Guarded by lock. */
  private long cancelAtNanos = NO_DEADLINE;

  private final Set<RequestHandle> handles = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private volatile String clientLimit;
  private final AtomicBoolean ran = new AtomicBoolean();
  private final AtomicBoolean callbackFailed = new AtomicBoolean();
  private final ConcurrentLinkedQueue<RequestTrace> traces = new ConcurrentLinkedQueue<>();

  /** No new request may start. Written under lock. */
  private volatile boolean closed;

  /** Set when in-flight requests are cancelled; a request starting after it cancels itself. */
  private volatile String cancelReason;

  private volatile Consumer<RequestTrace> onTrace = t -> {};

  /** See {@link #measuredStartNanos()}. */
  private volatile Long measuredStartNanos;

  private volatile StreamClient client;

  /** Event-loop threads that read the streams. */
  private final int eventLoops =
      StreamClient.eventLoopsFor(Runtime.getRuntime().availableProcessors());

  /**
   * Streams from which {@link #warmUp} warms the client by default: a cold run of 128 streams had
   * ITL error p99 7–10× a warmed one's (9.6–10.0 ms against 0.9–1.3), of 64 streams about 2× (2.9
   * against 1.7 ms), of 32 within a millisecond; the warm-up delays the load by up to 8 s
   * (docs/benchmarks.md, "Cold start"), so smaller runs start at once and their TTFT carries the
   * client's own warm-up, 0.5–1 ms at one stream on a 2-vCPU VM ("TTFT against the engine's own"):
   * {@link LoadSpec.SelfWarm#ON} warms them too.
   */
  public static final int SELF_WARM_MIN_STREAMS = 128;

  /**
   * The longest self-warm: on a 2-vCPU VM both phases took 5.0–6.4 s until the compilers were
   * nearly idle; within 5 s the request path was left to compile in the run's first seconds
   * (docs/benchmarks.md, "The request path's C2 thresholds").
   */
  static final Duration SELF_WARM_MAX = Duration.ofSeconds(8);

  /** Time left between a self-warm and an agreed start (ADR 0019), for the rest of the set-up. */
  static final Duration SELF_WARM_MARGIN = Duration.ofSeconds(1);

  /**
   * What {@link #warmUp} did.
   *
   * @param events events read on loopback
   * @param requests requests answered on loopback
   * @param batches batches of long streams read at once (the read phase)
   * @param elapsedNanos its time, start to end
   * @param settled whether it ended because the JIT compiler was nearly idle: over a check of the
   *     request phase, or over a whole batch when the read phase was all (else: its time bound, a
   *     stop, or a JVM that does not tell its compile time)
   */
  public record WarmUp(
      long events, long requests, int batches, long elapsedNanos, boolean settled) {}

  /** The reader's one-time set-up that {@link #run} waits for (tests hold it back). */
  java.util.function.Supplier<java.util.concurrent.CompletableFuture<Void>> readerSetUp =
      ReaderSetUp::start;

  /**
   * The certificates trusted for https engines, or null for the platform's store (tests set one).
   */
  javax.net.ssl.TrustManagerFactory trust;

  private LoadRunner(
      LoadSpec spec,
      RunClock clock,
      String url,
      Map<String, String> extra,
      Duration poolKeepAlive) {
    this.spec = spec;
    this.clock = clock;
    this.url = url;
    this.extra = extra;
    List<WorkItem> items = spec.workload().items();
    // One prompt of given text is one body; generated text differs per request (PromptText).
    this.body =
        items.size() == 1 && !PromptText.generated(items.getFirst().prompt())
            ? RequestBodies.body(spec, extra, items.getFirst())
            : null;
    this.poolKeepAlive = poolKeepAlive;
  }

  /**
   * Creates a runner; opens no connection yet.
   *
   * @throws IllegalArgumentException with a one-line message when the URL, the extra body JSON or
   *     the API key cannot be used
   */
  public static LoadRunner create(LoadSpec spec, RunClock clock) {
    return create(spec, clock, StreamClient.POOL_KEEP_ALIVE);
  }

  /**
   * Checks {@code spec} as {@link #create} does, before anything is sent or warmed.
   *
   * @throws IllegalArgumentException as {@link #create} does
   */
  public static void check(LoadSpec spec) {
    create(spec, RunClock.startNow()); // a runner opens nothing until it runs
  }

  /** {@link #create(LoadSpec, RunClock)} with another idle-connection lifetime (tests). */
  static LoadRunner create(LoadSpec spec, RunClock clock, Duration poolKeepAlive) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(clock, "clock");
    String url = RequestBodies.url(spec.baseUrl(), spec.endpoint());
    if (HttpUrl.parse(url) == null) {
      throw new IllegalArgumentException(
          "not an http:// or https:// URL: " + Excerpts.oneLine(spec.baseUrl().toString(), 120));
    }
    HttpClients.checkApiKey(spec.apiKey());
    Map<String, String> extra = RequestBodies.extraFields(spec.extraBodyJson());
    // Built once here, so a body that cannot be sent is bad input, found before load; what could
    // differ between items (messages on the completions endpoint) was checked as they were read.
    RequestBodies.body(spec, extra, spec.workload().items().getFirst());
    return new LoadRunner(spec, clock, url, extra, poolKeepAlive);
  }

  /**
   * Runs the load until it ends: all requests done, or the duration reached and drained, or
   * stopped. {@code onTrace} (null: none) is called once per request, from the request's thread, as
   * it ends. The self-warm passes none, so that the JIT learns the request path with the default
   * here: a run given another makes the JIT compile that path again in its first seconds (in {@code
   * bench fidelity}'s cold level of 512 streams, 324 class-check traps at the call); {@link
   * #finished} and {@link #failed} count without one.
   *
   * <p>Returns the same way however the run ended, with every trace: after {@link #stop}, in-flight
   * requests get the {@linkplain Timeouts#stopGrace() stop grace}, then are cancelled. When the
   * calling thread is interrupted, in-flight requests are cancelled at once, each still reaches
   * {@code onTrace}, and this returns with the stop reason {@link #INTERRUPTED} (unless the run was
   * stopped before) and the thread's interrupt status set again.
   *
   * @throws IllegalStateException when called a second time
   */
  public LoadResult run(Consumer<RequestTrace> onTrace) {
    if (!ran.compareAndSet(false, true)) {
      throw new IllegalStateException("run() can be called only once per runner");
    }
    if (onTrace != null) {
      this.onTrace = onTrace;
    }
    // The reader's one-time set-up must not land in the first request's latency.
    ReaderSetUp.await(readerSetUp.get());
    if ("https".equalsIgnoreCase(spec.baseUrl().getScheme())) {
      ReaderSetUp.loadHttp2();
    }
    StreamClient client =
        new StreamClient(
            java.net.URI.create(url),
            clock,
            spec.timeouts(),
            poolKeepAlive,
            body != null ? body : new byte[0],
            spec.apiKey(),
            eventLoops,
            trust);
    this.client = client;
    boolean interrupted = false;
    BodiesAhead ahead = null;
    try {
      try {
        client.startLoops();
      } catch (RuntimeException | OutOfMemoryError e) {
        // A loop's thread refused: its first request meets it and records it, as before.
      }
      int warmup = spec.warmupRequests();
      if (warmup > 0) {
        startClosedLoop(0, warmup, true, Math.min(spec.concurrency(), warmup), NO_DEADLINE);
        awaitPhase(NO_DEADLINE);
      }
      if (stopReason.get() == null) {
        int end =
            spec.requests() == null
                ? Integer.MAX_VALUE
                : (int) Math.min(Integer.MAX_VALUE, (long) warmup + spec.requests());
        if (spec.fixedSchedule()) {
          end = (int) Math.min(end, (long) warmup + spec.workload().items().size());
        }
        boolean open = spec.ratePerSecond() != null || spec.fixedSchedule();
        // The first bodies are made before the schedule starts: a trace often begins with a burst.
        ahead = open && body == null ? new BodiesAhead(warmup, end) : null;
        if (ahead != null) {
          ahead.awaitFirst();
        }
        if (open) {
          // The open loop hands requests over on its scheduler thread: the engine's host name is
          // resolved now, not by the first arrival of a burst.
          try {
            client.address();
          } catch (java.net.UnknownHostException e) {
            // the first request records it as its failure
          }
        }
        Long agreed = startAtNanos();
        if (agreed != null) {
          awaitStart(agreed);
        }
        long start = clock.nowNanos();
        measuredStartNanos = stopReason.get() == null ? start : null;
        // Reached in time, the schedule starts at the agreed instant itself, as every shard's does;
        // late, it starts when it can (its first arrivals are not sent in one burst).
        boolean onTime = agreed != null && start - agreed <= ON_TIME_NANOS;
        if (onTime) {
          start = agreed;
        }
        long deadline = spec.duration() == null ? NO_DEADLINE : start + spec.duration().toNanos();
        if (!open) {
          startClosedLoop(warmup, end, false, spec.concurrency(), deadline);
        } else {
          startOpenLoop(warmup, end, start, onTime, deadline, ahead);
        }
        awaitPhase(deadline);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      abort();
    } finally {
      if (ahead != null) {
        ahead.close(); // the scheduler closes it too; not started or interrupted, only this does
      }
      client.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return new LoadResult(sortedTraces(), stopReason.get());
  }

  /**
   * Starts setting up the engine probe's first call, then the stream reader (Netty's transport,
   * buffers, codec, the read path), on a thread of its own, so that it overlaps what a command does
   * before its first request; {@link #run} waits for it either way. Once per process; cheap to call
   * again.
   */
  public static void prepare() {
    ReaderSetUp.start();
  }

  /**
   * Before the run is created, outside what it measures (its clock, samplers and CPU count start
   * after): for a run of {@link #SELF_WARM_MIN_STREAMS} streams or more (its concurrency given), or
   * on a fixed schedule (a trace, timestamps), warms the client's hot path (read path, then request
   * path) until the JIT compiler is nearly idle, for at most {@link #SELF_WARM_MAX} of warming (its
   * time said also counts the wait for the reader's set-up and the last loopback answers' end), on
   * loopback servers of its own: nothing is sent to the engine. With an agreed start (ADR 0019) it
   * ends {@link #SELF_WARM_MARGIN} before it, and does not run when the run sends warm-up requests
   * first, whose time it cannot know. Once per process; {@code stop} is asked before it starts,
   * after each batch of the read phase and every 100 ms of the request phase. Returns what it did,
   * or null when it did nothing.
   */
  public static WarmUp warmUp(LoadSpec spec, java.util.function.BooleanSupplier stop) {
    long t0 = System.nanoTime();
    if (!selfWarms(spec) || stop.getAsBoolean()) {
      return null;
    }
    ReaderSetUp.await(ReaderSetUp.start());
    long budget = selfWarmBudgetNanos(spec.startAt(), java.time.Instant.now());
    if (budget <= 0 || stop.getAsBoolean()) {
      return null;
    }
    WarmUp w =
        SelfWarm.once(
            StreamClient.eventLoopsFor(Runtime.getRuntime().availableProcessors()),
            System.nanoTime() + budget,
            stop,
            spec.fixedSchedule());
    // Its time includes the wait for the reader's set-up: all of it delays the load.
    return w == null
        ? null
        : new WarmUp(w.events(), w.requests(), w.batches(), System.nanoTime() - t0, w.settled());
  }

  /** Whether {@link #warmUp} warms the client before {@code spec}'s load. */
  static boolean selfWarms(LoadSpec spec) {
    // An open loop without a bound (concurrency not given) may keep few streams: not warmed,
    // unless it sends on a fixed schedule (a trace's bursts: each request of one is due at once).
    int streams = spec.concurrency();
    boolean wanted =
        switch (spec.selfWarm()) {
          case ON -> true;
          case OFF -> false;
          case AUTO ->
              spec.fixedSchedule()
                  || (streams >= SELF_WARM_MIN_STREAMS && streams != Integer.MAX_VALUE);
        };
    return wanted && !(spec.startAt() != null && spec.warmupRequests() > 0);
  }

  /**
   * The self-warm's time from {@code now}: its bound, less before an agreed start {@code startAt}
   * (null: none); zero or less when that is too close.
   */
  static long selfWarmBudgetNanos(java.time.Instant startAt, java.time.Instant now) {
    long max = SELF_WARM_MAX.toNanos();
    return startAt == null
        ? max
        : Math.min(max, Duration.between(now, startAt).minus(SELF_WARM_MARGIN).toNanos());
  }

  /**
   * Stops the run from any thread, before or during {@link #run}: no new request starts; in-flight
   * requests get the {@linkplain Timeouts#stopGrace() stop grace} to finish, then are cancelled and
   * recorded as {@code Failure.Cancelled(reason)}. The first stop's reason is the run's; a later
   * stop can only bring the cancellation closer.
   */
  public void stop(String reason) {
    end(reason == null || reason.isBlank() ? "stopped" : reason, spec.timeouts().stopGrace());
  }

  /**
   * Whether the engine closed connections after answers while advertising keep-alive, so the run
   * switched to one connection per request (see ADR 0004). False before {@link #run}.
   */
  public boolean engineClosesConnections() {
    StreamClient c = client;
    return c != null && c.engineClosesConnections();
  }

  /**
   * Why the run stopped itself for want of a thread (out of memory), or null: then the asked
   * concurrency could not be driven and the traces are partial.
   */
  public String clientLimit() {
    return clientLimit;
  }

  /**
   * When measured load started, on the run clock, or null before it did (or when the run was
   * stopped first).
   */
  public Long measuredStartNanos() {
    return measuredStartNanos;
  }

  /**
   * The spec's {@link LoadSpec#startAt()} on the run clock: its wall instant less the clock's
   * origin's, the wall clock read once (ADR 0003), or null without one.
   */
  public Long startAtNanos() {
    return spec.startAt() == null
        ? null
        : Duration.between(clock.originWall(), spec.startAt()).toNanos();
  }

  /** Requests in flight now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Requests whose traces are recorded so far, warm-up ones included. */
  public long finished() {
    return finished.get();
  }

  /** Of {@link #finished}, those that did not complete. */
  public long failed() {
    return failed.get();
  }

  /** Whether the run is ending: no new request starts (its duration is over, or it was stopped). */
  boolean ending() {
    return stopping();
  }

  @Override
  public String toString() {
    return "LoadRunner[" + spec + ", inFlight=" + inFlight.get() + "]";
  }

  private List<RequestTrace> sortedTraces() {
    List<RequestTrace> list = new ArrayList<>(traces);
    list.sort(Comparator.comparingInt(RequestTrace::id));
    return list;
  }

  private boolean stopping() {
    return closed || stopReason.get() != null;
  }

  // ---- senders

  /** Starts the threads that send requests and read their streams. */
  interface ThreadStarter {
    /**
     * @throws OutOfMemoryError when the host refuses a thread
     */
    void start(String name, Runnable task);
  }

  /** Replaced by tests to play a host that refuses threads. */
  ThreadStarter threads = (name, task) -> Thread.ofVirtual().name(name).start(task);

  private void startClosedLoop(
      int firstId, int endId, boolean warmup, int workers, long deadlineNanos) {
    AtomicInteger nextId = new AtomicInteger(firstId);
    lock.lock();
    try {
      senders += workers;
    } finally {
      lock.unlock();
    }
    for (int w = 0; w < workers; w++) {
      try {
        startWorker(w, nextId, firstId, endId, warmup, deadlineNanos);
      } catch (OutOfMemoryError e) {
        // No thread could be started: the asked concurrency cannot be driven. Stop rather than
        // silently drive less; what is in flight drains and is kept.
        lock.lock();
        try {
          senders -= workers - w;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
        threadLimit(w + 1, workers);
        return;
      }
    }
  }

  private void startWorker(
      int w, AtomicInteger nextId, int firstId, int endId, boolean warmup, long deadlineNanos) {
    threads.start(
        "inferscope-worker-" + w,
        () -> {
          try {
            while (!stopping()) {
              if (clock.nowNanos() >= deadlineNanos) {
                break;
              }
              int id = nextId.getAndIncrement();
              if (id >= endId || id < firstId) {
                break;
              }
              lock.lock();
              try {
                active++;
              } finally {
                lock.unlock();
              }
              // The body first, then the intended time: making a long prompt is the client's work
              // before its request, not lateness of its send (the open loop makes its bodies ahead
              // for the same reason). Made cold, the first measured bodies of 1,500 tokens held
              // their sends 11-14 ms on a 16-core host.
              byte[] requestBody = bodyOf(id, warmup);
              long intended = clock.nowNanos();
              RequestTrace trace = runRequest(id, warmup, intended, false, requestBody);
              waitIfAsked(trace, deadlineNanos);
            }
          } finally {
            senderDone();
          }
        });
  }

  private void startOpenLoop(
      int firstId,
      int endId,
      long startNanos,
      boolean agreedStart,
      long deadlineNanos,
      BodiesAhead ahead) {
    lock.lock();
    try {
      senders++;
    } finally {
      lock.unlock();
    }
    // A platform thread: a virtual thread's timed wait ends through the unparker and a carrier,
    // two wake-ups, and woke up to 2-3.6 ms late on 2 busy cores, past the last stretch's spin.
    try {
      Thread.ofPlatform()
          .daemon()
          .name("inferscope-scheduler")
          .start(
              () -> sendOnSchedule(firstId, endId, startNanos, agreedStart, deadlineNanos, ahead));
    } catch (OutOfMemoryError e) {
      // No thread to send from: stop with the reason rather than send nothing silently.
      if (ahead != null) {
        ahead.close();
      }
      limitedBy(
          "the client could not start its scheduler thread (out of memory): give the client"
              + " more heap (INFERSCOPE_JAVA_OPTS=-Xmx…)");
      senderDone();
    }
  }

  /** The open loop's scheduler: sends requests {@code firstId} until {@code endId} on time. */
  private void sendOnSchedule(
      int firstId,
      int endId,
      long startNanos,
      boolean agreedStart,
      long deadlineNanos,
      BodiesAhead ahead) {
    try {
      ArrivalSchedule schedule = ArrivalSchedule.of(spec);
      // The schedule's origin is when this thread runs: its own start is no request's
      // lag; but an agreed start is the other shards' origin too (ADR 0019).
      long origin = agreedStart ? startNanos : Math.max(startNanos, clock.nowNanos());
      // Handed over, their waiting threads not yet started (see startWaiting). Sized
      // once: adding a request already sent must not fail for memory, or none waits on
      // it.
      List<Started> handed = new ArrayList<>(MAX_HANDED);
      // The next burst's requests, made ready before the first one's time: a large
      // prompt's making is not send lag, nor making the exchanges (see Bursts).
      List<Ready> burst = new ArrayList<>(MAX_HANDED);
      Bursts.Sink makeReady = (id, at, b) -> burst.add(ready(id, false, at, b));
      Bursts bursts =
          new Bursts(
              schedule,
              ahead != null ? ahead : new SameBody(body),
              origin,
              deadlineNanos,
              firstId,
              endId,
              MAX_HANDED);
      try {
        sending:
        while (bursts.next(makeReady) > 0) {
          for (Ready ready : burst) {
            if (!awaitSlot(ready.intendedNanos(), deadlineNanos)) {
              break sending;
            }
            // Handed to its connection here, on time: waking a thread of its own first
            // would add that thread's start to its send lag (0.3-1 ms on a small VM).
            handed.add(send(ready));
            // A burst is handed over before any of its threads starts: each start cost
            // the requests after it about 0.1 ms on a 16-core host. Not when the next
            // one must wait for a slot, which only a started thread gives back.
            if ((handed.size() >= MAX_HANDED || !slotFree()) && !startWaiting(handed, firstId)) {
              break sending;
            }
          }
          burst.clear();
          if (!startWaiting(handed, firstId)) {
            break;
          }
        }
      } finally {
        startWaiting(handed, firstId);
      }
    } finally {
      if (ahead != null) {
        ahead.close();
      }
      senderDone();
    }
  }

  /**
   * Starts a thread per handed-over request that waits for its trace, and empties {@code handed}.
   * False when the host refused a thread: the run stops, and this thread waits for the rest itself.
   */
  private boolean startWaiting(List<Started> handed, int firstId) {
    for (int i = 0; i < handed.size(); i++) {
      Started started = handed.get(i);
      try {
        threads.start("inferscope-request-" + started.id(), () -> complete(started, true));
      } catch (RuntimeException | Error e) {
        // No thread to wait on them: the run stops on a refusal, its reason recorded first
        // (waiting for these streams could take minutes), then this thread waits.
        if (e instanceof OutOfMemoryError) {
          threadLimit(started.id() - firstId + 1, spec.concurrency());
        }
        for (int j = i; j < handed.size(); j++) {
          complete(handed.get(j), true);
        }
        handed.clear();
        if (e instanceof OutOfMemoryError) {
          return false;
        }
        throw e;
      }
    }
    handed.clear();
    return true;
  }

  private boolean slotFree() {
    lock.lock();
    try {
      return slotsInUse < spec.concurrency();
    } finally {
      lock.unlock();
    }
  }

  /** One body for every request (a workload of one given prompt). */
  private record SameBody(byte[] body) implements Bursts.Bodies {
    @Override
    public byte[] take() {
      return body;
    }

    @Override
    public byte[] poll() {
      return body;
    }
  }

  /**
   * The bodies of the open loop's next requests, made on a thread of their own ahead of their send
   * times: a burst of requests due at once (a trace's) would otherwise wait for each other's
   * prompts to be made (a 40k-token prompt takes milliseconds). Bounded: at most {@value #AHEAD}
   * bodies wait here, besides those of the burst the scheduler makes ready (as many again at most).
   */
  private final class BodiesAhead implements Bursts.Bodies {
    private static final int AHEAD = 64;
    private final java.util.concurrent.ArrayBlockingQueue<byte[]> queue =
        new java.util.concurrent.ArrayBlockingQueue<>(AHEAD);
    private final Thread maker;

    BodiesAhead(int firstId, int endId) {
      // A platform thread: making a long prompt is CPU work that, on a virtual thread, would hold
      // one of the few carriers the requests' threads need.
      maker =
          Thread.ofPlatform()
              .daemon()
              .name("inferscope-bodies")
              .start(
                  () -> {
                    try {
                      for (int id = firstId; id < endId && id >= firstId && !stopping(); id++) {
                        byte[] b = bodyOf(id, false);
                        while (!queue.offer(b, 50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                          if (stopping()) {
                            return;
                          }
                        }
                      }
                    } catch (InterruptedException e) {
                      // closed: the schedule has ended
                    }
                  });
    }

    /** Waits until the queue is full or every body is made (or the run stops). */
    void awaitFirst() throws InterruptedException {
      while (queue.remainingCapacity() > 0 && maker.isAlive() && !stopping()) {
        maker.join(java.time.Duration.ofMillis(5));
      }
    }

    @Override
    public byte[] poll() {
      return queue.poll();
    }

    @Override
    public byte[] take() {
      try {
        while (!stopping()) {
          byte[] b = queue.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
          if (b != null) {
            return b;
          }
        }
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    void close() {
      maker.interrupt();
    }
  }

  /**
   * Waits until the intended time, then for a free slot, and takes it (counting the request as
   * active). False when the run stopped or the duration ended first: the request is not sent.
   */
  private boolean awaitSlot(long intendedNanos, long deadlineNanos) {
    lock.lock();
    try {
      while (true) {
        if (stopping()) {
          return false;
        }
        long now = clock.nowNanos();
        if (now < intendedNanos - SPIN_NANOS) {
          changed.awaitNanos(intendedNanos - SPIN_NANOS - now);
          continue;
        }
        if (now < intendedNanos) {
          // The last stretch spun, lock released: a timed park wakes up to a millisecond late.
          lock.unlock();
          try {
            while (clock.nowNanos() < intendedNanos && !stopping()) {
              Thread.onSpinWait();
            }
          } finally {
            lock.lock();
          }
          continue;
        }
        if (now >= deadlineNanos) {
          return false;
        }
        if (slotsInUse < spec.concurrency()) {
          slotsInUse++;
          active++;
          return true;
        }
        if (deadlineNanos == NO_DEADLINE) {
          changed.await();
        } else {
          changed.awaitNanos(deadlineNanos - now);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the run clock reaches {@code atNanos} (the agreed start), or the run is stopped;
   * parks, then spins the last stretch as the open loop does, so the start is not a park's
   * oversleep late.
   */
  private void awaitStart(long atNanos) throws InterruptedException {
    lock.lock();
    try {
      long now;
      while (!stopping() && (now = clock.nowNanos()) < atNanos - SPIN_NANOS) {
        changed.awaitNanos(atNanos - SPIN_NANOS - now);
      }
    } finally {
      lock.unlock();
    }
    while (!stopping() && clock.nowNanos() < atNanos) {
      Thread.onSpinWait();
    }
  }

  /** Stops the run: the {@code nth} stream thread of {@code wanted} could not be started. */
  private void threadLimit(int nth, int wanted) {
    limitedBy(
        "the client could not start stream thread "
            + nth
            + (wanted == Integer.MAX_VALUE ? "" : " of " + wanted)
            + " (out of memory): lower --concurrency, or give the client more heap"
            + " (INFERSCOPE_JAVA_OPTS=-Xmx…)");
  }

  /** Stops the run for a limit of the client's own, {@code why}. */
  private void limitedBy(String why) {
    clientLimit = why;
    // The streams in flight are healthy: they get the drain, as at the end of a timed run.
    end(why, spec.timeouts().drain());
  }

  private void senderDone() {
    lock.lock();
    try {
      senders--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- one request

  /**
   * With {@link LoadSpec#honorRetryAfter}, a worker whose request was shed with a {@code
   * Retry-After} waits that long, at most until the phase's deadline or a stop.
   */
  private void waitIfAsked(RequestTrace trace, long deadlineNanos) {
    if (!spec.honorRetryAfter()
        || !(trace.failure() instanceof Failure.Shed shed)
        || shed.retryAfterNanos() == null) {
      return;
    }
    long until =
        Math.min(
            deadlineNanos,
            after(clock.nowNanos(), java.time.Duration.ofNanos(shed.retryAfterNanos())));
    lock.lock();
    try {
      long left;
      while (!stopping() && (left = until - clock.nowNanos()) > 0) {
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs one request on this thread; the caller has counted it active. Always records exactly one
   * trace and hands it to {@code onTrace}; returns it.
   */
  private RequestTrace runRequest(
      int id, boolean warmup, long intendedNanos, boolean holdsSlot, byte[] requestBody) {
    return complete(begin(id, warmup, intendedNanos, requestBody), holdsSlot);
  }

  /**
   * A request handed to its connection, its trace to come.
   *
   * @param future the trace, or null when the client failed to start it ({@code failed})
   */
  private record Started(
      int id,
      boolean warmup,
      long intendedNanos,
      RequestHandle handle,
      java.util.concurrent.CompletableFuture<RequestTrace> future,
      Throwable failed) {}

  /**
   * A request made ready to send, not yet counted or stamped.
   *
   * @param exchange null when the client could not make it ({@code failed})
   */
  private record Ready(
      int id,
      boolean warmup,
      long intendedNanos,
      RequestHandle handle,
      StreamExchange exchange,
      Throwable failed) {}

  /** Makes request {@code id} ready to send; never throws. */
  private Ready ready(int id, boolean warmup, long intendedNanos, byte[] requestBody) {
    RequestHandle handle = new RequestHandle();
    try {
      return new Ready(
          id,
          warmup,
          intendedNanos,
          handle,
          client.exchange(id, warmup, intendedNanos, handle, requestBody),
          null);
    } catch (Throwable t) {
      return new Ready(id, warmup, intendedNanos, handle, null, t);
    }
  }

  /** Hands request {@code id} to a connection (its send time is stamped here); never throws. */
  private Started begin(int id, boolean warmup, long intendedNanos, byte[] requestBody) {
    return send(ready(id, warmup, intendedNanos, requestBody));
  }

  /** Hands a ready request to a connection (its send time is stamped here); never throws. */
  private Started send(Ready r) {
    RequestHandle handle = r.handle();
    handles.add(handle);
    inFlight.incrementAndGet();
    if (r.failed() != null) {
      return new Started(r.id(), r.warmup(), r.intendedNanos(), handle, null, r.failed());
    }
    try {
      String cancelled = cancelReason;
      if (cancelled != null) {
        // Started just as the drain ended: cancel like the others.
        handle.cancel(new Failure.Cancelled(cancelled));
      }
      r.exchange().start();
      return new Started(
          r.id(), r.warmup(), r.intendedNanos(), handle, r.exchange().result(), null);
    } catch (Throwable t) {
      return new Started(r.id(), r.warmup(), r.intendedNanos(), handle, null, t);
    }
  }

  /**
   * Waits for a started request's trace, records it and hands it to {@code onTrace}; the caller
   * counted it active. Always records exactly one trace; returns it.
   */
  private RequestTrace complete(Started s, boolean holdsSlot) {
    RequestTrace trace = null;
    try {
      if (s.failed() != null) {
        trace = clientFailureTrace(s.id(), s.warmup(), s.intendedNanos(), s.failed());
      } else {
        trace = s.future().join();
      }
    } catch (Throwable t) {
      trace = clientFailureTrace(s.id(), s.warmup(), s.intendedNanos(), t);
    } finally {
      if (trace == null) {
        trace =
            clientFailureTrace(
                s.id(), s.warmup(), s.intendedNanos(), new IllegalStateException("no trace"));
      }
      handles.remove(s.handle());
      inFlight.decrementAndGet();
      traces.add(trace);
      // Finished first: a progress line must not read more failed than done.
      finished.incrementAndGet();
      if (!trace.ok()) {
        failed.incrementAndGet();
      }
      requestEnded(holdsSlot);
      deliver(trace);
      requestFinished();
    }
    return trace;
  }

  /**
   * The body request {@code id} sends: warm-up and closed- or rate-driven requests take the
   * workload's items in turn; on a fixed schedule, measured request {@code j} sends item {@code j}.
   */
  private byte[] bodyOf(int id, boolean warmup) {
    if (body != null) {
      return body;
    }
    int k = spec.fixedSchedule() && !warmup ? id - spec.warmupRequests() : id;
    long index = (long) k + spec.firstItem();
    int n = spec.workload().items().size();
    long pass = index / n;
    // Warm-up and every later pass over the items draw generated words anew (PromptText.render).
    long salt = PromptText.mix(spec.promptSalt(), warmup ? -1 - pass : pass);
    if (!warmup && pass == 0 && spec.promptSalt() == 0) {
      salt = 0;
    }
    return RequestBodies.body(spec, extra, spec.workload().items().get((int) (index % n)), salt);
  }

  private RequestTrace clientFailureTrace(int id, boolean warmup, long intendedNanos, Throwable t) {
    long now = Math.max(intendedNanos, clock.nowNanos());
    return new RequestTrace(
        id,
        warmup,
        intendedNanos,
        now,
        null,
        now,
        null,
        EventLog.empty(),
        null,
        null,
        null,
        Failures.client(t));
  }

  private void deliver(RequestTrace trace) {
    try {
      onTrace.accept(trace);
    } catch (RuntimeException | Error e) {
      // The trace is kept for run()'s result all the same; say so once rather than per request.
      if (callbackFailed.compareAndSet(false, true)) {
        System.err.println(
            "inferscope: the trace callback failed ("
                + Failures.client(e).detail()
                + "); traces are still collected");
      }
    }
  }

  /** The request's connection work is over: frees its open-loop slot. */
  private void requestEnded(boolean holdsSlot) {
    if (!holdsSlot) {
      return;
    }
    lock.lock();
    try {
      slotsInUse--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The request's trace has been delivered. */
  private void requestFinished() {
    lock.lock();
    try {
      active--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- phases and stopping

  /**
   * Ends the run early: no new request starts, and those in flight are cancelled {@code grace} from
   * now, unless an earlier end already set a closer time.
   */
  private void end(String reason, Duration grace) {
    stopReason.compareAndSet(null, reason);
    lock.lock();
    try {
      closed = true;
      cancelAtNanos = Math.min(cancelAtNanos, after(clock.nowNanos(), grace));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every sender and request of the phase has ended. When the duration ends, no new
   * request starts and in-flight ones get the drain timeout; when the run is stopped, the stop
   * grace. Then they are cancelled.
   */
  private void awaitPhase(long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (senders > 0 || active > 0) {
        long now = clock.nowNanos();
        if (!closed && now >= deadlineNanos) {
          closed = true;
          cancelAtNanos = Math.min(cancelAtNanos, after(now, spec.timeouts().drain()));
          changed.signalAll();
          continue;
        }
        if (cancelReason == null && now >= cancelAtNanos) {
          String stopped = stopReason.get();
          cancelAll(stopped != null ? stopped : DURATION_REASON);
          continue;
        }
        long wakeAt =
            Math.min(
                closed ? NO_DEADLINE : deadlineNanos,
                cancelReason == null ? cancelAtNanos : NO_DEADLINE);
        if (wakeAt == NO_DEADLINE) {
          changed.await();
        } else {
          changed.awaitNanos(wakeAt - now);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@code nanos} plus {@code d}, or no deadline when that is past what a long holds. */
  private static long after(long nanos, Duration d) {
    try {
      return Math.addExact(nanos, d.toNanos());
    } catch (ArithmeticException e) {
      return NO_DEADLINE;
    }
  }

  private void cancelAll(String reason) {
    // Published before the handles are read, so a request registering now sees it.
    cancelReason = reason;
    Failure.Cancelled why = new Failure.Cancelled(reason);
    for (RequestHandle h : handles) {
      h.cancel(why);
    }
  }

  /** On interrupt: cancel everything now and wait for each request to record its trace. */
  private void abort() {
    stopReason.compareAndSet(null, INTERRUPTED);
    lock.lock();
    try {
      closed = true;
      if (cancelReason == null) {
        cancelAll(stopReason.get());
      }
      changed.signalAll();
      while (senders > 0 || active > 0) {
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }
}
