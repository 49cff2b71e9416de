package io.inferscope.probe;

import io.inferscope.core.RunFacts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A Mooncake (FAST'25) request trace replayed on its own schedule. Each line: {@code timestamp} (ms
 * from the trace's start), {@code input_length} and {@code output_length} (tokens), {@code
 * hash_ids} (one id per 512-token prefix block; the last block holds the rest). The trace has no
 * text: each block id becomes its own generated words ({@link Prompt.Blocks}), so requests that
 * share leading ids share that prefix exactly and an engine's prefix cache sees the sharing.
 *
 * <p>Lengths: a block is as many words as the engine's tokenizer needs for 512 tokens (measured on
 * a sample of the generated words before load), so prompts come to about their {@code input_length}
 * as the engine counts, the chat template included; without a tokenizer a word is taken as a token,
 * and the report says the lengths are estimates. Each request asks for its {@code output_length} as
 * {@code max_tokens} with {@code ignore_eos}.
 */
public final class MooncakeTrace {

  /** Tokens per prefix block in the Mooncake traces. */
  public static final int BLOCK_TOKENS = 512;

  private static final JsonFactory JSON = new JsonFactory();

  /** Words counted to measure the tokenizer's tokens per generated word. */
  private static final int CALIBRATION_WORDS = 4096;

  private MooncakeTrace() {}

  /**
   * @param timeScale factor applied to the trace's times (0.5 replays it twice as fast)
   * @param limit the first requests to keep, or null for all
   * @param skipBadLines skip (and count) malformed lines rather than refuse the file
   * @param seed the seed of the generated words
   * @param tokenizer the engine's tokenizer, or null to estimate
   * @throws WorkloadFileException for a malformed line (unless skipped), or no request
   * @throws IOException when the file cannot be read
   */
  public static Workload read(
      Path file,
      double timeScale,
      Integer limit,
      boolean skipBadLines,
      long seed,
      EngineTokenizer tokenizer,
      Endpoint endpoint)
      throws IOException {
    if (!(timeScale > 0) || !Double.isFinite(timeScale)) {
      throw new IllegalArgumentException("the time scale must be a positive number: " + timeScale);
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("the trace limit must be at least 1: " + limit);
    }
    List<Line> lines = new ArrayList<>();
    int[] skipped = {0};
    Utf8Lines.read(
        file,
        (n, text) -> {
          if (text != null && text.isBlank()) {
            return true;
          }
          try {
            if (text == null) {
              throw new IllegalArgumentException("not valid UTF-8");
            }
            Line l = line(text);
            if (!lines.isEmpty() && l.timestampMs() < lines.getLast().timestampMs()) {
              throw new IllegalArgumentException(
                  "timestamp "
                      + l.timestampMs()
                      + " is before the previous line's "
                      + lines.getLast().timestampMs()
                      + ": a trace is in time order");
            }
            lines.add(l);
          } catch (IllegalArgumentException bad) {
            if (!skipBadLines) {
              throw new WorkloadFileException(
                  file, n, bad.getMessage() + " (or pass --skip-bad-lines to skip such lines)");
            }
            skipped[0]++;
          }
          return limit == null || lines.size() < limit;
        });
    if (lines.isEmpty()) {
      throw new WorkloadFileException(
          file,
          0,
          skipped[0] > 0
              ? "no usable request (" + skipped[0] + " skipped)"
              : "no request: the file is empty");
    }
    double tokensPerWord = 1.0;
    Integer template = null;
    if (tokenizer != null) {
      StringBuilder sample = new StringBuilder();
      PromptText.words(sample, new java.util.SplittableRandom(seed), CALIBRATION_WORDS);
      tokensPerWord = tokenizer.count(sample.toString()) / (double) CALIBRATION_WORDS;
      template = tokenizer.templateTokens(endpoint);
    }
    int blockWords = Math.max(1, (int) Math.round(BLOCK_TOKENS / tokensPerWord));
    double t0 = lines.getFirst().timestampMs();
    List<WorkItem> items = new ArrayList<>(lines.size());
    double inSum = 0;
    double outSum = 0;
    for (Line l : lines) {
      int k = l.hashIds().length;
      int lastTokens = l.inputLength() - BLOCK_TOKENS * (k - 1);
      if (template != null && lastTokens > template) {
        // The template's tokens are part of the engine's count: the last block leaves room.
        lastTokens -= template;
      }
      int lastWords = Math.clamp(Math.round(lastTokens / tokensPerWord), 1, blockWords);
      Prompt p = new Prompt.Blocks(seed, l.hashIds(), blockWords, lastWords);
      long offset = Math.round((l.timestampMs() - t0) * timeScale * 1e6);
      items.add(new WorkItem(p, l.outputLength(), offset, l.inputLength()));
      inSum += l.inputLength();
      outSum += l.outputLength();
    }
    RunFacts.Workload facts =
        new RunFacts.Workload(
            RunFacts.WorkloadSource.MOONCAKE,
            file.toString(),
            items.size(),
            skipped[0],
            tokenizer != null
                ? RunFacts.TokenCounting.ENGINE_TOKENIZER
                : RunFacts.TokenCounting.ESTIMATE,
            inSum / items.size(),
            outSum / items.size(),
            null,
            template);
    return new Workload(items, true, facts);
  }

  private record Line(double timestampMs, int inputLength, int outputLength, long[] hashIds) {}

  private static Line line(String text) {
    Object v;
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), text)) {
      p.nextToken();
      v = JsonValues.read(p);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "not valid JSON: " + Excerpts.oneLine(e.getOriginalMessage(), 120));
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("expected a JSON object, got " + JsonValues.describe(v));
    }
    if (!(m.get("timestamp") instanceof Number ts)
        || !(ts.doubleValue() >= 0)
        || !Double.isFinite(ts.doubleValue())) {
      throw new IllegalArgumentException(
          "\"timestamp\" must be a number of milliseconds, 0 or more, got " + m.get("timestamp"));
    }
    int in = positive(m, "input_length");
    int out = positive(m, "output_length");
    if (!(m.get("hash_ids") instanceof List<?> ids) || ids.isEmpty()) {
      throw new IllegalArgumentException("\"hash_ids\" must be a non-empty array of integers");
    }
    long[] hashIds = new long[ids.size()];
    for (int i = 0; i < hashIds.length; i++) {
      if (!(ids.get(i) instanceof Long id)) {
        throw new IllegalArgumentException("\"hash_ids\" must hold integers, got " + ids.get(i));
      }
      hashIds[i] = id;
    }
    int blocks = (in + BLOCK_TOKENS - 1) / BLOCK_TOKENS;
    if (blocks != hashIds.length) {
      throw new IllegalArgumentException(
          "input_length "
              + in
              + " needs "
              + blocks
              + " blocks of "
              + BLOCK_TOKENS
              + " tokens, but hash_ids has "
              + hashIds.length);
    }
    return new Line(ts.doubleValue(), in, out, hashIds);
  }

  private static int positive(Map<?, ?> m, String field) {
    if (!(m.get(field) instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "\"" + field + "\" must be a positive integer, got " + m.get(field));
    }
    return (int) (long) l;
  }
}
