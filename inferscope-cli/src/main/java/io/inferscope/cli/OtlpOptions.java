package io.inferscope.cli;

import io.inferscope.otlp.OtlpConfig;
import io.inferscope.otlp.OtlpTarget;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Export to OpenTelemetry over OTLP/HTTP (ADR 0018): where, with which headers, and how long to
 * wait. OpenTelemetry's standard variables fill in what the options leave out; an option wins.
 * Headers often carry credentials: they come from the environment or a file, never the command
 * line, and are never printed.
 */
final class OtlpOptions {

  /** {@code --otlp-timeout}'s default. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  @Option(
      names = "--otlp-endpoint",
      paramLabel = "URL",
      description =
          "Export the run to an OpenTelemetry receiver over OTLP/HTTP (protobuf): its base URL,"
              + " e.g. http://127.0.0.1:4318, to which v1/traces and v1/metrics are appended. run"
              + " also exports when $OTEL_EXPORTER_OTLP_ENDPOINT is set; report only with this"
              + " option.")
  String endpoint;

  @Option(
      names = "--otlp-headers-file",
      paramLabel = "FILE",
      description =
          "Headers for the receiver (e.g. an API key), name=value per line or comma-separated,"
              + " values percent-encoded; in place of $OTEL_EXPORTER_OTLP_HEADERS. Never on the"
              + " command line.")
  Path headersFile;

  @Option(
      names = "--otlp-headers",
      hidden = true,
      description = "Refused: see --otlp-headers-file.")
  String headersOnArgv;

  @Option(
      names = "--otlp-timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "Bound on each wait of the export: connecting, and each answer (default: 10s). A"
              + " receiver that fails it is reported in one line; the run's other outputs stand.")
  Duration timeout;

  @Option(
      names = "--otlp-required",
      description =
          "Exit 1 when the OTLP export fails (default: a warning on stderr, the exit code"
              + " unchanged).")
  boolean required;

  @Option(
      names = "--otlp-token-events",
      description =
          "Give each request's span one event per streamed text event (default: first and last"
              + " token only).")
  boolean tokenEvents;

  /**
   * Reads and checks the export's settings before any load, or returns null when the run is not
   * exported.
   *
   * @param envEnables whether {@code $OTEL_EXPORTER_OTLP_ENDPOINT} alone turns export on ({@code
   *     run}), or only {@code --otlp-endpoint} does ({@code report}: a saved run is re-rendered
   *     more often than it should be exported again)
   * @throws Errors.UserFacing a usage error for headers on the command line, a bad URL, headers or
   *     resource attributes, another protocol, or an export option without an endpoint
   */
  OtlpRunner prepare(Map<String, String> env, boolean envEnables) {
    if (headersOnArgv != null) {
      throw Errors.usage(
          "OTLP headers are not taken on the command line (ps and shell history would show"
              + " them): set "
              + OtlpConfig.ENV_HEADERS
              + " or use --otlp-headers-file");
    }
    String url = endpoint;
    String source = "--otlp-endpoint";
    if (url == null && envEnables && !blank(env.get(OtlpConfig.ENV_ENDPOINT))) {
      url = env.get(OtlpConfig.ENV_ENDPOINT);
      source = OtlpConfig.ENV_ENDPOINT;
    }
    if (url == null) {
      for (Object[] o :
          new Object[][] {
            {"--otlp-headers-file", headersFile},
            {"--otlp-timeout", timeout},
            {"--otlp-required", required ? Boolean.TRUE : null},
            {"--otlp-token-events", tokenEvents ? Boolean.TRUE : null}
          }) {
        if (o[1] != null) {
          throw Errors.usage(
              o[0]
                  + " applies to an OTLP export: give --otlp-endpoint URL"
                  + (envEnables ? " (or set " + OtlpConfig.ENV_ENDPOINT + ")" : ""));
        }
      }
      return null;
    }
    String protocol = env.get(OtlpConfig.ENV_PROTOCOL);
    if (!blank(protocol) && !protocol.strip().equals(OtlpConfig.HTTP_PROTOBUF)) {
      throw Errors.usage(
          OtlpConfig.ENV_PROTOCOL
              + " is '"
              + protocol.strip()
              + "', but inferscope exports OTLP over HTTP only ("
              + OtlpConfig.HTTP_PROTOBUF
              + "): unset it or set it to "
              + OtlpConfig.HTTP_PROTOBUF
              + ", and give the receiver's HTTP endpoint (port 4318 by default)");
    }
    try {
      // Checked in its printed form first: a message must not show credentials in the URL.
      OtlpConfig.endpoint(Redaction.url(url), source);
      URI base = OtlpConfig.endpoint(url, source);
      Map<String, String> headers =
          headersFile != null
              ? OtlpConfig.headers(readHeadersFile(), "--otlp-headers-file " + headersFile)
              : OtlpConfig.headers(env.get(OtlpConfig.ENV_HEADERS), OtlpConfig.ENV_HEADERS);
      Map<String, String> resource =
          new LinkedHashMap<>(
              OtlpConfig.resourceAttributes(
                  env.get(OtlpConfig.ENV_RESOURCE_ATTRIBUTES), OtlpConfig.ENV_RESOURCE_ATTRIBUTES));
      String service = env.get(OtlpConfig.ENV_SERVICE_NAME);
      if (!blank(service)) {
        resource.put("service.name", service.strip());
      }
      OtlpTarget target =
          new OtlpTarget(
              base, headers, timeout == null ? DEFAULT_TIMEOUT : timeout, resource, tokenEvents);
      return new OtlpRunner(target, Redaction.url(base.toString()), required);
    } catch (IllegalArgumentException e) {
      throw Errors.usage(e.getMessage());
    }
  }

  private String readHeadersFile() {
    try {
      return Files.readString(headersFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.usage(
          "cannot read --otlp-headers-file "
              + headersFile
              + " ("
              + e.getClass().getSimpleName()
              + "): check the path and its permissions");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
