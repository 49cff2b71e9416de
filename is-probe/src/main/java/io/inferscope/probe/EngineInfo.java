package io.inferscope.probe;

import java.util.List;

/**
 * What an engine says about itself before a run.
 *
 * @param root the engine root the probe used, e.g. {@code http://127.0.0.1:8080}
 * @param modelIds the model ids of {@code GET /v1/models}, in the engine's order; empty when the
 *     engine has no such endpoint
 * @param server the {@code Server} response header (e.g. {@code llama.cpp}), or null
 */
public record EngineInfo(String root, List<String> modelIds, String server) {

  public EngineInfo {
    modelIds = List.copyOf(modelIds);
  }

  /** The model to send when none was given: the engine's first, or null when it lists none. */
  public String defaultModel() {
    return modelIds.isEmpty() ? null : modelIds.get(0);
  }
}
