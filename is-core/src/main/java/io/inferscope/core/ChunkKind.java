package io.inferscope.core;

/**
 * What one server-sent event carried, as seen by the client. One event gets one kind: when a chunk
 * carries several things (text and a finish reason, say) the kind is the first that applies in this
 * order: error, text (content or reasoning), finish, usage, role, empty.
 */
public enum ChunkKind {
  /** A chunk with only {@code delta.role} (and null or empty content): never counts as output. */
  ROLE,
  /** A chunk carrying answer text ({@code delta.content} or {@code text}). */
  CONTENT,
  /** A chunk carrying reasoning text ({@code delta.reasoning_content} or {@code reasoning}). */
  REASONING,
  /** A chunk whose only news is a {@code finish_reason}. */
  FINISH,
  /** A chunk carrying {@code usage} (often with empty {@code choices}). */
  USAGE,
  /** An {@code error} object inside the stream (possibly at HTTP 200). */
  ERROR,
  /** An SSE comment line ({@code :ping}) or an empty event: keeps the connection alive. */
  KEEP_ALIVE,
  /** The {@code data: [DONE]} sentinel. */
  DONE,
  /** A well-formed chunk with nothing of the above (empty delta, progress only). */
  EMPTY;

  private static final ChunkKind[] VALUES = values();

  /** Whether this kind carries output text (content or reasoning). */
  public boolean isText() {
    return this == CONTENT || this == REASONING;
  }

  static ChunkKind ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }
}
