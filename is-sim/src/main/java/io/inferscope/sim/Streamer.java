package io.inferscope.sim;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the events of its streams on one platform thread, each when it is due, with non-blocking
 * writes. A thread per stream that sleeps per token costs a timer, a wake-up and a context switch
 * per event, which on a small host made the engine fall behind its own schedule at a few hundred
 * streams; one loop over a queue ordered by due time costs a write per event. A client that stops
 * reading backs up its own stream only (see {@link ChannelSink}).
 */
final class Streamer implements AutoCloseable {

  /** What {@link Task#step} returns when the stream has ended. */
  static final long DONE = Long.MIN_VALUE;

  /** What {@link Task#step} returns when the stream waits for the engine's end (a stall). */
  static final long PARK = Long.MAX_VALUE;

  /** How often a stream whose client does not read is retried. */
  private static final long BACKLOG_RETRY_NANOS = 1_000_000;

  /** One stream as the streamer drives it; fields are the streamer's but for the outcome. */
  abstract static class Task {
    private long nextAtNanos;
    private long afterDrainAtNanos;
    private ChannelSink sink;
    private volatile boolean done;
    private volatile IOException failure;
    private Thread waiter;

    /**
     * Writes what is due now. Returns when the next step is due ({@link System#nanoTime()}), or
     * {@link #DONE} or {@link #PARK}.
     */
    abstract long step() throws IOException;
  }

  private final ShutdownSignal signal;
  private final ScheduleLateness lateness;
  private final ConcurrentLinkedQueue<Task> inbox = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Task> due =
      new PriorityQueue<>((a, b) -> Long.compare(a.nextAtNanos, b.nextAtNanos));
  private final List<Task> backlogged = new ArrayList<>();
  private final Thread thread;

  Streamer(ShutdownSignal signal, ScheduleLateness lateness, int index) {
    this.signal = signal;
    this.lateness = lateness;
    this.thread = Thread.ofPlatform().daemon().name("sim-streamer-" + index).unstarted(this::loop);
    thread.start();
  }

  /**
   * Streams {@code task} on {@code sink}'s channel from now until it ends, and waits for that on
   * the calling thread. The channel is non-blocking meanwhile, blocking again after.
   *
   * @throws IOException when the client went away or the engine closed
   */
  void stream(Task task, ChannelSink sink) throws IOException {
    SocketChannel channel = sink.channel();
    channel.configureBlocking(false);
    try {
      task.sink = sink;
      task.waiter = Thread.currentThread();
      task.nextAtNanos = System.nanoTime();
      inbox.add(task);
      LockSupport.unpark(thread);
      while (!task.done) {
        if (signal.isClosed() || Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("engine closed");
        }
        LockSupport.park(task);
      }
      if (task.failure != null) {
        throw task.failure;
      }
    } finally {
      if (channel.isOpen()) {
        channel.configureBlocking(true);
      }
    }
  }

  @Override
  public void close() {
    LockSupport.unpark(thread);
  }

  private void loop() {
    while (!signal.isClosed()) {
      for (Task t; (t = inbox.poll()) != null; ) {
        due.add(t);
      }
      long now = System.nanoTime();
      for (int i = backlogged.size() - 1; i >= 0; i--) {
        Task t = backlogged.get(i);
        try {
          if (t.sink.drain(lateness)) {
            backlogged.remove(i);
            next(t, t.afterDrainAtNanos);
          }
        } catch (IOException e) {
          backlogged.remove(i);
          finish(t, e);
        }
      }
      while (!due.isEmpty() && due.peek().nextAtNanos - now <= 0) {
        Task t = due.poll();
        try {
          long at = t.step();
          if (t.sink.backlogged()) {
            t.afterDrainAtNanos = at;
            backlogged.add(t);
          } else {
            next(t, at);
          }
        } catch (IOException | RuntimeException e) {
          finish(t, e instanceof IOException io ? io : new IOException(e));
        }
        now = System.nanoTime();
      }
      if (!inbox.isEmpty()) {
        continue;
      }
      long waitNanos = backlogged.isEmpty() ? Long.MAX_VALUE : BACKLOG_RETRY_NANOS;
      if (!due.isEmpty()) {
        waitNanos = Math.min(waitNanos, due.peek().nextAtNanos - now);
      }
      if (waitNanos == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else if (waitNanos > 0) {
        LockSupport.parkNanos(this, waitNanos);
      }
    }
    IOException closed = new InterruptedIOException("engine closed");
    for (Task t : due) {
      finish(t, closed);
    }
    for (Task t : backlogged) {
      finish(t, closed);
    }
    for (Task t; (t = inbox.poll()) != null; ) {
      finish(t, closed);
    }
  }

  private void next(Task t, long atNanos) {
    if (atNanos == DONE) {
      finish(t, null);
    } else if (atNanos != PARK) {
      t.nextAtNanos = atNanos;
      due.add(t);
    }
    // A parked stream waits for the engine's end: its connection's thread is woken then.
  }

  private static void finish(Task t, IOException failure) {
    t.failure = failure;
    t.done = true;
    LockSupport.unpark(t.waiter);
  }
}
