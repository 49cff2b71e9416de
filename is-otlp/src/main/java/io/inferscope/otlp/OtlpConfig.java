package io.inferscope.otlp;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OpenTelemetry's standard settings as the SDKs read them from the environment: the variables'
 * names and their formats. Errors name the variable (or file) and the entry, never a value: header
 * values are often credentials.
 */
public final class OtlpConfig {
  /** The receiver's base URL; each signal's path is appended to it. */
  public static final String ENV_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

  /** Headers for every request, {@code key=value,key2=value2}, values percent-encoded. */
  public static final String ENV_HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";

  /** The transport; inferscope sends {@code http/protobuf} only. */
  public static final String ENV_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";

  /** {@code service.name}; wins over a {@code service.name} in {@link #ENV_RESOURCE_ATTRIBUTES}. */
  public static final String ENV_SERVICE_NAME = "OTEL_SERVICE_NAME";

  /** Resource attributes, {@code key=value,key2=value2}, values percent-encoded. */
  public static final String ENV_RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";

  /** The one protocol sent. */
  public static final String HTTP_PROTOBUF = "http/protobuf";

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private OtlpConfig() {}

  /**
   * The receiver's base URL.
   *
   * @param source what gave it, for the message
   * @throws IllegalArgumentException when it is not an http:// or https:// URL with a host
   */
  public static URI endpoint(String url, String source) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      uri = null;
    }
    String scheme = uri == null ? null : uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          source
              + " '"
              + url
              + "' must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:4318");
    }
    return uri;
  }

  /**
   * Headers in {@link #ENV_HEADERS}'s format: {@code key=value} entries separated by commas (or
   * line breaks, in a file), values percent-decoded; blank entries and lines starting with {@code
   * #} are skipped.
   *
   * @param source the variable or file, for the message
   * @throws IllegalArgumentException naming the entry (by number, never by content) that is not
   *     {@code name=value} with a valid header name
   */
  public static Map<String, String> headers(String text, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = 0;
    for (String entry : entries(text)) {
      n++;
      int eq = entry.indexOf('=');
      String name = eq < 0 ? "" : entry.substring(0, eq).strip();
      if (eq <= 0 || !HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            source + ": entry " + n + " is not name=value with a valid header name");
      }
      out.put(name.toLowerCase(Locale.ROOT), decode(entry.substring(eq + 1).strip(), source, n));
    }
    return out;
  }

  /**
   * Resource attributes in {@link #ENV_RESOURCE_ATTRIBUTES}'s format ({@code key=value} separated
   * by commas, values percent-decoded).
   *
   * @throws IllegalArgumentException naming the entry that is not {@code key=value}
   */
  public static Map<String, String> resourceAttributes(String text, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = 0;
    for (String entry : entries(text)) {
      n++;
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.substring(0, eq).isBlank()) {
        throw new IllegalArgumentException(source + ": entry " + n + " is not key=value");
      }
      out.put(entry.substring(0, eq).strip(), decode(entry.substring(eq + 1).strip(), source, n));
    }
    return out;
  }

  private static java.util.List<String> entries(String text) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      for (String entry : line.split(",")) {
        if (!entry.isBlank()) {
          out.add(entry.strip());
        }
      }
    }
    return out;
  }

  /** Percent-decoding only: unlike form decoding, a {@code +} stays a plus. */
  private static String decode(String s, String source, int entry) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException(
              source + ": entry " + entry + " has a % that is not followed by two hex digits");
        }
        bytes.write(hi * 16 + lo);
        i += 3;
      } else {
        byte[] b = Character.toString(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        i += Character.charCount(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
