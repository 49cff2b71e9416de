package io.inferscope.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.inferscope.core.ClientOverhead;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Measures what inferscope itself costs while a run goes: this JVM's CPU, its stop-the-world GC
 * pauses, and how late a thread that sleeps 10 ms wakes up (a starved client stamps events late).
 * Costs almost nothing: one wake-up every 10 ms that touches a primitive array, and one callback
 * per GC.
 *
 * <p>Public, with {@link #start} and {@link #stop}, for inferscope-bench's fidelity benchmark,
 * which reports the same client figures per level as a run does (ADR 0001).
 */
public final class ClientMonitor {

  static final long TICK_NANOS = 10_000_000;

  /** Oversleep histogram: {@value #BUCKET_NANOS} ns buckets up to 100 ms, then one overflow. */
  static final long BUCKET_NANOS = 50_000;

  private static final int BUCKETS = 2000;

  private final long startWallNanos;
  private final long startCpuNanos;
  private final com.sun.management.OperatingSystemMXBean os;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener gcListener = this::onGc;
  private final Thread lagProbe;

  // Written by the lag probe only; read after it has been joined.
  private final long[] lagCounts = new long[BUCKETS + 1];
  private long lagMaxNanos;
  private long ticks;

  // GC notifications come on a JMX thread.
  private long gcPauseTotalNanos;
  private long gcPauseMaxNanos;
  private int gcPauses;

  private ClientMonitor() {
    os =
        ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean sun
            ? sun
            : null;
    startCpuNanos = os == null ? -1 : os.getProcessCpuTime();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      // Concurrent cycles run beside the application: only pauses delay its threads.
      if (gc instanceof NotificationEmitter e && isPausing(gc.getName())) {
        e.addNotificationListener(gcListener, null, null);
        emitters.add(e);
      }
    }
    startWallNanos = System.nanoTime();
    lagProbe = Thread.ofPlatform().daemon().name("inferscope-client-lag").unstarted(this::probe);
  }

  /** Starts measuring now. */
  public static ClientMonitor start() {
    ClientMonitor m = new ClientMonitor();
    m.lagProbe.start();
    return m;
  }

  static boolean isPausing(String collectorName) {
    return !collectorName.contains("Concurrent") && !collectorName.contains("Cycles");
  }

  /** Stops measuring and returns what the run cost. */
  public ClientOverhead stop() {
    long wall = System.nanoTime() - startWallNanos;
    long cpuEnd = os == null ? -1 : os.getProcessCpuTime();
    lagProbe.interrupt();
    boolean joined = joinProbe();
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(gcListener);
      } catch (ListenerNotFoundException ignored) {
        // already gone: nothing to remove
      }
    }
    Double cpuPercent =
        startCpuNanos < 0 || cpuEnd < 0 || wall <= 0
            ? null
            : 100.0 * (cpuEnd - startCpuNanos) / wall;
    Long lagMax = null;
    Long lagP99 = null;
    if (joined && ticks > 0) {
      lagMax = lagMaxNanos;
      lagP99 = Math.min(lagMaxNanos, percentile(0.99));
    }
    Long gcTotal;
    Long gcMax;
    Integer gcCount;
    synchronized (this) {
      boolean watched = !emitters.isEmpty();
      gcTotal = watched ? gcPauseTotalNanos : null;
      gcMax = watched ? gcPauseMaxNanos : null;
      gcCount = watched ? gcPauses : null;
    }
    return new ClientOverhead(
        cpuPercent,
        Runtime.getRuntime().availableProcessors(),
        gcTotal,
        gcMax,
        gcCount,
        lagMax,
        lagP99);
  }

  private boolean joinProbe() {
    boolean interrupted = false;
    boolean joined = false;
    while (true) {
      try {
        joined = lagProbe.join(java.time.Duration.ofSeconds(1));
        break;
      } catch (InterruptedException e) {
        // the report must still be written: finish the join, keep the interrupt
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return joined;
  }

  /** The upper edge of the bucket holding the given fraction of ticks. */
  private long percentile(double fraction) {
    long rank = (long) Math.ceil(fraction * ticks);
    long seen = 0;
    for (int i = 0; i < lagCounts.length; i++) {
      seen += lagCounts[i];
      if (seen >= rank) {
        return i == BUCKETS ? lagMaxNanos : (i + 1) * BUCKET_NANOS;
      }
    }
    return lagMaxNanos;
  }

  private void probe() {
    while (true) {
      long before = System.nanoTime();
      try {
        Thread.sleep(TICK_NANOS / 1_000_000);
      } catch (InterruptedException e) {
        return;
      }
      long late = Math.max(0, System.nanoTime() - before - TICK_NANOS);
      lagCounts[(int) Math.min(BUCKETS, late / BUCKET_NANOS)]++;
      lagMaxNanos = Math.max(lagMaxNanos, late);
      ticks++;
    }
  }

  private void onGc(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    if (!isPausing(info.getGcName())) {
      return;
    }
    long pause = info.getGcInfo().getDuration() * 1_000_000;
    synchronized (this) {
      gcPauses++;
      gcPauseTotalNanos += pause;
      gcPauseMaxNanos = Math.max(gcPauseMaxNanos, pause);
    }
  }
}
