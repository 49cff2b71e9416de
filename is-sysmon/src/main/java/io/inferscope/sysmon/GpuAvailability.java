package io.inferscope.sysmon;

import java.util.Objects;

/**
 * Whether the GPUs of this host can be sampled: a ready {@link NvmlSampler}, or the reason, for a
 * person, why not. A host without an NVIDIA driver is an ordinary case, not an error.
 */
public sealed interface GpuAvailability {

  /** NVML is loaded and initialised; the caller owns the sampler and closes it. */
  record Available(NvmlSampler sampler) implements GpuAvailability {
    public Available {
      Objects.requireNonNull(sampler, "sampler");
    }
  }

  /**
   * GPUs cannot be sampled.
   *
   * @param reason e.g. {@code libnvidia-ml.so.1 not found (no NVIDIA driver on this host)} or
   *     {@code nvmlInit_v2 failed: Driver Not Loaded}
   */
  record Unavailable(String reason) implements GpuAvailability {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
