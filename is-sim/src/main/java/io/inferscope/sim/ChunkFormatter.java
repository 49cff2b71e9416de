package io.inferscope.sim;

import io.inferscope.sim.SimConfig.RoleChunk;

/**
 * Writes the JSON of one response's chunks in llama.cpp's shapes. One builder serves every chunk of
 * the response, so the token path allocates nothing per chunk.
 */
final class ChunkFormatter {

  static final String ERROR_EVENT =
      "{\"error\":{\"code\":500,\"message\":\"simulated engine failure\",\"type\":\"server_error\"}}";

  private final StringBuilder sb = new StringBuilder(512);
  private final Endpoint endpoint;
  private final long seed;
  private final int reasoningTokens;
  private final String id;
  private final long createdSeconds;
  private final String quotedModel;

  ChunkFormatter(
      Endpoint endpoint,
      long requestIndex,
      long createdSeconds,
      String model,
      long seed,
      int reasoningTokens) {
    this.endpoint = endpoint;
    this.seed = seed;
    // Completions have no reasoning field: all their tokens are text.
    this.reasoningTokens = endpoint == Endpoint.CHAT ? reasoningTokens : 0;
    this.id = endpoint.idPrefix() + requestIndex;
    this.createdSeconds = createdSeconds;
    this.quotedModel = JsonText.appendQuoted(new StringBuilder(), model).toString();
  }

  /** A chunk that is not valid JSON: the object is cut off mid-value. */
  String malformed() {
    return endpoint == Endpoint.CHAT
        ? "{\"choices\":[{\"delta\":{\"content\":\"x\""
        : "{\"choices\":[{\"text\":\"x\"";
  }

  /** The role-only first chunk of a chat stream. */
  CharSequence role(RoleChunk roleChunk) {
    begin(endpoint.chunkObject());
    sb.append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":")
        .append(roleChunk == RoleChunk.EMPTY_CONTENT ? "\"\"" : "null")
        .append("},\"finish_reason\":null}]}");
    return sb;
  }

  /** A chunk carrying tokens {@code from} (inclusive) to {@code to} (exclusive). */
  CharSequence text(int from, int to) {
    begin(endpoint.chunkObject());
    sb.append("\"choices\":[{\"index\":0,");
    if (endpoint == Endpoint.CHAT) {
      sb.append("\"delta\":{");
      appendMessageFields(from, to);
      sb.append('}');
    } else {
      sb.append("\"text\":");
      appendTokens(from, to);
      sb.append(",\"logprobs\":null");
    }
    sb.append(",\"finish_reason\":null}]}");
    return sb;
  }

  /** The chunk that ends the choice: empty delta (or text) and a finish reason. */
  CharSequence finish(String finishReason) {
    begin(endpoint.chunkObject());
    sb.append("\"choices\":[{\"index\":0,")
        .append(endpoint == Endpoint.CHAT ? "\"delta\":{}" : "\"text\":\"\",\"logprobs\":null")
        .append(",\"finish_reason\":\"")
        .append(finishReason)
        .append("\"}]}");
    return sb;
  }

  /** The last chunk when usage was asked for: no choices, then usage and timings. */
  CharSequence usage(int promptTokens, TokenSchedule schedule) {
    begin(endpoint.chunkObject());
    sb.append("\"choices\":[],");
    appendUsageAndTimings(promptTokens, schedule);
    return sb.append('}');
  }

  /** A whole non-streamed response. */
  CharSequence response(String finishReason, int promptTokens, TokenSchedule schedule) {
    int tokens = schedule.tokens();
    begin(endpoint.responseObject());
    sb.append("\"choices\":[{\"index\":0,");
    if (endpoint == Endpoint.CHAT) {
      sb.append("\"message\":{\"role\":\"assistant\",");
      if (reasoningTokens == 0 || tokens == 0) {
        sb.append("\"content\":");
        appendTokens(0, tokens);
      } else {
        appendMessageFields(0, tokens);
        if (reasoningTokens >= tokens) {
          sb.append(",\"content\":\"\"");
        }
      }
      sb.append('}');
    } else {
      sb.append("\"text\":");
      appendTokens(0, tokens);
      sb.append(",\"logprobs\":null");
    }
    sb.append(",\"finish_reason\":\"").append(finishReason).append("\"}],");
    appendUsageAndTimings(promptTokens, schedule);
    return sb.append('}');
  }

  private void begin(String object) {
    sb.setLength(0);
    sb.append("{\"id\":\"")
        .append(id)
        .append("\",\"object\":\"")
        .append(object)
        .append("\",\"created\":")
        .append(createdSeconds)
        .append(",\"model\":")
        .append(quotedModel)
        .append(',');
  }

  /** Reasoning tokens go to reasoning_content; a span that crosses over carries both fields. */
  private void appendMessageFields(int from, int to) {
    int split = Math.clamp(reasoningTokens, from, to);
    if (split > from) {
      sb.append("\"reasoning_content\":");
      appendTokens(from, split);
    }
    if (to > split) {
      if (split > from) {
        sb.append(',');
      }
      sb.append("\"content\":");
      appendTokens(split, to);
    }
  }

  private void appendTokens(int from, int to) {
    sb.append('"');
    for (int i = from; i < to; i++) {
      JsonText.appendEscaped(sb, TokenVocabulary.token(seed, i));
    }
    sb.append('"');
  }

  private void appendUsageAndTimings(int promptTokens, TokenSchedule schedule) {
    int tokens = schedule.tokens();
    double promptMillis = schedule.prefillNanos() / 1e6;
    double predictedMillis = schedule.decodeNanos() / 1e6;
    // Like llama.cpp, the first token belongs to the prompt phase: rates count the gaps after it.
    int gaps = Math.max(0, tokens - 1);
    sb.append("\"usage\":{\"prompt_tokens\":")
        .append(promptTokens)
        .append(",\"completion_tokens\":")
        .append(tokens)
        .append(",\"total_tokens\":")
        .append(promptTokens + tokens)
        .append("},\"timings\":{\"cache_n\":0,\"prompt_n\":")
        .append(promptTokens)
        .append(",\"prompt_ms\":")
        .append(promptMillis)
        .append(",\"prompt_per_token_ms\":")
        .append(promptTokens == 0 ? 0.0 : promptMillis / promptTokens) // JSON has no infinity
        .append(",\"prompt_per_second\":")
        .append(rate(promptTokens, promptMillis))
        .append(",\"predicted_n\":")
        .append(tokens)
        .append(",\"predicted_ms\":")
        .append(predictedMillis)
        .append(",\"predicted_per_token_ms\":")
        .append(gaps == 0 ? 0.0 : predictedMillis / gaps)
        .append(",\"predicted_per_second\":")
        .append(rate(gaps, predictedMillis))
        .append('}');
  }

  /** Tokens per second, 0 when no time passed (JSON has no infinity). */
  private static double rate(int tokens, double millis) {
    return millis > 0 ? tokens * 1000.0 / millis : 0.0;
  }
}
