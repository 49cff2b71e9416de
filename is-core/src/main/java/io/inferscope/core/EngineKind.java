package io.inferscope.core;

import java.util.List;
import java.util.Map;

/**
 * The engines whose {@code /metrics} names inferscope reads, and which of their series give each
 * canonical figure (ADR 0014 states the engines' versions). Detected from the series names (each
 * engine prefixes its own: {@code vllm:}, {@code sglang:}, {@code llamacpp:}, {@code tgi_}, {@code
 * dynamo_}); a run may name one instead. Where a figure has several names (an engine renamed it),
 * the first one served wins; series of one name are summed over their labels (engines, models).
 */
public enum EngineKind {
  VLLM(
      "vllm:",
      Map.ofEntries(
          Map.entry(Figure.RUNNING, List.of("vllm:num_requests_running")),
          Map.entry(Figure.WAITING, List.of("vllm:num_requests_waiting")),
          Map.entry(
              Figure.KV_USAGE, List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc")),
          Map.entry(Figure.PROMPT_TOKENS, List.of("vllm:prompt_tokens_total")),
          Map.entry(Figure.GENERATION_TOKENS, List.of("vllm:generation_tokens_total")),
          Map.entry(
              Figure.PREFIX_QUERIES,
              List.of("vllm:prefix_cache_queries_total", "vllm:gpu_prefix_cache_queries_total")),
          Map.entry(
              Figure.PREFIX_HITS,
              List.of("vllm:prefix_cache_hits_total", "vllm:gpu_prefix_cache_hits_total")),
          Map.entry(Figure.PREEMPTIONS, List.of("vllm:num_preemptions_total")),
          Map.entry(Figure.SPEC_DRAFT_TOKENS, List.of("vllm:spec_decode_num_draft_tokens_total")),
          Map.entry(
              Figure.SPEC_ACCEPTED_TOKENS, List.of("vllm:spec_decode_num_accepted_tokens_total")),
          // Its value is the time it was set; the state is in its labels.
          Map.entry(Figure.LORA_INFO, List.of("vllm:lora_requests_info")))),
  SGLANG(
      "sglang:",
      Map.of(
          Figure.RUNNING, List.of("sglang:num_running_reqs"),
          Figure.WAITING, List.of("sglang:num_queue_reqs"),
          Figure.KV_USAGE, List.of("sglang:token_usage"),
          Figure.PROMPT_TOKENS, List.of("sglang:prompt_tokens_total"),
          Figure.GENERATION_TOKENS, List.of("sglang:generation_tokens_total"),
          Figure.PREFIX_HITS, List.of("sglang:cached_tokens_total"),
          // Over the last prefill batch only: the counters above are preferred.
          Figure.PREFIX_HIT_RATIO, List.of("sglang:cache_hit_rate"),
          // SGLang calls preemption retraction.
          Figure.PREEMPTIONS, List.of("sglang:num_retracted_requests_total"),
          Figure.SPEC_ACCEPT_RATIO, List.of("sglang:spec_accept_rate"))),
  LLAMA_CPP(
      "llamacpp:",
      Map.of(
          Figure.RUNNING, List.of("llamacpp:requests_processing"),
          Figure.WAITING, List.of("llamacpp:requests_deferred"),
          // Its prompt count excludes the tokens reused from the cache, which it counts apart.
          Figure.PROMPT_TOKENS, List.of("llamacpp:prompt_tokens_total"),
          Figure.PREFIX_HITS, List.of("llamacpp:prompt_tokens_cached_total"),
          Figure.GENERATION_TOKENS, List.of("llamacpp:tokens_predicted_total"),
          Figure.SPEC_DRAFT_TOKENS, List.of("llamacpp:spec_decode_num_draft_tokens_total"),
          Figure.SPEC_ACCEPTED_TOKENS, List.of("llamacpp:spec_decode_num_accepted_tokens_total"))),
  TGI(
      "tgi_",
      Map.of(
          Figure.RUNNING, List.of("tgi_batch_current_size"),
          Figure.WAITING, List.of("tgi_queue_size"),
          Figure.PROMPT_TOKENS, List.of("tgi_request_input_length_sum"),
          Figure.GENERATION_TOKENS, List.of("tgi_request_generated_tokens_sum"))),
  DYNAMO(
      "dynamo_",
      Map.of(
          Figure.RUNNING,
              List.of("dynamo_frontend_active_requests", "dynamo_frontend_inflight_requests"),
          // From arrival to the first token (routing and prefill included): not a pure queue.
          Figure.WAITING, List.of("dynamo_frontend_queued_requests"),
          Figure.PROMPT_TOKENS, List.of("dynamo_frontend_input_sequence_tokens_sum"),
          Figure.GENERATION_TOKENS, List.of("dynamo_frontend_output_sequence_tokens_sum"))),
  /** Names of no engine inferscope knows: the raw series are kept, no figure is derived. */
  UNKNOWN("", Map.of());

  /** The canonical figures. */
  public enum Figure {
    /** Requests the engine is running (gauge). */
    RUNNING,
    /** Requests waiting to be started (gauge). */
    WAITING,
    /** KV-cache usage, a ratio from 0 to 1 (gauge). */
    KV_USAGE,
    /** Prompt tokens processed (counter). */
    PROMPT_TOKENS,
    /** Tokens generated (counter). */
    GENERATION_TOKENS,
    /** Prompt tokens looked up in the prefix cache (counter). */
    PREFIX_QUERIES,
    /** Prompt tokens found in the prefix cache (counter). */
    PREFIX_HITS,
    /** The engine's own prefix-cache hit ratio (gauge), where it gives no counters. */
    PREFIX_HIT_RATIO,
    /** Requests preempted (counter). */
    PREEMPTIONS,
    /** Speculative tokens drafted (counter). */
    SPEC_DRAFT_TOKENS,
    /** Speculative tokens accepted (counter). */
    SPEC_ACCEPTED_TOKENS,
    /** Accepted over drafted speculative tokens (gauge), where it gives no counters. */
    SPEC_ACCEPT_RATIO,
    /**
     * LoRA adapters running and waiting, in the labels {@code running_lora_adapters} and {@code
     * waiting_lora_adapters} (comma-separated) and {@code max_lora}; the series set last has the
     * greatest value.
     */
    LORA_INFO
  }

  private final String prefix;
  private final Map<Figure, List<String>> names;

  EngineKind(String prefix, Map<Figure, List<String>> names) {
    this.prefix = prefix;
    this.names = names;
  }

  /** The series names that give {@code figure}, first choice first; empty when none does. */
  public List<String> names(Figure figure) {
    return names.getOrDefault(figure, List.of());
  }

  /** The engine whose prefix most of {@code seriesNames} carry, or {@link #UNKNOWN}. */
  public static EngineKind detect(Iterable<String> seriesNames) {
    EngineKind best = UNKNOWN;
    int bestCount = 0;
    for (EngineKind k : values()) {
      if (k == UNKNOWN) {
        continue;
      }
      int n = 0;
      for (String s : seriesNames) {
        if (s.startsWith(k.prefix)) {
          n++;
        }
      }
      if (n > bestCount) {
        best = k;
        bestCount = n;
      }
    }
    return best;
  }
}
