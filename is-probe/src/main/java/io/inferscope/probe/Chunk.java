package io.inferscope.probe;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;

/**
 * What one SSE data payload carried, as {@link ChunkParser} read it.
 *
 * @param kind the event's kind by {@link ChunkKind}'s priority rule ({@link ChunkKind#EMPTY} for a
 *     malformed payload: it carries nothing that could be counted)
 * @param contentChars UTF-16 length of answer text ({@code delta.content}, {@code message.content}
 *     or {@code text}), summed over choices
 * @param reasoningChars UTF-16 length of reasoning text ({@code reasoning_content} or {@code
 *     reasoning}), summed over choices
 * @param role whether some choice carried {@code delta.role}
 * @param hasChoices whether the payload had a {@code choices} array (empty or not)
 * @param finishReason the last non-null {@code finish_reason}, or null
 * @param usage the {@code usage} object, or null when absent or null
 * @param timings llama.cpp's {@code timings} object, or null
 * @param errorMessage the message of an {@code error} object (or of a top-level {@code "object":
 *     "error"}), or null when the payload is no error
 * @param sentNanos the simulator's {@code x_inferscope_sent_ns} stamp (its own {@link
 *     System#nanoTime()} when it wrote the event), or null
 * @param malformedDetail why the payload could not be read, or null when it was read
 */
record Chunk(
    ChunkKind kind,
    int contentChars,
    int reasoningChars,
    boolean role,
    boolean hasChoices,
    String finishReason,
    Usage usage,
    ServerTimings timings,
    String errorMessage,
    Long sentNanos,
    String malformedDetail) {

  static final Chunk DONE =
      new Chunk(ChunkKind.DONE, 0, 0, false, false, null, null, null, null, null, null);

  static Chunk malformed(String detail) {
    return new Chunk(ChunkKind.EMPTY, 0, 0, false, false, null, null, null, null, null, detail);
  }

  /** Output text of the event, content and reasoning together. */
  int textChars() {
    return contentChars + reasoningChars;
  }

  boolean isMalformed() {
    return malformedDetail != null;
  }
}
