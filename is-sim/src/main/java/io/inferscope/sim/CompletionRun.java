package io.inferscope.sim;

import io.inferscope.sim.SimConfig.Fault;
import io.inferscope.sim.SimConfig.RoleChunk;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers one completion request on its simulated timeline, injecting its fault if it has one. */
final class CompletionRun extends Streamer.Task {

  /** What a stream's next step writes. */
  private enum Phase {
    ROLE,
    TEXT,
    FINISH,
    /** A whole (non-streamed) response in capacity mode, written when it is due. */
    WHOLE
  }

  static final String JSON = "application/json; charset=utf-8";

  private final SimConfig config;
  private final SimMetrics metrics;
  private final ScheduleRecorder recorder;
  private final ShutdownSignal signal;
  private final HttpOutput out;
  private final CompletionRequest request;
  private final boolean keepAlive;
  private final boolean chunked;
  private final long arrivalNanos;
  private final Fault fault;
  private final TokenSchedule schedule;
  private final ChunkFormatter format;
  private final Streamer streamer;
  private final ChannelSink sink;
  private final CapacityModel capacity;
  private CapacityModel.Ticket ticket;
  private SimMetrics.Tally tally;
  private int tokensSent;
  private boolean ended;

  /**
   * How many tokens the parked stream waits to be out, -1 when it is not parked waiting for the
   * capacity model. The stream and the model both try to claim a wake-up: one of them wins.
   */
  private final AtomicInteger awaited = new AtomicInteger(-1);

  // The stream's state between steps; the streamer's thread alone touches it while it streams.
  private Phase phase = Phase.ROLE;
  private int faultAt = -1;
  private int pendingEnd;
  private boolean keepConnection;
  private boolean wholeWaited;

  /**
   * @param capacity the engine's capacity model, null when requests are independent
   * @param fault the fault to inject into this request, {@link Fault#NONE} when it is not one of
   *     the faulted ones
   */
  CompletionRun(
      SimConfig config,
      SimMetrics metrics,
      ScheduleRecorder recorder,
      ShutdownSignal signal,
      CapacityModel capacity,
      Streamer streamer,
      ChannelSink sink,
      HttpOutput out,
      HttpRequest http,
      CompletionRequest request,
      long requestIndex,
      Fault fault) {
    this.config = config;
    this.metrics = metrics;
    this.recorder = recorder;
    this.streamer = streamer;
    this.sink = sink;
    this.signal = signal;
    this.capacity = capacity;
    this.out = out;
    this.request = request;
    this.keepAlive = http.keepAlive();
    this.chunked = !http.http10();
    this.arrivalNanos = http.receivedNanos();
    this.fault = fault;
    int tokens = request.outputTokens(config.outputTokens());
    this.schedule =
        capacity == null
            ? TokenSchedule.plan(config, tokens, requestIndex)
            : TokenSchedule.open(config, tokens, request.promptTokens());
    this.format =
        new ChunkFormatter(
            request.endpoint(),
            requestIndex,
            System.currentTimeMillis() / 1000,
            request.model(),
            config.seed(),
            config.reasoningTokens());
  }

  /** Answers the request; returns whether the connection may carry another one. */
  boolean run() throws IOException {
    switch (fault) {
      case HTTP_503 -> {
        return refuse(503, "Loading model / server busy", "unavailable_error");
      }
      case HTTP_500 -> {
        return refuse(500, "simulated internal server error", "server_error");
      }
      default -> {}
    }
    if (capacity != null) {
      ticket = capacity.admit(schedule, request.promptTokens(), arrivalNanos, this::published);
      if (ticket == null) {
        // As llama.cpp and routers shed load: at once, with a hint when to try again.
        return refuse(503, "server busy: queue full", "unavailable_error", "Retry-After: 1\r\n");
      }
    }
    tally = metrics.requestStarted(request.promptTokens(), schedule.prefillNanos());
    try {
      if (request.stream()) {
        return stream();
      }
      return capacity == null ? whole() : wholeWhenDue();
    } finally {
      end();
      if (ticket != null) {
        capacity.release(ticket);
      }
    }
  }

  /**
   * Books the request's end in the metrics, once. Called before the last bytes go out, so that a
   * client that has seen the end of a response also sees it counted.
   */
  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    long decodeNanos =
        tokensSent < 2 ? 0 : schedule.dueNanos(tokensSent - 1) - schedule.dueNanos(0);
    tally.ended(tokensSent, decodeNanos);
  }

  private boolean stream() throws IOException {
    out.beginEventStream(chunked, !keepAlive);
    faultAt = faultPosition(schedule.tokens());
    streamer.stream(this, sink);
    return keepConnection;
  }

  /**
   * Writes the events now due, on the {@link Streamer}'s thread, and says when the next are: the
   * role chunk at arrival, each text chunk with its last token, a mid-stream fault after its
   * tokens, the finish (and usage) chunk and {@code [DONE]} with the last token.
   */
  @Override
  long step() throws IOException {
    boolean stamp = config.stampMonotonic();
    switch (phase) {
      case WHOLE -> {
        return wholeStep();
      }
      case ROLE -> {
        if (request.endpoint() == Endpoint.CHAT && config.roleChunk() != RoleChunk.NONE) {
          out.event(format.role(config.roleChunk()), stamp);
          written(0);
        }
      }
      case TEXT -> {
        counted(pendingEnd - tokensSent);
        boolean first = tokensSent == 0;
        // Unstamped events read no clock: the first one's is read here, before its write.
        long unstampedNanos = first && !stamp ? System.nanoTime() : -1;
        long sentNanos = out.event(format.text(tokensSent, pendingEnd), stamp);
        if (first) {
          recorder.firstToken((stamp ? sentNanos : unstampedNanos) - arrivalNanos);
        }
        written(schedule.dueNanos(pendingEnd - 1));
        tokensSent = pendingEnd;
      }
      case FINISH -> {
        out.event(format.finish(finishReason()), stamp);
        written(schedule.endNanos());
        if (config.usage() && request.includeUsage()) {
          out.event(format.usage(request.promptTokens(), schedule), stamp);
          written(schedule.endNanos());
        }
        finished();
        end();
        out.endEventStream();
        written(schedule.endNanos());
        keepConnection = keepAlive && chunked;
        return Streamer.DONE;
      }
    }
    int tokens = schedule.tokens();
    while (true) {
      if (tokensSent == faultAt) {
        switch (fault) {
          case ERROR_EVENT -> {
            out.event(ChunkFormatter.ERROR_EVENT, stamp);
            written(faultAt == 0 ? 0 : schedule.dueNanos(faultAt - 1));
            end();
            out.endEventStreamWithoutDone();
            keepConnection = keepAlive && chunked;
            return Streamer.DONE;
          }
          case TRUNCATE -> {
            keepConnection = false; // the connection closes mid-body: no finish, no [DONE]
            return Streamer.DONE;
          }
          case STALL -> {
            return Streamer.PARK;
          }
          case MALFORMED_JSON -> {
            out.event(format.malformed(), false);
            written(faultAt == 0 ? 0 : schedule.dueNanos(faultAt - 1));
            faultAt = -1;
          }
          default -> throw new IllegalStateException("not a mid-stream fault: " + fault);
        }
      }
      if (tokensSent == tokens) {
        phase = Phase.FINISH;
        return at(tokens);
      }
      int end = Math.min(tokensSent + config.tokensPerChunk(), tokens);
      if (faultAt > tokensSent) {
        end = Math.min(end, faultAt); // the fault lands exactly after faultAfterTokens tokens
      }
      pendingEnd = end;
      phase = Phase.TEXT;
      return at(end);
    }
  }

  /**
   * When the first {@code count} tokens are out ({@link System#nanoTime()}), or {@link
   * Streamer#PARK} while the capacity model has not decided it yet: {@link #published} then wakes
   * the stream.
   */
  private long at(int count) {
    if (schedule.known() < count) {
      awaited.set(count);
      // The model may have decided it between the look and the set: look again, claim the wake.
      if (schedule.known() < count || !awaited.compareAndSet(count, -1)) {
        return Streamer.PARK;
      }
    }
    return arrivalNanos + schedule.afterNanos(count);
  }

  /** The capacity model decided more of the schedule; called with its lock held. */
  private void published() {
    int count = awaited.get();
    if (count >= 0 && schedule.known() >= count && awaited.compareAndSet(count, -1)) {
      streamer.wake(this, arrivalNanos + schedule.afterNanos(count));
    }
  }

  /** Watched while it waits for its slot: a client that leaves the queue frees its place. */
  @Override
  boolean watchWhileParked() {
    return capacity != null && schedule.known() < 0;
  }

  /**
   * A whole response under the capacity model: its timeline is known only as the model runs, so the
   * streamer writes it when due, as it writes events, rather than the connection's thread sleeping
   * until then.
   */
  private boolean wholeWhenDue() throws IOException {
    phase = Phase.WHOLE;
    streamer.stream(this, sink);
    return keepConnection;
  }

  /** {@link #whole()}'s timeline as steps: first when it is due, then the response. */
  private long wholeStep() throws IOException {
    int tokens = schedule.tokens();
    int faultAt = faultPosition(tokens);
    Fault due = faultAt >= 0 ? fault : Fault.NONE;
    if (!wholeWaited) {
      wholeWaited = true;
      if (due == Fault.NONE || due == Fault.MALFORMED_JSON) {
        return at(tokens);
      }
      return faultAt == 0 ? arrivalNanos : at(faultAt);
    }
    switch (due) {
      case ERROR_EVENT -> {
        tokensSent = faultAt;
        end();
        out.fixed(500, JSON, ChunkFormatter.ERROR_EVENT, !keepAlive);
      }
      case TRUNCATE -> {
        tokensSent = faultAt;
        out.fixedTruncated(
            200, JSON, format.response(finishReason(), request.promptTokens(), schedule));
        return Streamer.DONE; // keepConnection stays false: the connection closes mid-body
      }
      case STALL -> {
        return Streamer.PARK;
      }
      case MALFORMED_JSON -> {
        sentAll(tokens);
        finished();
        end();
        out.fixed(200, JSON, format.malformed(), !keepAlive);
      }
      default -> {
        sentAll(tokens);
        finished();
        end();
        out.fixed(
            200,
            JSON,
            format.response(finishReason(), request.promptTokens(), schedule),
            !keepAlive);
      }
    }
    keepConnection = keepAlive;
    return Streamer.DONE;
  }

  private boolean whole() throws IOException {
    int tokens = schedule.tokens();
    int faultAt = faultPosition(tokens);
    if (faultAt >= 0) {
      signal.awaitDeadline(arrivalNanos + (faultAt == 0 ? 0 : schedule.dueNanos(faultAt - 1)));
      switch (fault) {
        case ERROR_EVENT -> {
          tokensSent = faultAt;
          end();
          out.fixed(500, JSON, ChunkFormatter.ERROR_EVENT, !keepAlive);
          return keepAlive;
        }
        case TRUNCATE -> {
          tokensSent = faultAt;
          out.fixedTruncated(
              200, JSON, format.response(finishReason(), request.promptTokens(), schedule));
          return false;
        }
        case STALL -> signal.awaitClose();
        case MALFORMED_JSON -> {
          signal.awaitDeadline(arrivalNanos + schedule.endNanos());
          sentAll(tokens);
          finished();
          end();
          out.fixed(200, JSON, format.malformed(), !keepAlive);
          return keepAlive;
        }
        default -> throw new IllegalStateException("not a mid-stream fault: " + fault);
      }
    }
    signal.awaitDeadline(arrivalNanos + schedule.endNanos());
    sentAll(tokens);
    finished();
    end();
    out.fixed(
        200, JSON, format.response(finishReason(), request.promptTokens(), schedule), !keepAlive);
    return keepAlive;
  }

  /**
   * Books the lateness of the event whose write just returned, due {@code dueNanos} after the
   * request arrived: a blocked write (a client not reading) or a late wake-up (a starved engine)
   * both show.
   */
  private void written(long dueNanos) {
    if (sink.backlogged()) {
      sink.pending(arrivalNanos + dueNanos); // booked when the socket takes its bytes
    } else {
      recorder.record(System.nanoTime() - (arrivalNanos + dueNanos));
    }
  }

  private void sentAll(int tokens) {
    counted(tokens);
    tokensSent = tokens;
  }

  /**
   * Books {@code count} tokens about to be written after the {@code tokensSent} already out; the
   * first of them ends the prefill, at its due time (what the engine's time to first token is,
   * however late the write).
   */
  private void counted(int count) {
    if (tokensSent == 0 && count > 0) {
      tally.firstToken(schedule.dueNanos(0));
    }
    tally.tokensSent(count);
  }

  /** The response is complete: booked before its last bytes go out, as {@link #end()} is. */
  private void finished() {
    tally.finished(request.capped(config.outputTokens()));
  }

  /** Tokens sent before this request's mid-stream fault, or -1 when it has none. */
  private int faultPosition(int tokens) {
    return switch (fault) {
      case ERROR_EVENT, TRUNCATE, STALL, MALFORMED_JSON ->
          Math.min(config.faultAfterTokens(), tokens);
      default -> -1;
    };
  }

  private String finishReason() {
    return request.capped(config.outputTokens()) ? "length" : "stop";
  }

  private boolean refuse(int status, String message, String type) throws IOException {
    return refuse(status, message, type, "");
  }

  private boolean refuse(int status, String message, String type, String extraHeaders)
      throws IOException {
    out.fixed(status, JSON, Router.errorJson(status, message, type), !keepAlive, extraHeaders);
    return keepAlive;
  }
}
