package io.inferscope.probe;

/**
 * What one request asks, before it is made text: given text, given chat messages, or text generated
 * from a seed (so a large workload holds seeds, not megabytes of prompts, and a replay makes the
 * same text again). {@link PromptText} renders it.
 */
public sealed interface Prompt {

  /** Text sent as the user message (chat) or the prompt (completions). */
  record Text(String text) implements Prompt {
    public Text {
      if (text == null) {
        throw new IllegalArgumentException("text is required");
      }
    }
  }

  /**
   * Chat messages as given, sent as they are.
   *
   * @param messagesJson the JSON array of messages
   * @param text their text contents joined, for counting their tokens
   */
  record Messages(String messagesJson, String text) implements Prompt {}

  /**
   * Generated words: {@code sharedWords} words that every prompt of the workload shares (drawn from
   * {@code seed}), then {@code ownWords} words of this prompt's own (drawn from {@code seed} and
   * {@code index}), so no two prompts share more than the shared part.
   */
  record Generated(long seed, int index, int sharedWords, int ownWords) implements Prompt {
    public Generated {
      if (sharedWords < 0 || ownWords < 1) {
        throw new IllegalArgumentException("a generated prompt has at least one word of its own");
      }
    }
  }

  /**
   * A prompt made of prefix blocks (a Mooncake trace's {@code hash_ids}): each block's words are
   * drawn from {@code seed} and its id, so equal ids make equal text and two prompts that start
   * with the same ids share that prefix exactly. Every block has {@code blockWords} words but the
   * last, which has the first {@code lastBlockWords} of its block.
   */
  record Blocks(long seed, long[] hashIds, int blockWords, int lastBlockWords) implements Prompt {
    public Blocks {
      if (hashIds.length == 0 || blockWords < 1 || lastBlockWords < 1) {
        throw new IllegalArgumentException("a block prompt has at least one block of words");
      }
    }
  }
}
