package io.inferscope.sim;

import io.inferscope.sim.SimConfig.Fault;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** Dispatches requests to the engine's endpoints. */
final class Router {

  private static final String JSON = CompletionRun.JSON;
  private static final String PROMETHEUS = "text/plain; version=0.0.4";
  private static final String MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\""
          + CompletionRequest.DEFAULT_MODEL
          + "\",\"object\":\"model\",\"owned_by\":\"inferscope-sim\"}]}";
  private static final String HEALTH = "{\"status\":\"ok\"}";

  private final SimConfig config;
  private final ShutdownSignal signal;
  private final CapacityModel capacity;
  private final SimMetrics metrics;
  private final ScheduleRecorder recorder = new ScheduleRecorder();
  private final AtomicLong completionRequests = new AtomicLong();
  private final AtomicReference<Instant> firstCompletionAt = new AtomicReference<>();

  /**
   * One streamer per processor, connections dealt round-robin: schedules that fall due together (a
   * batch's tokens) are written in parallel rather than one after another.
   */
  private final Streamer[] streamers;

  private final AtomicLong streamsStarted = new AtomicLong();

  Router(SimConfig config, ShutdownSignal signal) {
    this.config = config;
    this.signal = signal;
    this.capacity = config.capacityModel() ? new CapacityModel(config) : null;
    this.metrics = new SimMetrics(config, capacity);
    this.streamers = new Streamer[Math.max(1, Runtime.getRuntime().availableProcessors())];
    for (int i = 0; i < streamers.length; i++) {
      streamers[i] = new Streamer(signal, recorder, i);
    }
  }

  /** Stops the streamers' threads and the capacity model's; the signal must be closed first. */
  void close() {
    for (Streamer s : streamers) {
      s.close();
    }
    if (capacity != null) {
      capacity.close();
    }
  }

  long completionRequests() {
    return completionRequests.get();
  }

  /** Wall-clock time at which the first completion request was read, or null before one. */
  Instant firstCompletionAt() {
    return firstCompletionAt.get();
  }

  /** Answers {@code request}; returns whether the connection may carry another one. */
  boolean handle(HttpRequest request, HttpOutput out, ChannelSink sink) throws IOException {
    return switch (request.path()) {
      case "/v1/chat/completions" -> completion(Endpoint.CHAT, request, out, sink);
      case "/v1/completions" -> completion(Endpoint.COMPLETIONS, request, out, sink);
      case "/v1/models" -> get(request, out, JSON, () -> MODELS);
      case "/health" -> get(request, out, JSON, () -> HEALTH);
      case "/metrics" -> get(request, out, PROMETHEUS, metrics::render);
      case "/tokenize" -> tokenize(request, out);
      case ScheduleReport.PATH -> schedule(request, out);
      default -> error(out, request.keepAlive(), 404, "not_found_error", "File Not Found", "");
    };
  }

  /** Answers a request that could not be read; the connection closes after it. */
  void refuse(RequestException e, HttpOutput out) throws IOException {
    error(out, false, e.status(), e.type(), e.getMessage(), "");
  }

  private boolean completion(Endpoint endpoint, HttpRequest http, HttpOutput out, ChannelSink sink)
      throws IOException {
    if (firstCompletionAt.get() == null) {
      firstCompletionAt.compareAndSet(null, Instant.now());
    }
    if (!http.method().equals("POST")) {
      return methodNotAllowed(http, out, "POST");
    }
    CompletionRequest request;
    try {
      request = CompletionRequest.parse(endpoint, http.bodyText());
    } catch (RequestException e) {
      return error(out, http.keepAlive(), e.status(), e.type(), e.getMessage(), "");
    }
    long index = completionRequests.getAndIncrement();
    boolean faulted =
        config.fault() != Fault.NONE
            && config.faultEvery() > 0
            && (index + 1) % config.faultEvery() == 0;
    return new CompletionRun(
            config,
            metrics,
            recorder,
            signal,
            capacity,
            streamers[(int) (streamsStarted.getAndIncrement() % streamers.length)],
            sink,
            out,
            http,
            request,
            index,
            faulted ? config.fault() : Fault.NONE)
        .run();
  }

  /**
   * {@code POST /tokenize}: the tokens of {@code content} (llama.cpp), {@code prompt} (vLLM) or
   * {@code messages} (vLLM's chat form), the first of them present; other fields are ignored.
   */
  private static boolean tokenize(HttpRequest http, HttpOutput out) throws IOException {
    if (!http.method().equals("POST")) {
      return methodNotAllowed(http, out, "POST");
    }
    String answer;
    try {
      answer = tokenizeAnswer(http.bodyText());
    } catch (RequestException e) {
      return error(out, http.keepAlive(), e.status(), e.type(), e.getMessage(), "");
    }
    out.fixed(200, JSON, answer, !http.keepAlive());
    return http.keepAlive();
  }

  /** {@code {"tokens":[id,...],"count":N}} for a {@code /tokenize} body. */
  static String tokenizeAnswer(String body) throws RequestException {
    Object root;
    try {
      root = JsonReader.parse(body);
    } catch (JsonException e) {
      throw RequestException.invalid("invalid JSON body: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> request)) {
      throw RequestException.invalid("the request body must be a JSON object");
    }
    StringBuilder sb = new StringBuilder(64).append("{\"tokens\":[");
    int[] count = {0};
    IntConsumer append =
        id -> {
          if (count[0]++ > 0) {
            sb.append(',');
          }
          sb.append(id);
        };
    if (request.get("content") != null) {
      if (!(request.get("content") instanceof String text)) {
        throw RequestException.invalid("'content' must be a string");
      }
      SimTokenizer.tokenize(text, append);
    } else if (request.get("prompt") != null) {
      Object prompt = request.get("prompt");
      if (!(prompt instanceof String || prompt instanceof List<?>)) {
        throw RequestException.invalid("'prompt' must be a string or an array");
      }
      SimTokenizer.tokenizePrompt(prompt, append);
    } else if (request.get("messages") != null) {
      if (!(request.get("messages") instanceof List<?> messages)) {
        throw RequestException.invalid("'messages' must be an array");
      }
      SimTokenizer.tokenizeMessages(messages, append);
    } else {
      throw RequestException.invalid("expected 'content', 'prompt' or 'messages'");
    }
    return sb.append("],\"count\":").append(count[0]).append('}').toString();
  }

  private boolean get(
      HttpRequest request, HttpOutput out, String contentType, Supplier<String> body)
      throws IOException {
    if (!request.method().equals("GET")) {
      return methodNotAllowed(request, out, "GET");
    }
    out.fixed(200, contentType, body.get(), !request.keepAlive());
    return request.keepAlive();
  }

  /** GET reads the schedule window; DELETE reads it and starts a new one. */
  private boolean schedule(HttpRequest request, HttpOutput out) throws IOException {
    ScheduleReport report =
        switch (request.method()) {
          case "GET" -> recorder.report();
          case "DELETE" -> recorder.reset();
          default -> null;
        };
    if (report == null) {
      return methodNotAllowed(request, out, "GET, DELETE");
    }
    out.fixed(200, JSON, report.toJson(), !request.keepAlive());
    return request.keepAlive();
  }

  private static boolean methodNotAllowed(HttpRequest request, HttpOutput out, String allowed)
      throws IOException {
    return error(
        out,
        request.keepAlive(),
        405,
        "invalid_request_error",
        "Method Not Allowed",
        "Allow: " + allowed + "\r\n");
  }

  private static boolean error(
      HttpOutput out,
      boolean keepAlive,
      int status,
      String type,
      String message,
      String extraHeaders)
      throws IOException {
    out.fixed(status, JSON, errorJson(status, message, type), !keepAlive, extraHeaders);
    return keepAlive;
  }

  /** An error body in llama.cpp's (and OpenAI's) shape. */
  static String errorJson(int status, String message, String type) {
    StringBuilder sb = new StringBuilder(96).append("{\"error\":{\"code\":").append(status);
    JsonText.appendQuoted(sb.append(",\"message\":"), message);
    JsonText.appendQuoted(sb.append(",\"type\":"), type);
    return sb.append("}}").toString();
  }
}
