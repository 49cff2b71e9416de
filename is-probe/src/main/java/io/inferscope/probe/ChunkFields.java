package io.inferscope.probe;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;

/**
 * What a reader found in one payload, field by field, before it becomes a {@link Chunk}: filled by
 * {@link FastChunkReader} and by {@link ChunkParser}'s general path alike, so both make their chunk
 * by the same rules.
 */
class ChunkFields {
  int contentChars;
  int reasoningChars;
  boolean role;
  boolean hasChoices;
  String finishReason;
  Usage usage;
  ServerTimings timings;
  String error;
  boolean objectIsError;
  String topMessage;
  Long sentNanos;

  /**
   * The chunk these fields make; the payload {@code bytes[offset, offset + length)} is quoted when
   * an {@code "object": "error"} payload has no message.
   */
  final Chunk toChunk(byte[] bytes, int offset, int length) {
    String errorMessage = error;
    if (errorMessage == null && objectIsError) {
      errorMessage =
          topMessage != null
              ? topMessage
              : Excerpts.oneLine(bytes, offset, length, ChunkParser.EXCERPT_CHARS);
    }
    return new Chunk(
        kindOf(errorMessage),
        contentChars,
        reasoningChars,
        role,
        hasChoices,
        finishReason,
        usage,
        timings,
        errorMessage,
        sentNanos,
        null);
  }

  /** {@link ChunkKind}'s priority: error, text, finish, usage, role, empty. */
  private ChunkKind kindOf(String errorMessage) {
    if (errorMessage != null) {
      return ChunkKind.ERROR;
    }
    if (contentChars > 0) {
      return ChunkKind.CONTENT;
    }
    if (reasoningChars > 0) {
      return ChunkKind.REASONING;
    }
    if (finishReason != null) {
      return ChunkKind.FINISH;
    }
    if (usage != null) {
      return ChunkKind.USAGE;
    }
    if (role) {
      return ChunkKind.ROLE;
    }
    return ChunkKind.EMPTY;
  }
}
