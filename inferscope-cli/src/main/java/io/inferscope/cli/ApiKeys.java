package io.inferscope.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an API key may come from: a file, or the environment. Never the command line, where it
 * would show in {@code ps} and shell history. The key is returned, never printed or stored.
 */
final class ApiKeys {
  static final String ENV_PRIMARY = "INFERSCOPE_API_KEY";
  static final String ENV_FALLBACK = "OPENAI_API_KEY";

  private ApiKeys() {}

  /**
   * Refuses a key given on the command line ({@code --api-key}, kept hidden for this): one line,
   * exit 2, never echoing it.
   */
  static void refuseOnCommandLine(String keyOnArgv) {
    if (keyOnArgv != null) {
      throw Errors.usage(
          "API keys are not taken on the command line (ps and shell history would show them):"
              + " set INFERSCOPE_API_KEY or use --api-key-file");
    }
  }

  /** The key from {@code file} if given, else from the environment, else null. */
  static String resolve(Path file, Map<String, String> env) {
    if (file != null) {
      String key;
      try {
        key = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw Errors.usage(
            "cannot read --api-key-file "
                + file
                + " ("
                + e.getClass().getSimpleName()
                + "): check the path and its permissions");
      }
      if (key.isEmpty() || key.contains("\n")) {
        throw Errors.usage(
            "--api-key-file " + file + " must hold exactly one non-empty line: the key");
      }
      return key;
    }
    for (String name : new String[] {ENV_PRIMARY, ENV_FALLBACK}) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  /** Where the key came from, for the record (never the key). */
  static String source(Path file, Map<String, String> env) {
    if (file != null) {
      return "file";
    }
    for (String name : new String[] {ENV_PRIMARY, ENV_FALLBACK}) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return "env:" + name;
      }
    }
    return "none";
  }
}
