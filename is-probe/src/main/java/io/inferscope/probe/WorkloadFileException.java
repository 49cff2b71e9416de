package io.inferscope.probe;

import java.nio.file.Path;

/**
 * A workload file (dataset or trace) that cannot be used, e.g. {@code trace.jsonl:17: input_length
 * must be a positive integer, got "12a"}: the file, the line and what is wrong, found before any
 * load is sent.
 */
public final class WorkloadFileException extends IllegalArgumentException {
  private final Path file;
  private final long line;

  WorkloadFileException(Path file, long line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** The line (from 1), or 0 when the problem is the whole file's. */
  public long line() {
    return line;
  }
}
