package io.inferscope.probe;

import io.inferscope.core.RunFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Workloads read from dataset files, checked whole before any load is sent.
 *
 * <ul>
 *   <li>JSONL: one request a line, {@code prompt} (text) or {@code messages} (chat messages, sent
 *       as they are), optional {@code max_tokens} and optional {@code timestamp} (ms; when lines
 *       have one, every line must, and the run follows them as a fixed schedule).
 *   <li>ShareGPT: a JSON array of {@code {"conversations": [{"from": ..., "value": ...}, ...]}};
 *       the first human turn is the prompt, the turn after it the answer, whose token count is the
 *       request's {@code max_tokens} (vLLM's {@code bench serve} does the same). Conversations
 *       without a human turn followed by an answer are skipped and counted.
 * </ul>
 *
 * <p>Order: the file's. With a sample size, a uniform sample drawn with the seed (reservoir
 * sampling: the same file, size and seed give the same requests), still sent in the file's order.
 * Token counts come from the engine's tokenizer when one is given, else an estimate of 4 characters
 * a token.
 */
public final class Datasets {

  private static final JsonFactory JSON = new JsonFactory();

  /** Characters per token of the estimate used when the engine has no tokenizer. */
  static final double CHARS_PER_TOKEN = 4.0;

  /**
   * @param sample requests to draw from the file, or null for all of them
   * @param seed the sample's seed
   * @param skipBadLines skip (and count) malformed lines rather than refuse the file
   */
  public record Options(Integer sample, long seed, boolean skipBadLines) {
    public Options {
      if (sample != null && sample < 1) {
        throw new IllegalArgumentException("the dataset sample must be at least 1: " + sample);
      }
    }
  }

  private Datasets() {}

  /** One entry read from a file, with where it was. */
  private record Entry(
      long index, long line, Prompt prompt, Integer maxTokens, Double timestampMs, String answer) {}

  /**
   * A JSONL dataset.
   *
   * @param tokenizer the engine's tokenizer, or null to estimate
   * @throws WorkloadFileException for a malformed line (unless skipped), or a file with no request
   * @throws IOException when the file cannot be read
   */
  public static Workload jsonl(
      Path file, Options options, EngineTokenizer tokenizer, Endpoint endpoint) throws IOException {
    Sampler sampler = new Sampler(options);
    int[] skipped = {0};
    Boolean[] timed = {null};
    long[] index = {0};
    Utf8Lines.read(
        file,
        (n, line) -> {
          if (line != null && line.isBlank()) {
            return true;
          }
          Entry e;
          try {
            if (line == null) {
              throw new IllegalArgumentException("not valid UTF-8");
            }
            e = jsonlEntry(line, index[0], n, endpoint);
            if (timed[0] != null && timed[0] != (e.timestampMs() != null)) {
              throw new IllegalArgumentException(
                  timed[0]
                      ? "no timestamp, but earlier lines have one: give every line a timestamp"
                          + " or none"
                      : "a timestamp, but earlier lines have none: give every line a timestamp"
                          + " or none");
            }
          } catch (IllegalArgumentException bad) {
            if (!options.skipBadLines()) {
              throw new WorkloadFileException(
                  file, n, bad.getMessage() + " (or pass --skip-bad-lines to skip such lines)");
            }
            skipped[0]++;
            return true;
          }
          timed[0] = e.timestampMs() != null;
          sampler.offer(e);
          index[0]++;
          return true;
        });
    return workload(
        file, sampler.kept(), skipped[0], tokenizer, endpoint, RunFacts.WorkloadSource.JSONL);
  }

  /**
   * A ShareGPT dataset.
   *
   * @param tokenizer the engine's tokenizer, or null to estimate
   * @throws WorkloadFileException for a file that is not a ShareGPT array or a malformed entry
   *     (unless skipped), or one with no usable conversation
   * @throws IOException when the file cannot be read
   */
  public static Workload sharegpt(
      Path file, Options options, EngineTokenizer tokenizer, Endpoint endpoint) throws IOException {
    Sampler sampler = new Sampler(options);
    int skipped = 0;
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = JSON.createParser(ObjectReadContext.empty(), in)) {
      try {
        if (p.nextToken() != JsonToken.START_ARRAY) {
          throw new WorkloadFileException(
              file, 1, "not a ShareGPT file: expected a JSON array of conversations");
        }
        long index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          long line = p.currentLocation().getLineNr();
          if (p.currentToken() == null) {
            throw new WorkloadFileException(file, line, "the JSON array is not closed");
          }
          Object value = JsonValues.read(p);
          Entry e;
          try {
            e = sharegptEntry(value, index, line);
          } catch (IllegalArgumentException bad) {
            if (!options.skipBadLines()) {
              throw new WorkloadFileException(
                  file,
                  line,
                  bad.getMessage() + " (or pass --skip-bad-lines to skip such entries)");
            }
            skipped++;
            continue;
          }
          if (e == null) {
            skipped++; // no human turn with an answer: nothing to send
            continue;
          }
          sampler.offer(e);
          index++;
        }
      } catch (JacksonException e) {
        throw new WorkloadFileException(
            file,
            e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
            "not valid JSON: " + Excerpts.oneLine(e.getOriginalMessage(), 120));
      }
    }
    return workload(
        file, sampler.kept(), skipped, tokenizer, endpoint, RunFacts.WorkloadSource.SHAREGPT);
  }

  // ---- entries

  private static Entry jsonlEntry(String line, long index, long lineNr, Endpoint endpoint) {
    Object v;
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
      if (p.nextToken() == null) {
        throw new IllegalArgumentException("empty");
      }
      v = JsonValues.read(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("more than one JSON value on the line");
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "not valid JSON: " + Excerpts.oneLine(e.getOriginalMessage(), 120));
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("expected a JSON object, got " + JsonValues.describe(v));
    }
    Object prompt = m.get("prompt");
    Object messages = m.get("messages");
    if ((prompt == null) == (messages == null)) {
      throw new IllegalArgumentException("give exactly one of \"prompt\" and \"messages\"");
    }
    Prompt pr;
    if (prompt != null) {
      if (!(prompt instanceof String s) || s.isEmpty()) {
        throw new IllegalArgumentException("\"prompt\" must be a non-empty string");
      }
      pr = new Prompt.Text(s);
    } else {
      if (endpoint != Endpoint.CHAT) {
        throw new IllegalArgumentException(
            "\"messages\" need --endpoint chat (completions take a \"prompt\")");
      }
      pr = messages(messages);
    }
    Integer maxTokens = null;
    if (m.containsKey("max_tokens")) {
      if (!(m.get("max_tokens") instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "\"max_tokens\" must be a positive integer, got " + m.get("max_tokens"));
      }
      maxTokens = (int) (long) l;
    }
    Double ts = null;
    if (m.containsKey("timestamp")) {
      if (!(m.get("timestamp") instanceof Number n)
          || n.doubleValue() < 0
          || !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException(
            "\"timestamp\" must be a number of milliseconds, 0 or more, got " + m.get("timestamp"));
      }
      ts = n.doubleValue();
    }
    return new Entry(index, lineNr, pr, maxTokens, ts, null);
  }

  private static Prompt.Messages messages(Object messages) {
    if (!(messages instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("\"messages\" must be a non-empty array");
    }
    StringBuilder text = new StringBuilder();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> msg) || !(msg.get("role") instanceof String)) {
        throw new IllegalArgumentException("each message must be an object with a \"role\"");
      }
      Object content = msg.get("content");
      if (content instanceof String s) {
        text.append(text.isEmpty() ? "" : "\n").append(s);
      } else if (content instanceof List<?> parts) {
        for (Object part : parts) {
          if (part instanceof Map<?, ?> pm && pm.get("text") instanceof String s) {
            text.append(text.isEmpty() ? "" : "\n").append(s);
          }
        }
      } else if (content != null) {
        throw new IllegalArgumentException(
            "a message's \"content\" must be a string or an array of parts");
      }
    }
    return new Prompt.Messages(toJson(messages), text.toString());
  }

  /** The entry of one ShareGPT conversation; null when it has no human turn with an answer. */
  private static Entry sharegptEntry(Object v, long index, long line) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "expected a conversation object, got " + JsonValues.describe(v));
    }
    if (!(m.get("conversations") instanceof List<?> turns)) {
      throw new IllegalArgumentException("a conversation needs a \"conversations\" array");
    }
    for (int i = 0; i + 1 < turns.size(); i++) {
      if (!(turns.get(i) instanceof Map<?, ?> t)
          || !(t.get("from") instanceof String from)
          || !(t.get("value") instanceof String value)) {
        throw new IllegalArgumentException(
            "each turn needs string \"from\" and \"value\" (turn " + (i + 1) + ")");
      }
      if ((from.equals("human") || from.equals("user")) && !value.isBlank()) {
        if (turns.get(i + 1) instanceof Map<?, ?> a
            && a.get("value") instanceof String answer
            && !answer.isBlank()) {
          return new Entry(index, line, new Prompt.Text(value), null, null, answer);
        }
        return null;
      }
    }
    return null;
  }

  // ---- the workload

  private static Workload workload(
      Path file,
      List<Entry> entries,
      int skipped,
      EngineTokenizer tokenizer,
      Endpoint endpoint,
      RunFacts.WorkloadSource source) {
    if (entries.isEmpty()) {
      throw new WorkloadFileException(
          file,
          0,
          skipped > 0
              ? "no usable request (" + skipped + " skipped)"
              : "no request in the file: it is empty");
    }
    List<String> texts = new ArrayList<>(entries.size());
    List<String> answers = new ArrayList<>();
    for (Entry e : entries) {
      texts.add(PromptText.render(e.prompt()));
      if (e.answer() != null) {
        answers.add(e.answer());
      }
    }
    int[] inputs;
    int[] outputs = null;
    Integer template = null;
    if (tokenizer != null) {
      inputs = tokenizer.countAll(texts);
      template = tokenizer.templateTokens(endpoint);
      if (!answers.isEmpty()) {
        outputs = tokenizer.countAll(answers);
      }
    } else {
      inputs = estimates(texts);
      if (!answers.isEmpty()) {
        outputs = estimates(answers);
      }
    }
    boolean timed = entries.getFirst().timestampMs() != null;
    double t0 = timed ? entries.stream().mapToDouble(Entry::timestampMs).min().orElse(0) : 0;
    List<WorkItem> items = new ArrayList<>(entries.size());
    double inSum = 0;
    double outSum = 0;
    int outN = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      int in = inputs[i] + (template == null ? 0 : template);
      Integer max =
          e.maxTokens() != null ? e.maxTokens() : outputs == null ? null : Math.max(1, outputs[i]);
      Long offset = timed ? Math.round((e.timestampMs() - t0) * 1e6) : null;
      items.add(new WorkItem(e.prompt(), max, offset, in));
      inSum += in;
      if (max != null) {
        outSum += max;
        outN++;
      }
    }
    if (timed) {
      // A fixed schedule is sent in time order; equal times keep the file's order.
      items.sort(Comparator.comparingLong(WorkItem::offsetNanos));
    }
    RunFacts.Workload facts =
        new RunFacts.Workload(
            source,
            file.toString(),
            items.size(),
            skipped,
            tokenizer != null
                ? RunFacts.TokenCounting.ENGINE_TOKENIZER
                : RunFacts.TokenCounting.ESTIMATE,
            inSum / items.size(),
            outN == 0 ? null : outSum / outN,
            null,
            template);
    return new Workload(items, false, facts);
  }

  private static int[] estimates(List<String> texts) {
    int[] out = new int[texts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) Math.max(1, Math.ceil(texts.get(i).length() / CHARS_PER_TOKEN));
    }
    return out;
  }

  private static String toJson(Object value) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
      writeValue(g, value);
    }
    return w.toString();
  }

  private static void writeValue(JsonGenerator g, Object v) {
    switch (v) {
      case null -> g.writeNull();
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeName((String) e.getKey());
          writeValue(g, e.getValue());
        }
        g.writeEndObject();
      }
      case List<?> l -> {
        g.writeStartArray();
        for (Object o : l) {
          writeValue(g, o);
        }
        g.writeEndArray();
      }
      case String s -> g.writeString(s);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case Boolean b -> g.writeBoolean(b);
      default -> g.writeString(v.toString());
    }
  }

  /** Keeps all entries, or a seeded uniform sample of them (reservoir), in the file's order. */
  private static final class Sampler {
    private final Integer size;
    private final Random random;
    private final List<Entry> kept = new ArrayList<>();
    private long seen;

    Sampler(Options o) {
      this.size = o.sample();
      this.random = new Random(o.seed());
    }

    void offer(Entry e) {
      seen++;
      if (size == null || kept.size() < size) {
        kept.add(e);
        return;
      }
      long j = random.nextLong(seen);
      if (j < size) {
        kept.set((int) j, e);
      }
    }

    List<Entry> kept() {
      List<Entry> out = new ArrayList<>(kept);
      out.sort(Comparator.comparingLong(Entry::index));
      return out;
    }
  }
}
