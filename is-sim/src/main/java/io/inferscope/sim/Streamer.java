package io.inferscope.sim;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
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
 *
 * <p>A stream may park until another thread decides when its next step is due ({@link #wake}): the
 * capacity model's streams wait so for their slot and their decode steps. While one waits for its
 * slot it writes nothing, so a client that leaves would go unnoticed; the streamer watches such
 * connections for the client's end instead ({@link Task#watchWhileParked}).
 */
final class Streamer implements AutoCloseable {

  /** What {@link Task#step} returns when the stream has ended. */
  static final long DONE = Long.MIN_VALUE;

  /** What {@link Task#step} returns when the stream waits for the engine's end (a stall). */
  static final long PARK = Long.MAX_VALUE;

  /** How often a stream whose client does not read is retried. */
  private static final long BACKLOG_RETRY_NANOS = 1_000_000;

  /** How often watched connections are checked for their clients' end. */
  private static final long WATCH_POLL_NANOS = 10_000_000;

  /** One stream as the streamer drives it; fields are the streamer's but for the outcome. */
  abstract static class Task {
    private long nextAtNanos;
    private long afterDrainAtNanos;
    private ChannelSink sink;
    private volatile boolean done;
    private volatile IOException failure;
    private Thread waiter;
    private boolean backlogged;
    private long wakeAtNanos;
    private SelectionKey watch;

    /**
     * Writes what is due now. Returns when the next step is due ({@link System#nanoTime()}), or
     * {@link #DONE} or {@link #PARK}.
     */
    abstract long step() throws IOException;

    /**
     * Whether the stream, parked, waits for something that may take long and writes nothing
     * meanwhile (a slot), so that its connection should be watched for the client leaving.
     */
    boolean watchWhileParked() {
      return false;
    }
  }

  private final ShutdownSignal signal;
  private final ScheduleRecorder lateness;
  private final ConcurrentLinkedQueue<Task> inbox = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Task> woken = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Task> due =
      new PriorityQueue<>((a, b) -> Long.compare(a.nextAtNanos, b.nextAtNanos));
  private final List<Task> backlogged = new ArrayList<>();
  private final Thread thread;

  /** Connections of parked streams watched for their clients' end; opened when first needed. */
  private Selector watcher;

  private int watched;

  Streamer(ShutdownSignal signal, ScheduleRecorder lateness, int index) {
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
        try {
          channel.configureBlocking(true);
        } catch (IllegalBlockingModeException e) {
          // Still watched by a streamer that the engine's close stopped: the connection is over.
          channel.close();
        }
      }
    }
  }

  /**
   * Has parked {@code task}'s next step due at {@code atNanos}. From any thread, once per park of
   * the task, after its {@link Task#step} returned {@link #PARK}.
   */
  void wake(Task task, long atNanos) {
    task.wakeAtNanos = atNanos;
    woken.add(task);
    LockSupport.unpark(thread);
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
      for (Task t; (t = woken.poll()) != null; ) {
        if (t.done) {
          continue; // its client left meanwhile
        }
        unwatch(t);
        if (t.backlogged) {
          t.afterDrainAtNanos = t.wakeAtNanos;
        } else {
          t.nextAtNanos = t.wakeAtNanos;
          due.add(t);
        }
      }
      if (watched > 0) {
        checkWatched();
      }
      long now = System.nanoTime();
      for (int i = backlogged.size() - 1; i >= 0; i--) {
        Task t = backlogged.get(i);
        try {
          if (t.sink.drain(lateness)) {
            backlogged.remove(i);
            t.backlogged = false;
            next(t, t.afterDrainAtNanos);
          }
        } catch (IOException e) {
          backlogged.remove(i);
          t.backlogged = false;
          finish(t, e);
        }
      }
      while (!due.isEmpty() && due.peek().nextAtNanos - now <= 0) {
        Task t = due.poll();
        try {
          long at = t.step();
          if (t.sink.backlogged()) {
            t.afterDrainAtNanos = at;
            t.backlogged = true;
            backlogged.add(t);
          } else {
            next(t, at);
          }
        } catch (IOException | RuntimeException e) {
          finish(t, e instanceof IOException io ? io : new IOException(e));
        }
        now = System.nanoTime();
      }
      if (!inbox.isEmpty() || !woken.isEmpty()) {
        continue;
      }
      long waitNanos = backlogged.isEmpty() ? Long.MAX_VALUE : BACKLOG_RETRY_NANOS;
      if (watched > 0) {
        waitNanos = Math.min(waitNanos, WATCH_POLL_NANOS);
      }
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
    for (Task t; (t = woken.poll()) != null; ) {
      if (!t.done) {
        finish(t, closed);
      }
    }
    if (watcher != null) {
      try {
        watcher.close(); // deregisters what it still watched
      } catch (IOException e) {
        // Closed either way.
      }
    }
  }

  private void next(Task t, long atNanos) {
    if (atNanos == DONE) {
      finish(t, null);
    } else if (atNanos != PARK) {
      t.nextAtNanos = atNanos;
      due.add(t);
    } else if (t.watchWhileParked()) {
      watch(t);
    }
    // A parked stream waits for a wake, or for the engine's end: its connection's thread is woken
    // then.
  }

  private void finish(Task t, IOException failure) {
    unwatch(t); // deregistered before its connection's thread makes the channel blocking again
    t.failure = failure;
    t.done = true;
    LockSupport.unpark(t.waiter);
  }

  private void watch(Task t) {
    try {
      if (watcher == null) {
        watcher = Selector.open();
      }
      t.watch = t.sink.channel().register(watcher, SelectionKey.OP_READ, t);
      watched++;
    } catch (ClosedChannelException e) {
      finish(t, e);
    } catch (IOException | IllegalBlockingModeException e) {
      // No selector, or the engine's close took the connection back: unwatched, a client that
      // leaves is noticed at the stream's next write instead.
    }
  }

  /** Stops watching {@code t}'s connection, deregistering it from the selector at once. */
  private void unwatch(Task t) {
    if (t.watch == null) {
      return;
    }
    t.watch.cancel();
    t.watch = null;
    watched--;
    try {
      watcher.selectNow(); // completes the deregistration; readiness is reported again later
      watcher.selectedKeys().clear();
    } catch (IOException e) {
      // The selector failed: its channels are deregistered as it closes.
    }
  }

  /** Ends the parked streams whose clients closed their connections. */
  private void checkWatched() {
    List<Task> readable = new ArrayList<>();
    try {
      if (watcher.selectNow() == 0) {
        return;
      }
    } catch (IOException e) {
      return;
    }
    for (SelectionKey key : watcher.selectedKeys()) {
      readable.add((Task) key.attachment());
    }
    watcher.selectedKeys().clear();
    for (Task t : readable) {
      ChannelSource source = t.sink.source();
      try {
        if (source.readAhead()) {
          finish(t, new EOFException("the client closed the connection"));
        } else if (!source.canReadAhead()) {
          unwatch(t); // it sends far more than a request while it waits: read it afterwards
        }
      } catch (IOException e) {
        finish(t, e);
      }
    }
  }
}
