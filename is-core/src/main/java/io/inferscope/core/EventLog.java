package io.inferscope.core;

import java.util.Arrays;

/**
 * The events of one response stream, stored in columns: one {@code long} arrival offset and one
 * {@code int} packing kind and text length per event (12 bytes an event once built), because a long
 * run records millions of events and a record per event would cost several times more. Immutable
 * once built.
 */
public final class EventLog {
  private static final int KIND_SHIFT = 27;

  /**
   * Largest text length one event can record; longer texts are clamped (never seen in practice).
   */
  public static final int MAX_TEXT_CHARS = (1 << KIND_SHIFT) - 1;

  private static final EventLog EMPTY = new EventLog(new long[0], new int[0]);

  private final long[] atNanos;
  private final int[] packed;

  private EventLog(long[] atNanos, int[] packed) {
    this.atNanos = atNanos;
    this.packed = packed;
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

  public int size() {
    return atNanos.length;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof EventLog other
        && Arrays.equals(atNanos, other.atNanos)
        && Arrays.equals(packed, other.packed);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(atNanos) + Arrays.hashCode(packed);
  }

  @Override
  public String toString() {
    return "EventLog[" + atNanos.length + " events]";
  }

  /** Appends events as they arrive; not thread-safe (one stream, one reader). */
  public static final class Builder {
    private long[] atNanos;
    private int[] packed;
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
      }
      this.atNanos[size] = atNanos;
      this.packed[size] = (kind.ordinal() << KIND_SHIFT) | Math.min(textChars, MAX_TEXT_CHARS);
      size++;
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
      return new EventLog(Arrays.copyOf(atNanos, size), Arrays.copyOf(packed, size));
    }
  }
}
