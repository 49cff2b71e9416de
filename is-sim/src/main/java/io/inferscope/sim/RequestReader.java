package io.inferscope.sim;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reads HTTP/1.x requests off one connection. */
final class RequestReader {

  private static final int MAX_LINE_BYTES = 16 * 1024;
  private static final int MAX_HEADERS = 128;
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  private static final byte[] NO_BODY = new byte[0];

  private final InputStream in;
  private byte[] line = new byte[256];

  /** {@code in} should be buffered: lines are read a byte at a time. */
  RequestReader(InputStream in) {
    this.in = in;
  }

  /**
   * Reads the next request, or returns null when the client closed the connection between requests.
   * {@code onExpectContinue} runs before the body is read when the client asks for a {@code 100
   * Continue}.
   */
  HttpRequest read(ContinueSender onExpectContinue) throws IOException, RequestException {
    String requestLine;
    do {
      requestLine = readLine(true); // tolerates blank lines between requests (RFC 9112 §2.2)
      if (requestLine == null) {
        return null;
      }
    } while (requestLine.isEmpty());
    int firstSpace = requestLine.indexOf(' ');
    int lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace) {
      throw RequestException.invalid("malformed request line");
    }
    String method = requestLine.substring(0, firstSpace);
    String target = requestLine.substring(firstSpace + 1, lastSpace);
    String version = requestLine.substring(lastSpace + 1);
    boolean http10 = version.equals("HTTP/1.0");
    if (!http10 && !version.equals("HTTP/1.1")) {
      throw new RequestException(505, "invalid_request_error", "unsupported version " + version);
    }
    Map<String, String> headers = readHeaders();
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);

    String expect = headers.get("expect");
    if (expect != null && expect.equalsIgnoreCase("100-continue") && !http10) {
      onExpectContinue.sendContinue();
    }
    byte[] body = readBody(headers);
    return new HttpRequest(method, path, http10, headers, body, System.nanoTime());
  }

  private Map<String, String> readHeaders() throws IOException, RequestException {
    Map<String, String> headers = new HashMap<>();
    for (int count = 0; ; count++) {
      String header = readLine(false);
      if (header.isEmpty()) {
        return headers;
      }
      if (count == MAX_HEADERS) {
        throw new RequestException(431, "invalid_request_error", "too many headers");
      }
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw RequestException.invalid("malformed header line");
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
  }

  private byte[] readBody(Map<String, String> headers) throws IOException, RequestException {
    String transferEncoding = headers.get("transfer-encoding");
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return readChunkedBody();
    }
    String contentLength = headers.get("content-length");
    if (contentLength == null) {
      return NO_BODY;
    }
    long length;
    try {
      length = Long.parseLong(contentLength);
    } catch (NumberFormatException e) {
      throw RequestException.invalid("malformed Content-Length");
    }
    if (length < 0) {
      throw RequestException.invalid("malformed Content-Length");
    }
    if (length > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    return readExactly((int) length);
  }

  private byte[] readChunkedBody() throws IOException, RequestException {
    byte[] body = NO_BODY;
    int length = 0;
    while (true) {
      String sizeLine = readLine(false);
      int extension = sizeLine.indexOf(';');
      String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw RequestException.invalid("malformed chunk size");
      }
      if (size < 0 || size > MAX_BODY_BYTES - length) {
        throw size < 0 ? RequestException.invalid("malformed chunk size") : tooLarge();
      }
      if (size == 0) {
        while (!readLine(false).isEmpty()) {
          // Trailer fields carry nothing the engine needs.
        }
        return length == body.length ? body : Arrays.copyOf(body, length);
      }
      if (body.length < length + size) {
        body = Arrays.copyOf(body, Math.max(length + size, body.length * 2));
      }
      if (in.readNBytes(body, length, size) < size) {
        throw new EOFException("connection closed inside a chunk");
      }
      length += size;
      if (!readLine(false).isEmpty()) {
        throw RequestException.invalid("missing CRLF after a chunk");
      }
    }
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("connection closed inside the request body");
    }
    return body;
  }

  /**
   * Reads one line without its CRLF (or bare LF). At end of stream returns null when {@code
   * eofAllowed} and nothing was read, and throws otherwise.
   */
  private String readLine(boolean eofAllowed) throws IOException, RequestException {
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofAllowed && length == 0) {
          return null;
        }
        throw new EOFException("connection closed inside the request head");
      }
      if (b == '\n') {
        if (length > 0 && line[length - 1] == '\r') {
          length--;
        }
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (length == line.length) {
        if (length == MAX_LINE_BYTES) {
          throw new RequestException(
              431, "invalid_request_error", "request line or header too long");
        }
        line = Arrays.copyOf(line, Math.min(length * 2, MAX_LINE_BYTES));
      }
      line[length++] = (byte) b;
    }
  }

  private static RequestException tooLarge() {
    return new RequestException(413, "invalid_request_error", "request body too large");
  }

  /** Sends the interim {@code 100 Continue} response. */
  @FunctionalInterface
  interface ContinueSender {
    void sendContinue() throws IOException;
  }
}
