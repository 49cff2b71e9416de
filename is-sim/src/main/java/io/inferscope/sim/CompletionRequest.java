package io.inferscope.sim;

import java.util.Map;

/**
 * The parts of a completion request body the engine acts on.
 *
 * @param endpoint which endpoint received it
 * @param model the requested model, or {@link #DEFAULT_MODEL}
 * @param maxTokens the requested cap on output tokens, or {@link #NO_MAX_TOKENS}
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether {@code stream_options.include_usage} was true
 * @param ignoreEos whether {@code ignore_eos} was true: generate exactly {@code max_tokens}
 * @param promptTokens the prompt's length as {@link SimTokenizer} counts it
 */
record CompletionRequest(
    Endpoint endpoint,
    String model,
    int maxTokens,
    boolean stream,
    boolean includeUsage,
    boolean ignoreEos,
    int promptTokens) {

  static final String DEFAULT_MODEL = "sim-model";
  static final int NO_MAX_TOKENS = -1;

  /**
   * The most tokens {@code ignore_eos} may ask for, a 128k context: each token's due time is held
   * in memory, and a real engine refuses lengths past its context too.
   */
  static final int MAX_FORCED_TOKENS = 128 * 1024;

  /** Reads a request body; a malformed body or a field of the wrong type is a 400. */
  static CompletionRequest parse(Endpoint endpoint, String body) throws RequestException {
    Object root;
    try {
      root = JsonReader.parse(body);
    } catch (JsonException e) {
      throw RequestException.invalid("invalid JSON body: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> request)) {
      throw RequestException.invalid("the request body must be a JSON object");
    }
    String model = request.get("model") instanceof String s && !s.isEmpty() ? s : DEFAULT_MODEL;
    // max_completion_tokens supersedes max_tokens in the OpenAI API.
    int maxTokens = tokenLimit(request, "max_completion_tokens");
    if (maxTokens == NO_MAX_TOKENS) {
      maxTokens = tokenLimit(request, "max_tokens");
    }
    boolean stream = flag(request, "stream");
    boolean includeUsage =
        request.get("stream_options") instanceof Map<?, ?> options
            && Boolean.TRUE.equals(options.get("include_usage"));
    boolean ignoreEos = flag(request, "ignore_eos");
    if (ignoreEos && maxTokens > MAX_FORCED_TOKENS) {
      throw RequestException.invalid(
          "max_tokens with ignore_eos must not exceed the context of "
              + MAX_FORCED_TOKENS
              + " tokens");
    }
    int promptTokens =
        switch (endpoint) {
          case CHAT -> SimTokenizer.messageTokens(request.get("messages"));
          case COMPLETIONS -> SimTokenizer.promptTokens(request.get("prompt"));
        };
    return new CompletionRequest(
        endpoint, model, maxTokens, stream, includeUsage, ignoreEos, promptTokens);
  }

  /**
   * Tokens to generate when the engine would otherwise send {@code configured}: exactly {@code
   * max_tokens} with {@code ignore_eos}, as real engines do, else at most {@code max_tokens}.
   */
  int outputTokens(int configured) {
    if (maxTokens == NO_MAX_TOKENS) {
      return configured;
    }
    return ignoreEos ? maxTokens : Math.min(maxTokens, configured);
  }

  /** Whether {@code max_tokens} ended the output: finish_reason "length" rather than "stop". */
  boolean capped(int configured) {
    return maxTokens != NO_MAX_TOKENS && (ignoreEos || maxTokens < configured);
  }

  private static int tokenLimit(Map<?, ?> request, String field) throws RequestException {
    Object value = request.get(field);
    if (value == null) {
      return NO_MAX_TOKENS;
    }
    long limit;
    if (value instanceof Long l) {
      limit = l;
    } else if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      limit = d.longValue();
    } else {
      throw RequestException.invalid("'" + field + "' must be an integer");
    }
    // Negative means unlimited, as llama.cpp's n_predict = -1.
    return limit < 0 ? NO_MAX_TOKENS : (int) Math.min(limit, Integer.MAX_VALUE);
  }

  private static boolean flag(Map<?, ?> request, String field) throws RequestException {
    Object value = request.get(field);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw RequestException.invalid("'" + field + "' must be a boolean");
  }
}
