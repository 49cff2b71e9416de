package io.inferscope.probe;

import java.util.SplittableRandom;

/**
 * Renders a {@link Prompt} as text. Generated text is common English words, space-separated: each
 * is one token in the tokenizers of the common model families (SentencePiece and byte-level BPE
 * vocabularies alike), so a word count is close to a token count before any engine counts it.
 */
final class PromptText {

  /** Common English words, each a single token in Llama, Mistral, Qwen and GPT vocabularies. */
  static final String[] WORDS = {
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "you",
    "that",
    "it",
    "he",
    "was",
    "for",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "at",
    "be",
    "this",
    "have",
    "from",
    "or",
    "one",
    "had",
    "by",
    "word",
    "but",
    "not",
    "what",
    "all",
    "were",
    "we",
    "when",
    "your",
    "can",
    "said",
    "there",
    "use",
    "an",
    "each",
    "which",
    "she",
    "do",
    "how",
    "their",
    "if",
    "will",
    "up",
    "other",
    "about",
    "out",
    "many",
    "then",
    "them",
    "these",
    "so",
    "some",
    "her",
    "would",
    "make",
    "like",
    "him",
    "into",
    "time",
    "has",
    "look",
    "two",
    "more",
    "write",
    "go",
    "see",
    "number",
    "no",
    "way",
    "could",
    "people",
    "my",
    "than",
    "first",
    "water",
    "been",
    "call",
    "who",
    "its",
    "now",
    "find",
    "long",
    "down",
    "day",
    "did",
    "get",
    "come",
    "made",
    "may",
    "part",
    "over",
    "new",
    "after",
    "work",
    "place",
    "year",
    "live",
    "back",
    "give",
    "most",
    "very",
    "good",
    "man",
    "think",
    "say",
    "great",
    "where",
    "help",
    "through",
    "much",
    "before",
    "line",
    "right",
    "too",
    "mean",
    "old",
    "any",
    "same",
    "tell",
    "boy",
    "follow",
    "came",
    "want",
    "show",
    "also",
    "around",
    "form",
    "three",
    "small",
    "set",
    "put",
    "end",
    "does",
    "another",
    "well",
    "large",
    "must",
    "big",
    "even",
    "such",
    "because",
    "turn",
    "here",
    "why",
    "ask",
    "went",
    "men",
    "read",
    "need",
    "land",
    "home",
    "us",
    "move",
    "try",
    "kind",
    "hand",
    "picture",
    "again",
    "change",
    "off",
    "play",
    "spell",
    "air",
    "away",
    "animal",
    "house",
    "point",
    "page",
    "letter",
    "mother",
    "answer",
    "found",
    "study",
    "still",
    "learn",
    "should",
    "world",
    "high",
    "every",
    "near",
    "add",
    "food",
    "between",
    "own",
    "below",
    "country",
    "plant",
    "last",
    "school",
    "father",
    "keep",
    "tree",
    "never",
    "start",
    "city",
    "earth",
    "eye",
    "light",
    "thought",
    "head",
    "under",
    "story",
    "saw",
    "left",
    "few",
    "while",
    "along",
    "might",
    "close",
    "something",
    "seem",
    "next",
    "hard",
    "open",
    "example",
    "begin",
    "life",
    "always",
    "those",
    "both",
    "paper",
    "together",
    "got",
    "group",
    "often",
    "run",
    "important",
    "until",
    "children",
    "side",
    "feet",
    "car",
    "night",
    "walk",
    "white",
    "sea",
    "began",
    "grow",
    "took",
    "river",
    "four",
    "carry",
    "state",
    "once",
    "book",
    "hear",
    "stop",
    "without",
    "second",
    "later",
    "miss",
    "idea",
    "enough",
    "eat",
    "face",
    "watch",
    "far",
    "really",
    "almost",
    "let",
    "above",
    "girl",
    "sometimes",
    "young",
    "talk",
    "soon",
    "list",
    "song",
    "being",
    "leave",
    "family"
  };

  private PromptText() {}

  static String render(Prompt p) {
    return render(p, 0);
  }

  /**
   * {@code p} as text, generated words drawn under {@code salt} (0: as the prompt says). A run
   * sends the same item again with another salt — in its warm-up, a second pass over its items,
   * another sweep level — so that generated text is not repeated, which an engine's prefix cache
   * would serve from memory. A shared prefix stays shared; equal block ids stay equal text.
   */
  static String render(Prompt p, long salt) {
    return switch (p) {
      case Prompt.Text t -> t.text();
      case Prompt.Messages m -> m.text();
      case Prompt.Generated g -> generated(g, salt);
      case Prompt.Blocks b -> blocks(b, salt);
    };
  }

  private static String generated(Prompt.Generated g, long salt) {
    StringBuilder sb = new StringBuilder((g.sharedWords() + g.ownWords()) * 6);
    words(sb, new SplittableRandom(g.seed()), g.sharedWords());
    // Its own words come from a stream of its own, so no two prompts go on alike.
    long own = mix(g.seed(), g.index() + 1L);
    words(sb, new SplittableRandom(salt == 0 ? own : mix(own, salt)), g.ownWords());
    return sb.toString();
  }

  private static String blocks(Prompt.Blocks b, long salt) {
    long[] ids = b.hashIds();
    long seed = salt == 0 ? b.seed() : mix(b.seed(), salt);
    StringBuilder sb = new StringBuilder(ids.length * b.blockWords() * 6);
    for (int i = 0; i < ids.length; i++) {
      int n = i == ids.length - 1 ? b.lastBlockWords() : b.blockWords();
      words(sb, new SplittableRandom(mix(seed, ids[i])), n);
    }
    return sb.toString();
  }

  /** Whether the prompt's text is generated (and so changes with a salt). */
  static boolean generated(Prompt p) {
    return p instanceof Prompt.Generated || p instanceof Prompt.Blocks;
  }

  /** Appends {@code n} words, each after a space unless it starts the text. */
  static void words(StringBuilder sb, SplittableRandom random, int n) {
    for (int i = 0; i < n; i++) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
  }

  /** A seed for {@code key} under {@code seed}: distinct keys give unrelated streams. */
  static long mix(long seed, long key) {
    long z = seed * 0x9E3779B97F4A7C15L + key * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
