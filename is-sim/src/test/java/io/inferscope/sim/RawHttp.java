package io.inferscope.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plain-socket HTTP/1.1 client that checks the framing byte by byte. */
final class RawHttp implements AutoCloseable {

  /** A response; for chunked bodies, {@code chunks} holds each chunk's payload. */
  record Response(int status, Map<String, String> headers, String body, List<String> chunks) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void send(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  /** Reads one response; a body without length or chunking runs to the end of the connection. */
  Response read() throws IOException {
    String statusLine = line();
    assertThat(statusLine).startsWith("HTTP/1.1 ");
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new HashMap<>();
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
    }
    if ("chunked".equals(headers.get("transfer-encoding"))) {
      List<String> chunks = new ArrayList<>();
      StringBuilder body = new StringBuilder();
      while (true) {
        int size = Integer.parseInt(line(), 16);
        if (size == 0) {
          assertThat(line()).isEmpty();
          return new Response(status, headers, body.toString(), chunks);
        }
        String chunk = new String(exactly(size), StandardCharsets.UTF_8);
        assertThat(line()).as("CRLF after a chunk").isEmpty();
        chunks.add(chunk);
        body.append(chunk);
      }
    }
    if (headers.containsKey("content-length")) {
      byte[] body = exactly(Integer.parseInt(headers.get("content-length")));
      return new Response(status, headers, new String(body, StandardCharsets.UTF_8), List.of());
    }
    return new Response(
        status, headers, new String(in.readAllBytes(), StandardCharsets.UTF_8), List.of());
  }

  /**
   * Every byte up to the end of the stream. Fails with the read's exception when the connection is
   * reset rather than closed (a reset can discard bytes the server wrote).
   */
  String readToEnd() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Whether the server closed the connection (end of stream on the next read). */
  boolean closedByServer() throws IOException {
    return in.read() < 0;
  }

  private byte[] exactly(int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException();
    }
    return bytes;
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("end of stream inside a line");
      }
      if (b == '\n') {
        byte[] raw = bytes.toByteArray();
        assertThat(raw.length > 0 && raw[raw.length - 1] == '\r').as("CRLF line ending").isTrue();
        return new String(raw, 0, raw.length - 1, StandardCharsets.ISO_8859_1);
      }
      bytes.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
