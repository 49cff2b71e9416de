package io.inferscope.core;

import java.util.List;
import java.util.Map;

/**
 * What was run, for the record. Contains no secret: the command line is stored as the caller
 * redacted it.
 *
 * @param toolVersion inferscope's version
 * @param mode {@code run} (load driven) or {@code sample-only}
 * @param commandLine the arguments, secrets already removed
 * @param url the engine's base URL
 * @param endpoint {@code chat} or {@code completions}
 * @param model the model name sent, or null
 * @param settings the load settings as given (concurrency, requests, ...), in a stable order
 * @param slo the service-level objectives goodput is measured against, or null for none
 * @param steps labelled steps whose figures are attributed to them, in the order given; empty for
 *     none
 * @param price what the hardware costs, or null for no cost figures
 */
public record RunMeta(
    String toolVersion,
    String mode,
    List<String> commandLine,
    String url,
    String endpoint,
    String model,
    Map<String, String> settings,
    Slo slo,
    List<Step> steps,
    Price price) {

  public RunMeta {
    if (commandLine == null || settings == null) {
      throw new IllegalArgumentException("commandLine and settings are required (may be empty)");
    }
    commandLine = List.copyOf(commandLine);
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** What was run, with no steps and no price. */
  public RunMeta(
      String toolVersion,
      String mode,
      List<String> commandLine,
      String url,
      String endpoint,
      String model,
      Map<String, String> settings,
      Slo slo) {
    this(toolVersion, mode, commandLine, url, endpoint, model, settings, slo, List.of(), null);
  }

  /** What was run, with no SLO. */
  public RunMeta(
      String toolVersion,
      String mode,
      List<String> commandLine,
      String url,
      String endpoint,
      String model,
      Map<String, String> settings) {
    this(toolVersion, mode, commandLine, url, endpoint, model, settings, null);
  }

  /** A copy with one setting added or replaced (kept in order). */
  public RunMeta withSetting(String key, String value) {
    Map<String, String> s = new java.util.LinkedHashMap<>(settings);
    s.put(key, value);
    return new RunMeta(toolVersion, mode, commandLine, url, endpoint, model, s, slo, steps, price);
  }

  /** A copy with {@code slo}. */
  public RunMeta withSlo(Slo slo) {
    return new RunMeta(
        toolVersion, mode, commandLine, url, endpoint, model, settings, slo, steps, price);
  }

  /** A copy with {@code steps}. */
  public RunMeta withSteps(List<Step> steps) {
    return new RunMeta(
        toolVersion, mode, commandLine, url, endpoint, model, settings, slo, steps, price);
  }

  /** A copy with {@code price} (null for none). */
  public RunMeta withPrice(Price price) {
    return new RunMeta(
        toolVersion, mode, commandLine, url, endpoint, model, settings, slo, steps, price);
  }
}
