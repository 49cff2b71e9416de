package io.inferscope.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Removes secrets before anything is printed or stored. */
final class Redaction {
  private static final Pattern USERINFO = Pattern.compile("(?i)\\b(https?://)[^/@\\s]+@");

  private Redaction() {}

  /** The URL with any {@code user:password@} replaced. */
  static String url(String url) {
    return USERINFO.matcher(url).replaceAll("$1***@");
  }

  /**
   * Options whose value is a secret. Each is refused before anything runs; their values are still
   * hidden here, so that no later path can store one.
   */
  static final List<String> SECRET_OPTIONS = List.of("--api-key", "--otlp-headers");

  /** The arguments with credentials in URLs and the values of {@link #SECRET_OPTIONS} hidden. */
  static List<String> commandLine(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    boolean secretNext = false;
    for (String a : args) {
      if (secretNext) {
        out.add("***");
        secretNext = false;
        continue;
      }
      String hidden = a;
      for (String option : SECRET_OPTIONS) {
        if (a.equals(option)) {
          secretNext = true;
        } else if (a.startsWith(option + "=")) {
          hidden = option + "=***";
        }
      }
      out.add(url(hidden));
    }
    return out;
  }
}
