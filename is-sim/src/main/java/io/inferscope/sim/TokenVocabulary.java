package io.inferscope.sim;

/**
 * Deterministic token texts. A few carry characters that need JSON escaping or multi-byte UTF-8 (a
 * 4-byte emoji included), so that clients' escaping and decoding are exercised too.
 */
final class TokenVocabulary {

  private static final String[] WORDS = {
    " lorem", " ipsum", " dolor", " sit", " amet", " consectetur", " adipiscing", " elit",
    " sed", " do", " eiusmod", " tempor", " incididunt", " ut", " labore", " et",
    " dolore", " magna", " aliqua", " enim", " ad", " minim", " veniam", " quis",
    " nostrud", " exercitation", " ullamco", " laboris", " nisi", " aliquip", " ex", " ea",
    " commodo", " consequat", " duis", " aute", " irure", " in", " voluptate", " velit",
    " café", " naïve", " Größe", " 東京", " \"quoted\"", " back\\slash", " line\nbreak", " 🙂"
  };

  private TokenVocabulary() {}

  /**
   * The text of the token at {@code position} of every response of an engine seeded {@code seed}.
   */
  static String token(long seed, int position) {
    long mixed = mix(seed * 0x9E3779B97F4A7C15L + position);
    return WORDS[(int) Long.remainderUnsigned(mixed, WORDS.length)];
  }

  /** SplitMix64's finaliser: neighbouring positions map to unrelated words. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
