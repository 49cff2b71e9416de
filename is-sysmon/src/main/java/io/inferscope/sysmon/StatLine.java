package io.inferscope.sysmon;

import java.nio.charset.StandardCharsets;

/**
 * The fields inferscope uses from one {@code /proc/PID/stat} line. The command name sits between
 * the first {@code (} and the LAST {@code )}: it may itself contain spaces and parentheses, so the
 * numeric fields are counted from the last {@code )} on.
 *
 * @param state one-letter state ({@code R}, {@code S}, {@code Z} for a zombie, ...)
 * @param utimeTicks user CPU time in clock ticks
 * @param stimeTicks system CPU time in clock ticks
 * @param startTicks start time in clock ticks since boot
 */
record StatLine(
    int pid,
    String comm,
    char state,
    int ppid,
    long utimeTicks,
    long stimeTicks,
    int threads,
    long startTicks) {

  // Positions of the fields after the command name, counting the state as 0 (proc(5) field - 3).
  private static final int PPID = 1;
  private static final int UTIME = 11;
  private static final int STIME = 12;
  private static final int NUM_THREADS = 17;
  private static final int STARTTIME = 19;

  boolean exited() {
    return state == 'Z' || state == 'X';
  }

  /** Parses {@code bytes[0..length)}, or returns null when the line is not a stat line. */
  static StatLine parse(byte[] bytes, int length) {
    int open = -1;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '(') {
        open = i;
        break;
      }
    }
    int close = -1;
    for (int i = length - 1; i > open; i--) {
      if (bytes[i] == ')') {
        close = i;
        break;
      }
    }
    if (open < 1 || close < 0) {
      return null;
    }
    long pid = ProcText.parseLong(bytes, 0, open - 1);
    String comm = new String(bytes, open + 1, close - open - 1, StandardCharsets.UTF_8);
    char state = 0;
    long ppid = -1;
    long utime = -1;
    long stime = -1;
    long threads = -1;
    long start = -1;
    int field = 0;
    int i = close + 1;
    while (field <= STARTTIME) {
      while (i < length && bytes[i] == ' ') {
        i++;
      }
      if (i >= length || bytes[i] == '\n') {
        return null; // the line ended before the last field we need
      }
      int from = i;
      while (i < length && bytes[i] != ' ' && bytes[i] != '\n') {
        i++;
      }
      switch (field) {
        case 0 -> state = (char) bytes[from];
        case PPID -> ppid = ProcText.parseLong(bytes, from, i);
        case UTIME -> utime = ProcText.parseLong(bytes, from, i);
        case STIME -> stime = ProcText.parseLong(bytes, from, i);
        case NUM_THREADS -> threads = ProcText.parseLong(bytes, from, i);
        case STARTTIME -> start = ProcText.parseLong(bytes, from, i);
        default -> {}
      }
      field++;
    }
    if (pid < 0 || ppid < 0 || utime < 0 || stime < 0 || threads < 0 || start < 0) {
      return null;
    }
    return new StatLine((int) pid, comm, state, (int) ppid, utime, stime, (int) threads, start);
  }
}
