package io.inferscope.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The captured llama.cpp bytes under {@code shared/fixtures/llama.cpp}. */
final class Fixtures {
  private static final Path DIR = locate();

  /** The captured llama.cpp streams whose every chunk is an answer (no error). */
  static final List<String> ANSWER_STREAMS =
      List.of(
          "chat-stream.txt",
          "chat-stream-usage.txt",
          "chat-stream-eos.txt",
          "chat-stream-ignore-eos.txt",
          "chat-stream-progress-timings.txt",
          "completions-stream.txt",
          "completions-stream-usage.txt");

  /** Every captured llama.cpp stream, the one that ends in an error event included. */
  static final List<String> STREAMS =
      java.util.stream.Stream.concat(
              ANSWER_STREAMS.stream(), java.util.stream.Stream.of("error-ctx-stream.txt"))
          .toList();

  private Fixtures() {}

  /** Walks up from the working directory to the first one with {@code shared/fixtures}. */
  private static Path locate() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("fixtures").resolve("llama.cpp");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "fixtures not found: no shared/fixtures/llama.cpp in "
            + start
            + " or any parent directory");
  }

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(DIR.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture " + name, e);
    }
  }

  /** The payloads of the {@code data:} lines of a fixture stream, in order. */
  static List<String> dataPayloads(String name) {
    List<String> out = new ArrayList<>();
    for (String line : new String(bytes(name), StandardCharsets.UTF_8).split("\r?\n")) {
      if (line.startsWith("data: ")) {
        out.add(line.substring(6));
      }
    }
    return out;
  }

  /** A captured response: status line and headers from a headers file, body from another. */
  static Captured response(String headersFile, String bodyFile) {
    Captured head = parseHead(new String(bytes(headersFile), StandardCharsets.ISO_8859_1));
    return new Captured(head.status(), head.headers(), bytes(bodyFile));
  }

  /** A captured response stored whole (status line, headers, blank line, body) in one file. */
  static Captured wholeResponse(String file) {
    byte[] all = bytes(file);
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    Captured head = parseHead(text.substring(0, split));
    byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
    return new Captured(head.status(), head.headers(), body);
  }

  private static Captured parseHead(String head) {
    String[] lines = head.split("\r?\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    return new Captured(status, headers, new byte[0]);
  }

  /** A response as captured from the engine. */
  record Captured(int status, Map<String, String> headers, byte[] body) {}
}
