package io.inferscope.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's capacity, when a capacity option is set (see {@link SimConfig}): slots, the FIFO
 * queue for them, and continuous batching on one decode step clock.
 *
 * <p>A request that gets a slot prefills, its first token due at the end of the prefill; it then
 * joins the decode batch at the first step that starts at or after that token (a step starts at
 * once when none is running). Each step makes one token of every request in it, all due at the
 * step's end, and its length is fixed when it starts from the number of requests in it. A request
 * leaves the batch and frees its slot with its last token; the first waiting request then gets the
 * slot at that moment (or at its arrival, if it came later).
 *
 * <p>The model runs in virtual time laid on {@link System#nanoTime()}: a step starts when the one
 * before ended, not when this thread got to it, so the clock does not drift with the thread's
 * wake-ups. Each token's due time is decided when its step starts, before it is due, and written
 * into the request's {@link TokenSchedule}; the request's stream is then told, and writes the token
 * when due like any other. Only if this thread falls a whole step behind does the clock restart
 * from now: the engine loses that time, as a stalled engine does, rather than emitting the missed
 * steps in a burst. Every entry point first brings the model up to now, so that a slot freed in
 * virtual time is free for the next arrival, and the gauges are exact.
 */
final class CapacityModel implements AutoCloseable {

  /** One request's place in the model; its fields are the model's, guarded by its lock. */
  static final class Ticket {
    private final TokenSchedule schedule;
    private final int promptTokens;
    private final long arrivalNanos;
    private final Runnable published;
    private State state = State.WAITING;
    private long firstTokenAtNanos;

    /** Tokens made so far. */
    private int made;

    private Ticket(
        TokenSchedule schedule, int promptTokens, long arrivalNanos, Runnable published) {
      this.schedule = schedule;
      this.promptTokens = promptTokens;
      this.arrivalNanos = arrivalNanos;
      this.published = published;
    }
  }

  private enum State {
    WAITING,
    PREFILL,
    /** First token out, waiting for the next step to join the batch. */
    JOINING,
    DECODING,
    DONE
  }

  private final Integer slots;
  private final Integer maxQueue;
  private final long interTokenGapNanos;
  private final long stepGrowthNanos;
  private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
  private final PriorityQueue<Ticket> prefilling =
      new PriorityQueue<>((a, b) -> Long.compare(a.firstTokenAtNanos - b.firstTokenAtNanos, 0));
  private final List<Ticket> joining = new ArrayList<>();
  private final List<Ticket> decoding = new ArrayList<>();
  private int holding;

  /**
   * With {@code slots}: when each free slot became free, earliest first (slots never held since the
   * start). A request that arrives to a free slot gets it at its arrival, or when it was freed if
   * that was later, which happens when the model ran on between the arrival and its admission.
   */
  private final ArrayDeque<Long> freeSinceNanos = new ArrayDeque<>();

  private boolean stepping;
  private long stepEndNanos;
  private final Thread thread;
  private volatile boolean closed;

  CapacityModel(SimConfig config) {
    this.slots = config.slots();
    this.maxQueue = config.maxQueue();
    this.interTokenGapNanos = nanos(config.interTokenGap());
    this.stepGrowthNanos = nanos(config.stepGrowth());
    long startNanos = System.nanoTime();
    for (int i = 0; slots != null && i < slots; i++) {
      freeSinceNanos.add(startNanos);
    }
    this.thread = Thread.ofPlatform().daemon().name("sim-batch").unstarted(this::loop);
    thread.start();
  }

  /**
   * Places a request of {@code promptTokens} that arrived at {@code arrivalNanos}: it takes a slot
   * at its arrival if one is free and nobody waits, else it waits. {@code published} runs, with
   * this model's lock held, each time more of {@code schedule} is decided.
   *
   * @return the request's ticket, or null when the queue is full: the request is refused
   */
  synchronized Ticket admit(
      TokenSchedule schedule, int promptTokens, long arrivalNanos, Runnable published) {
    advance(System.nanoTime());
    Ticket ticket = new Ticket(schedule, promptTokens, arrivalNanos, published);
    if (waiting.isEmpty() && slotFree()) {
      grant(ticket, notBefore(arrivalNanos, slots == null ? arrivalNanos : freeSinceNanos.peek()));
    } else if (maxQueue != null && waiting.size() >= maxQueue) {
      return null;
    } else {
      waiting.add(ticket);
    }
    return ticket;
  }

  /**
   * Ends a request however it ended: one that waits leaves the queue, one that holds a slot (its
   * client left, or a fault ended it) frees it now. A request the model has finished is left as it
   * is.
   */
  synchronized void release(Ticket ticket) {
    long now = System.nanoTime();
    advance(now);
    switch (ticket.state) {
      case WAITING -> waiting.remove(ticket);
      case PREFILL -> prefilling.remove(ticket);
      case JOINING -> joining.remove(ticket);
      case DECODING -> decoding.remove(ticket);
      case DONE -> {
        return;
      }
    }
    State was = ticket.state;
    ticket.state = State.DONE;
    if (was != State.WAITING) {
      free(now);
    }
  }

  /** Requests holding a slot: llama.cpp's {@code requests_processing}. */
  synchronized int processing() {
    advance(System.nanoTime());
    return holding;
  }

  /** Requests waiting for a slot: llama.cpp's {@code requests_deferred}. */
  synchronized int deferred() {
    advance(System.nanoTime());
    return waiting.size();
  }

  /**
   * The tokens in the KV cache: prompt and tokens made so far of every request holding a slot, as
   * vLLM's {@code kv_cache_usage_perc} counts them (a prefilling request holds its whole prompt).
   */
  synchronized long kvTokens() {
    advance(System.nanoTime());
    long tokens = 0;
    for (Ticket ticket : prefilling) {
      tokens += ticket.promptTokens;
    }
    for (List<Ticket> batch : List.of(joining, decoding)) {
      for (Ticket ticket : batch) {
        tokens += ticket.promptTokens + ticket.made;
      }
    }
    return tokens;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }

  private void loop() {
    while (!closed) {
      long waitNanos;
      synchronized (this) {
        long now = System.nanoTime();
        advance(now);
        waitNanos = untilNextEvent(now);
      }
      if (waitNanos == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else if (waitNanos > 0) {
        LockSupport.parkNanos(this, waitNanos);
      }
    }
  }

  /** Runs the model's events due by {@code now}, in their order. */
  private void advance(long now) {
    while (true) {
      Ticket landing = prefilling.peek();
      boolean landFirst =
          landing != null && (!stepping || landing.firstTokenAtNanos - stepEndNanos <= 0);
      if (landFirst && landing.firstTokenAtNanos - now <= 0) {
        land(prefilling.poll(), now);
      } else if (!landFirst && stepping && stepEndNanos - now <= 0) {
        endStep(now);
      } else {
        return;
      }
    }
  }

  private long untilNextEvent(long now) {
    long wait = Long.MAX_VALUE;
    if (stepping) {
      wait = stepEndNanos - now;
    }
    Ticket landing = prefilling.peek();
    if (landing != null) {
      wait = Math.min(wait, landing.firstTokenAtNanos - now);
    }
    return wait;
  }

  /** The prefill of {@code ticket} ended: its first token is out. */
  private void land(Ticket ticket, long now) {
    long at = ticket.firstTokenAtNanos;
    if (ticket.schedule.tokens() <= 1) {
      finish(ticket, at);
      return;
    }
    ticket.made = 1;
    ticket.state = State.JOINING;
    joining.add(ticket);
    if (!stepping) {
      startStep(at, now);
    }
  }

  private void endStep(long now) {
    long at = stepEndNanos;
    stepping = false;
    for (Iterator<Ticket> it = decoding.iterator(); it.hasNext(); ) {
      Ticket ticket = it.next();
      if (++ticket.made == ticket.schedule.tokens()) {
        it.remove();
        finish(ticket, at);
      }
    }
    startStep(at, now);
  }

  /** Starts a step at {@code atNanos} with the requests decoding and those that may join. */
  private void startStep(long atNanos, long now) {
    for (Ticket ticket : joining) {
      ticket.state = State.DECODING;
      decoding.add(ticket);
    }
    joining.clear();
    if (decoding.isEmpty()) {
      return;
    }
    long lengthNanos = interTokenGapNanos + stepGrowthNanos * (decoding.size() - 1);
    long end = atNanos + lengthNanos;
    if (end - now <= 0) {
      end = now + lengthNanos; // a whole step behind: lose the time rather than burst
    }
    stepping = true;
    stepEndNanos = end;
    for (Ticket ticket : decoding) {
      ticket.schedule.decide(ticket.made, end - ticket.arrivalNanos);
      ticket.published.run();
    }
  }

  private void finish(Ticket ticket, long atNanos) {
    ticket.state = State.DONE;
    free(atNanos);
  }

  /** A slot was freed at {@code atNanos}: the requests that wait take the free slots in order. */
  private void free(long atNanos) {
    holding--;
    if (slots != null) {
      freeSinceNanos.add(atNanos);
    }
    while (!waiting.isEmpty() && slotFree()) {
      Ticket next = waiting.poll();
      grant(next, notBefore(next.arrivalNanos, atNanos));
    }
  }

  private boolean slotFree() {
    return slots == null || holding < slots;
  }

  /** The later of two {@link System#nanoTime()} readings. */
  private static long notBefore(long aNanos, long bNanos) {
    return bNanos - aNanos > 0 ? bNanos : aNanos;
  }

  /** {@code ticket} gets a free slot at {@code atNanos}: its prefill starts. */
  private void grant(Ticket ticket, long atNanos) {
    holding++;
    if (slots != null) {
      freeSinceNanos.poll();
    }
    ticket.state = State.PREFILL;
    ticket.firstTokenAtNanos = atNanos + ticket.schedule.prefillNanos();
    ticket.schedule.slotted(atNanos - ticket.arrivalNanos);
    if (ticket.schedule.tokens() > 0) {
      ticket.schedule.decide(0, ticket.firstTokenAtNanos - ticket.arrivalNanos);
    }
    prefilling.add(ticket);
    ticket.published.run();
    if (Thread.currentThread() != thread) {
      LockSupport.unpark(thread); // its next event may now be this prefill's end
    }
  }

  private static long nanos(Duration duration) {
    return duration == null || duration.isNegative() ? 0 : duration.toNanos();
  }
}
