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

  /** The arguments with credentials in URLs hidden. */
  static List<String> commandLine(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    for (String a : args) {
      out.add(url(a));
    }
    return out;
  }
}
