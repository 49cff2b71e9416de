package io.inferscope.probe;

import io.inferscope.core.RunFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated prompts of a target input length, each different from the others (so an engine's prefix
 * cache finds nothing to reuse beyond an optional shared prefix), with a target output length sent
 * as {@code max_tokens} and {@code ignore_eos}.
 *
 * <p>With the engine's tokenizer the lengths are exact as the engine counts them, its chat template
 * (or start token) included: each prompt's words are counted by the engine and corrected (a few
 * rounds, all prompts in flight together) until its count is the target. Without one, a word is
 * taken as a token and the report says the lengths are estimates.
 */
public final class SyntheticPrompts {

  /**
   * Rounds of counting and correcting: generated words are nearly always one token each, so one or
   * two rounds do; the rest step a word at a time where a correction overshot.
   */
  private static final int ROUNDS = 8;

  /**
   * @param items distinct prompts to make
   * @param inputMean mean input tokens per request, template included
   * @param inputStddev their standard deviation (0 for all equal)
   * @param outputMean mean output tokens ({@code max_tokens}), or null to send the run's
   * @param outputStddev their standard deviation
   * @param sharedPrefixTokens tokens every prompt starts with (0 for none)
   * @param seed seed of the lengths and the words
   */
  public record Spec(
      int items,
      int inputMean,
      double inputStddev,
      Integer outputMean,
      double outputStddev,
      int sharedPrefixTokens,
      long seed) {
    public Spec {
      if (items < 1) {
        throw new IllegalArgumentException("at least one prompt: " + items);
      }
      if (inputMean < 1 || inputStddev < 0 || outputStddev < 0) {
        throw new IllegalArgumentException(
            "input tokens must be at least 1 and deviations not negative");
      }
      if (outputMean != null && outputMean < 1) {
        throw new IllegalArgumentException("output tokens must be at least 1: " + outputMean);
      }
      if (sharedPrefixTokens < 0 || sharedPrefixTokens >= inputMean) {
        throw new IllegalArgumentException(
            "the shared prefix ("
                + sharedPrefixTokens
                + " tokens) must be shorter than the input ("
                + inputMean
                + ")");
      }
    }
  }

  private SyntheticPrompts() {}

  /**
   * The prompts.
   *
   * @param tokenizer the engine's tokenizer, or null to estimate
   */
  public static Workload build(Spec spec, EngineTokenizer tokenizer, Endpoint endpoint) {
    Random lengths = new Random(spec.seed());
    int template = 0;
    Integer templateCounted = null;
    if (tokenizer != null) {
      templateCounted = tokenizer.templateTokens(endpoint);
      template = templateCounted == null ? 0 : templateCounted;
    }
    int prefixWords = spec.sharedPrefixTokens();
    if (tokenizer != null && prefixWords > 0) {
      prefixWords = prefixWordsFor(spec, tokenizer);
    }
    int n = spec.items();
    int[] targets = new int[n];
    Integer[] outputs = new Integer[n];
    int[] ownWords = new int[n];
    for (int i = 0; i < n; i++) {
      int target =
          (int)
              Math.max(
                  1, Math.round(spec.inputMean() + lengths.nextGaussian() * spec.inputStddev()));
      // Never shorter than the shared prefix, the template and one word of its own.
      targets[i] = Math.max(target, spec.sharedPrefixTokens() + template + 1);
      ownWords[i] = targets[i] - template - spec.sharedPrefixTokens();
      if (spec.outputMean() != null) {
        outputs[i] =
            (int)
                Math.max(
                    1,
                    Math.round(spec.outputMean() + lengths.nextGaussian() * spec.outputStddev()));
      }
    }
    int[] counted = new int[n];
    if (tokenizer != null) {
      correct(spec, tokenizer, template, prefixWords, targets, ownWords, counted);
    } else {
      for (int i = 0; i < n; i++) {
        counted[i] = spec.sharedPrefixTokens() + ownWords[i];
      }
    }
    List<WorkItem> items = new ArrayList<>(n);
    double inSum = 0;
    double outSum = 0;
    for (int i = 0; i < n; i++) {
      items.add(
          new WorkItem(
              new Prompt.Generated(spec.seed(), i, prefixWords, ownWords[i]),
              outputs[i],
              null,
              counted[i]));
      inSum += counted[i];
      outSum += outputs[i] == null ? 0 : outputs[i];
    }
    RunFacts.Workload facts =
        new RunFacts.Workload(
            RunFacts.WorkloadSource.SYNTHETIC,
            null,
            n,
            null,
            tokenizer != null
                ? RunFacts.TokenCounting.ENGINE_TOKENIZER
                : RunFacts.TokenCounting.ESTIMATE,
            inSum / n,
            spec.outputMean() == null ? null : outSum / n,
            spec.sharedPrefixTokens() == 0 ? null : spec.sharedPrefixTokens(),
            templateCounted);
    return new Workload(items, spec.outputMean() != null, facts);
  }

  /** Words of the shared prefix that the engine counts as the asked tokens. */
  private static int prefixWordsFor(Spec spec, EngineTokenizer tokenizer) {
    int want = spec.sharedPrefixTokens();
    int words = want;
    for (int round = 0; round < ROUNDS; round++) {
      StringBuilder sb = new StringBuilder();
      PromptText.words(sb, new java.util.SplittableRandom(spec.seed()), words);
      int got = tokenizer.count(sb.toString());
      if (got == want) {
        break;
      }
      words = Math.max(1, words + want - got);
    }
    return words;
  }

  /**
   * Counts every prompt with the engine and corrects its own words by the difference, a few rounds;
   * {@code counted} ends as the engine's count of each, template included.
   */
  private static void correct(
      Spec spec,
      EngineTokenizer tokenizer,
      int template,
      int prefixWords,
      int[] targets,
      int[] ownWords,
      int[] counted) {
    int n = targets.length;
    List<Integer> open = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      open.add(i);
    }
    int[] lastDiff = new int[n];
    for (int round = 0; round < ROUNDS && !open.isEmpty(); round++) {
      List<String> texts = new ArrayList<>(open.size());
      for (int i : open) {
        texts.add(
            PromptText.render(new Prompt.Generated(spec.seed(), i, prefixWords, ownWords[i])));
      }
      int[] got = tokenizer.countAll(texts);
      List<Integer> still = new ArrayList<>();
      for (int k = 0; k < got.length; k++) {
        int i = open.get(k);
        counted[i] = got[k] + template;
        int diff = targets[i] - counted[i];
        // After an overshoot (a word of several tokens), step one word at a time.
        int step =
            lastDiff[i] != 0 && Integer.signum(diff) != Integer.signum(lastDiff[i])
                ? Integer.signum(diff)
                : diff;
        lastDiff[i] = diff;
        if (diff != 0 && round < ROUNDS - 1 && ownWords[i] + step >= 1) {
          ownWords[i] += step;
          still.add(i);
        }
      }
      open = still;
    }
  }
}
