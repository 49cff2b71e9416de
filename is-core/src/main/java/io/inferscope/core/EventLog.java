package io.inferscope.core;

import java.util.Arrays;

/**
 * The events of one response stream, stored in columns: one {@code long} arrival offset and one
 * {@code int} packing kind and text length per event (12 bytes an event once built), because a long
 * run records millions of events and a record per event would cost several times more. Immutable
 * once built.
 *
 * <p>An optional third column holds the sender's own stamp per event (when the engine wrote it), as
 * an {@code int} count of nanoseconds from the stamp to the arrival: the observation delay, which
 * is what is read of it. It exists only once some event carried a stamp: a log without stamps costs
 * nothing extra, one with stamps 4 bytes more per event (16 in all). A log where some delay does
 * not fit an {@code int} (beyond ±2.1 s: a broken clock, not a slow client) keeps the stamps as
 * {@code long}s instead. Events without a stamp hold an internal sentinel that is never exposed.
 */
public final class EventLog {
  private static final int KIND_SHIFT = 27;

  /**
   * Largest text length one event can record; longer texts are clamped (never seen in practice).
   */
  public static final int MAX_TEXT_CHARS = (1 << KIND_SHIFT) - 1;

  /** Marks an event without a sender's stamp; {@link Builder#addSent} refuses it as a stamp. */
  private static final long NO_STAMP = Long.MIN_VALUE;

  /** Marks an event without a stamp in the compact column. */
  private static final int NO_DELAY = Integer.MIN_VALUE;

  private static final EventLog EMPTY = new EventLog(new long[0], new int[0], null, null);

  private final long[] atNanos;
  private final int[] packed;

  /**
   * Arrival minus sender's stamp, {@link #NO_DELAY} where absent; null when no event carried a
   * stamp or when {@link #sentNanos} holds them.
   */
  private final int[] delayNanos;

  /** Sender's stamps, {@link #NO_STAMP} where absent, when some delay does not fit an int. */
  private final long[] sentNanos;

  private EventLog(long[] atNanos, int[] packed, int[] delayNanos, long[] sentNanos) {
    this.atNanos = atNanos;
    this.packed = packed;
    this.delayNanos = delayNanos;
    this.sentNanos = sentNanos;
  }

  public static EventLog empty() {
    return EMPTY;
  }

  /** Builds a log from parallel arrays (used when reading a saved run). */
  public static EventLog of(long[] atNanos, ChunkKind[] kinds, int[] textChars) {
    if (atNanos.length != kinds.length || kinds.length != textChars.length) {
      throw new IllegalArgumentException("event columns differ in length");
    }
    Builder b = new Builder(atNanos.length);
    for (int i = 0; i < atNanos.length; i++) {
      b.add(atNanos[i], kinds[i], textChars[i]);
    }
    return b.build();
  }

  /**
   * Builds a log from parallel arrays with the sender's stamps (used when reading a saved run);
   * {@code sentNanos} may be null (no stamps) or hold nulls where an event had none.
   */
  public static EventLog of(long[] atNanos, ChunkKind[] kinds, int[] textChars, Long[] sentNanos) {
    if (sentNanos == null) {
      return of(atNanos, kinds, textChars);
    }
    if (atNanos.length != kinds.length
        || kinds.length != textChars.length
        || textChars.length != sentNanos.length) {
      throw new IllegalArgumentException("event columns differ in length");
    }
    Builder b = new Builder(atNanos.length);
    for (int i = 0; i < atNanos.length; i++) {
      if (sentNanos[i] == null) {
        b.add(atNanos[i], kinds[i], textChars[i]);
      } else {
        b.addSent(atNanos[i], kinds[i], textChars[i], sentNanos[i]);
      }
    }
    return b.build();
  }

  public int size() {
    return atNanos.length;
  }

  /**
   * The same events with every time, arrival and sender's stamp, moved by {@code deltaNanos}: a
   * shard's events put on a merged run's clock. Observation delays are unchanged.
   */
  public EventLog shifted(long deltaNanos) {
    if (deltaNanos == 0 || atNanos.length == 0) {
      return this;
    }
    long[] at = new long[atNanos.length];
    for (int i = 0; i < at.length; i++) {
      at[i] = Math.addExact(atNanos[i], deltaNanos);
    }
    long[] sent = null;
    if (sentNanos != null) {
      sent = new long[sentNanos.length];
      for (int i = 0; i < sent.length; i++) {
        sent[i] = sentNanos[i] == NO_STAMP ? NO_STAMP : Math.addExact(sentNanos[i], deltaNanos);
      }
    }
    // Delays are differences of two shifted times: the column stays as it is.
    return new EventLog(at, packed, delayNanos, sent);
  }

  public boolean isEmpty() {
    return atNanos.length == 0;
  }

  /** Arrival of event {@code i}, in nanoseconds from the run clock's origin. */
  public long atNanos(int i) {
    return atNanos[i];
  }

  public ChunkKind kind(int i) {
    return ChunkKind.ofOrdinal(packed[i] >>> KIND_SHIFT);
  }

  /** UTF-16 length of the text the event carried (0 for non-text events). */
  public int textChars(int i) {
    return packed[i] & MAX_TEXT_CHARS;
  }

  /** Whether some event carries the sender's stamp. */
  public boolean hasSentStamps() {
    return delayNanos != null || sentNanos != null;
  }

  /** Whether event {@code i} carries the sender's stamp. */
  public boolean hasSentNanos(int i) {
    if (delayNanos != null) {
      return delayNanos[i] != NO_DELAY;
    }
    return sentNanos != null && sentNanos[i] != NO_STAMP;
  }

  /**
   * The sender's stamp of event {@code i}, in nanoseconds from the run clock's origin.
   *
   * @throws IllegalStateException when the event carries none (see {@link #hasSentNanos})
   */
  public long sentNanos(int i) {
    if (!hasSentNanos(i)) {
      throw new IllegalStateException("event " + i + " carries no sender's stamp");
    }
    return delayNanos != null ? atNanos[i] - delayNanos[i] : sentNanos[i];
  }

  /**
   * Observation delay of event {@code i}: its arrival minus the sender's stamp.
   *
   * @throws IllegalStateException when the event carries no stamp (see {@link #hasSentNanos})
   */
  public long observationDelayNanos(int i) {
    if (delayNanos != null && delayNanos[i] != NO_DELAY) {
      return delayNanos[i];
    }
    return atNanos[i] - sentNanos(i);
  }

  /** Index of the first event carrying text, or -1. */
  public int firstTextIndex() {
    for (int i = 0; i < packed.length; i++) {
      if (kind(i).isText()) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first event of the given kind, or -1. */
  public int firstIndexOf(ChunkKind kind) {
    for (int i = 0; i < packed.length; i++) {
      if (kind(i) == kind) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the last event carrying text, or -1. */
  public int lastTextIndex() {
    for (int i = packed.length - 1; i >= 0; i--) {
      if (kind(i).isText()) {
        return i;
      }
    }
    return -1;
  }

  /** Number of events carrying text. */
  public int textEventCount() {
    int n = 0;
    for (int i = 0; i < packed.length; i++) {
      if (kind(i).isText()) {
        n++;
      }
    }
    return n;
  }

  /** Total text length over all text events. */
  public long totalTextChars() {
    long n = 0;
    for (int i = 0; i < packed.length; i++) {
      if (kind(i).isText()) {
        n += textChars(i);
      }
    }
    return n;
  }

  /** Gaps between consecutive text events (chunk-level inter-token latency), in order. */
  public long[] textGapsNanos() {
    int n = textEventCount();
    if (n < 2) {
      return new long[0];
    }
    long[] gaps = new long[n - 1];
    long prev = Long.MIN_VALUE;
    int g = 0;
    for (int i = 0; i < packed.length; i++) {
      if (kind(i).isText()) {
        if (prev != Long.MIN_VALUE) {
          gaps[g++] = atNanos[i] - prev;
        }
        prev = atNanos[i];
      }
    }
    return gaps;
  }

  /**
   * For each two successive text events that both carry the sender's stamp, |arrival gap − send
   * gap|: what the way from the engine to the client added to the gap or took from it. A late
   * engine lengthens both gaps alike, so only the client's and the network's part shows. Empty
   * without stamps.
   */
  public long[] sentGapErrorsNanos() {
    if (!hasSentStamps()) {
      return new long[0];
    }
    long[] errors = new long[Math.max(0, textEventCount() - 1)];
    int n = 0;
    int previous = -1;
    for (int i = 0; i < packed.length; i++) {
      if (!kind(i).isText()) {
        continue;
      }
      if (previous >= 0 && hasSentNanos(previous) && hasSentNanos(i)) {
        long arrivalGap = atNanos[i] - atNanos[previous];
        long sentGap = sentNanos(i) - sentNanos(previous);
        errors[n++] = Math.abs(arrivalGap - sentGap);
      }
      previous = i;
    }
    return n == errors.length ? errors : Arrays.copyOf(errors, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventLog other
        && Arrays.equals(atNanos, other.atNanos)
        && Arrays.equals(packed, other.packed)
        && Arrays.equals(delayNanos, other.delayNanos)
        && Arrays.equals(sentNanos, other.sentNanos);
  }

  @Override
  public int hashCode() {
    return 31
            * (31 * (31 * Arrays.hashCode(atNanos) + Arrays.hashCode(packed))
                + Arrays.hashCode(delayNanos))
        + Arrays.hashCode(sentNanos);
  }

  @Override
  public String toString() {
    return "EventLog[" + atNanos.length + " events]";
  }

  /** Appends events as they arrive; not thread-safe (one stream, one reader). */
  public static final class Builder {
    private long[] atNanos;
    private int[] packed;

    /** Allocated when the first stamp arrives; replaced by {@link #sentNanos} if one won't fit. */
    private int[] delayNanos;

    /** Stamps as longs, once some delay did not fit an int. */
    private long[] sentNanos;

    private int size;

    public Builder() {
      this(32);
    }

    public Builder(int initialCapacity) {
      int cap = Math.max(1, initialCapacity);
      atNanos = new long[cap];
      packed = new int[cap];
    }

    public Builder add(long atNanos, ChunkKind kind, int textChars) {
      if (textChars < 0) {
        throw new IllegalArgumentException("textChars < 0");
      }
      if (size == this.atNanos.length) {
        int cap = size + (size >> 1) + 1;
        this.atNanos = Arrays.copyOf(this.atNanos, cap);
        this.packed = Arrays.copyOf(this.packed, cap);
        if (delayNanos != null) {
          int old = delayNanos.length;
          delayNanos = Arrays.copyOf(delayNanos, cap);
          Arrays.fill(delayNanos, old, cap, NO_DELAY);
        }
        if (sentNanos != null) {
          int old = sentNanos.length;
          sentNanos = Arrays.copyOf(sentNanos, cap);
          Arrays.fill(sentNanos, old, cap, NO_STAMP);
        }
      }
      this.atNanos[size] = atNanos;
      this.packed[size] = (kind.ordinal() << KIND_SHIFT) | Math.min(textChars, MAX_TEXT_CHARS);
      size++;
      return this;
    }

    /**
     * Appends an event with the sender's stamp {@code sentNanos} (an offset on the run clock).
     *
     * @throws IllegalArgumentException when {@code sentNanos} is {@link Long#MIN_VALUE}, which
     *     marks absence
     */
    public Builder addSent(long atNanos, ChunkKind kind, int textChars, long sentNanos) {
      if (sentNanos == NO_STAMP) {
        throw new IllegalArgumentException("sentNanos is Long.MIN_VALUE");
      }
      add(atNanos, kind, textChars);
      int i = size - 1;
      long delay = atNanos - sentNanos;
      if (this.sentNanos == null && (delay <= NO_DELAY || delay > Integer.MAX_VALUE)) {
        widen();
      }
      if (this.sentNanos != null) {
        this.sentNanos[i] = sentNanos;
        return this;
      }
      if (delayNanos == null) {
        delayNanos = new int[this.atNanos.length];
        Arrays.fill(delayNanos, NO_DELAY);
      }
      delayNanos[i] = (int) delay;
      return this;
    }

    /** Moves the stamps to the long column: some delay does not fit an int. */
    private void widen() {
      sentNanos = new long[atNanos.length];
      Arrays.fill(sentNanos, NO_STAMP);
      if (delayNanos != null) {
        for (int j = 0; j < size; j++) {
          if (delayNanos[j] != NO_DELAY) {
            sentNanos[j] = atNanos[j] - delayNanos[j];
          }
        }
        delayNanos = null;
      }
    }

    /** Forgets every stamp recorded so far (they proved untrustworthy); later ones still count. */
    public Builder clearSentStamps() {
      delayNanos = null;
      sentNanos = null;
      return this;
    }

    public int size() {
      return size;
    }

    /** Trims the columns to size, so a finished log holds no slack. */
    public EventLog build() {
      if (size == 0) {
        return EMPTY;
      }
      return new EventLog(
          Arrays.copyOf(atNanos, size),
          Arrays.copyOf(packed, size),
          delayNanos == null ? null : Arrays.copyOf(delayNanos, size),
          sentNanos == null ? null : Arrays.copyOf(sentNanos, size));
    }
  }
}
