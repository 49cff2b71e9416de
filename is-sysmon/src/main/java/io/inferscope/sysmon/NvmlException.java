package io.inferscope.sysmon;

/** An NVML call returned an error other than "not supported". */
final class NvmlException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String function;
  private final int code;

  NvmlException(String function, int code, String errorString) {
    super(function + " failed: " + errorString);
    this.function = function;
    this.code = code;
  }

  /** The NVML entry point that failed, e.g. {@code nvmlDeviceGetPowerUsage}. */
  String function() {
    return function;
  }

  /** The {@code nvmlReturn_t} value. */
  int code() {
    return code;
  }
}
