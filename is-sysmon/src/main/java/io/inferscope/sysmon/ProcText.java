package io.inferscope.sysmon;

import java.nio.charset.StandardCharsets;

/** Allocation-free scanning of the {@code key: value} text of {@code /proc} files. */
final class ProcText {
  private ProcText() {}

  /** Bytes of a key as it starts a line, e.g. {@code "VmRSS:"}. */
  static byte[] key(String key) {
    return key.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * For each key, the first number on the line that starts with it, into {@code values} at the
   * key's index; -1 where no line starts with the key. One pass over the text.
   */
  static void values(byte[] bytes, int length, byte[][] keys, long[] values) {
    java.util.Arrays.fill(values, -1);
    int line = 0;
    while (line < length) {
      int end = line;
      while (end < length && bytes[end] != '\n') {
        end++;
      }
      for (int k = 0; k < keys.length; k++) {
        if (values[k] < 0 && startsWith(bytes, line, end, keys[k])) {
          int i = line + keys[k].length;
          while (i < end && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
          }
          int from = i;
          while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
          }
          values[k] = parseLong(bytes, from, i);
          break;
        }
      }
      line = end + 1;
    }
  }

  private static boolean startsWith(byte[] bytes, int from, int end, byte[] key) {
    if (end - from < key.length) {
      return false;
    }
    for (int i = 0; i < key.length; i++) {
      if (bytes[from + i] != key[i]) {
        return false;
      }
    }
    return true;
  }

  /** The non-negative decimal number in {@code bytes[from..to)}, or -1 when it is not one. */
  static long parseLong(byte[] bytes, int from, int to) {
    if (from >= to || to - from > 18) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int d = bytes[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  /** The pid a {@code /proc} entry name stands for, or -1 for entries that are not processes. */
  static int pid(String name) {
    int n = name.length();
    if (n == 0 || n > 9) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
