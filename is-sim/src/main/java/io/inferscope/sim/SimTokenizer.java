package io.inferscope.sim;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The engine's one definition of a token: a text's tokens are its whitespace-separated words ("the
 * cat sat" is 3 tokens, an empty or blank text none), and a word's id is its {@link
 * String#hashCode()} modulo {@value #VOCABULARY_SIZE}. Prompt lengths in usage, timings and
 * metrics, and the answers of {@code /tokenize}, all count this way, so that a load test knows the
 * engine's prompt lengths exactly.
 */
final class SimTokenizer {

  /** Token ids lie in {@code [0, VOCABULARY_SIZE)}, a Llama-2-sized vocabulary. */
  static final int VOCABULARY_SIZE = 32_000;

  private SimTokenizer() {}

  /** The number of tokens of {@code text}. */
  static int count(String text) {
    int[] count = {0};
    tokenize(text, id -> count[0]++);
    return count[0];
  }

  /** Tokens of a completions {@code prompt}; see {@link #tokenizePrompt}. */
  static int promptTokens(Object prompt) {
    int[] count = {0};
    tokenizePrompt(prompt, id -> count[0]++);
    return count[0];
  }

  /** Tokens of a chat request's {@code messages}; see {@link #tokenizeMessages}. */
  static int messageTokens(Object messages) {
    int[] count = {0};
    tokenizeMessages(messages, id -> count[0]++);
    return count[0];
  }

  /** Gives each token id of {@code text} to {@code ids}, in order. */
  static void tokenize(String text, IntConsumer ids) {
    int hash = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          ids.accept(Math.floorMod(hash, VOCABULARY_SIZE));
          inWord = false;
        }
      } else {
        // The word's String.hashCode(), computed as it is read: no substring per word.
        hash = inWord ? 31 * hash + c : c;
        inWord = true;
      }
    }
    if (inWord) {
      ids.accept(Math.floorMod(hash, VOCABULARY_SIZE));
    }
  }

  /**
   * A completions {@code prompt}: a string, or an array of strings, or a pre-tokenised prompt (an
   * array of token ids, or of arrays of them), whose ids are taken as they are. Anything else has
   * no tokens.
   */
  static void tokenizePrompt(Object prompt, IntConsumer ids) {
    if (prompt instanceof String text) {
      tokenize(text, ids);
    } else if (prompt instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof String text) {
          tokenize(text, ids);
        } else if (item instanceof Number id) {
          ids.accept(id.intValue());
        } else if (item instanceof List<?> tokenIds) {
          for (Object id : tokenIds) {
            if (id instanceof Number n) {
              ids.accept(n.intValue());
            }
          }
        }
      }
    }
  }

  /**
   * A chat request's {@code messages}: each message's {@code content}, a string or an array of
   * parts whose {@code text} parts count (images and other parts do not).
   */
  static void tokenizeMessages(Object messages, IntConsumer ids) {
    if (!(messages instanceof List<?> list)) {
      return;
    }
    for (Object message : list) {
      if (!(message instanceof Map<?, ?> m)) {
        continue;
      }
      Object content = m.get("content");
      if (content instanceof String text) {
        tokenize(text, ids);
      } else if (content instanceof List<?> parts) {
        for (Object part : parts) {
          if (part instanceof Map<?, ?> p && p.get("text") instanceof String text) {
            tokenize(text, ids);
          }
        }
      }
    }
  }
}
