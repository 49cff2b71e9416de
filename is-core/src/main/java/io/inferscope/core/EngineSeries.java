package io.inferscope.core;

/**
 * One series of the engine's own metrics, as its {@code /metrics} names it.
 *
 * @param name e.g. {@code vllm:num_requests_running}
 * @param labels its labels as {@code k="v",k="v"}, sorted by name; empty for none
 * @param type its family's declared type ({@code counter}, {@code gauge}, {@code histogram}, ...;
 *     {@code untyped} when none was declared)
 */
public record EngineSeries(String name, String labels, String type) {}
