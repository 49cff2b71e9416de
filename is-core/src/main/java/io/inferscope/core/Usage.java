package io.inferscope.core;

/**
 * Token counts the server reported in its {@code usage} object. Any field may be absent (null):
 * servers differ in what they send.
 */
public record Usage(
    Integer promptTokens,
    Integer completionTokens,
    Integer totalTokens,
    Integer reasoningTokens,
    Integer cachedPromptTokens) {}
