package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.RunFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets and traces read whole before load: their requests, their order, their bad lines. */
class WorkloadFilesTest {

  @TempDir Path dir;

  private Path file(String name, String... lines) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  private static final Datasets.Options ALL = new Datasets.Options(null, 1, false);

  @Test
  void jsonlLinesBecomeRequestsInFileOrder() throws Exception {
    Path f =
        file(
            "d.jsonl",
            "{\"prompt\":\"one two three four\",\"max_tokens\":7}",
            "",
            "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"hello there\"}]}");
    Workload w = Datasets.jsonl(f, ALL, null, Endpoint.CHAT);
    assertThat(w.scheduled()).isFalse();
    assertThat(w.items()).hasSize(2);
    assertThat(w.items().get(0).prompt()).isEqualTo(new Prompt.Text("one two three four"));
    assertThat(w.items().get(0).maxTokens()).isEqualTo(7);
    assertThat(w.items().get(1).maxTokens()).isNull();
    Prompt.Messages m = (Prompt.Messages) w.items().get(1).prompt();
    assertThat(m.messagesJson()).contains("\"role\":\"system\"").contains("hello there");
    // Estimated without a tokenizer: 4 characters a token, rounded up.
    assertThat(w.items().get(0).inputTokens()).isEqualTo(5);
    assertThat(w.facts().tokenCounting()).isEqualTo(RunFacts.TokenCounting.ESTIMATE);
    assertThat(w.facts().source()).isEqualTo(RunFacts.WorkloadSource.JSONL);
    assertThat(w.facts().skippedLines()).isZero();
  }

  @Test
  void aBadLineIsNamedByFileAndLineBeforeAnyLoad() throws Exception {
    Path f =
        file(
            "bad.jsonl",
            "{\"prompt\":\"fine\"}",
            "{\"prompt\":\"fine too\",\"max_tokens\":0}",
            "{\"prompt\": oops}");
    assertThatThrownBy(() -> Datasets.jsonl(f, ALL, null, Endpoint.CHAT))
        .isInstanceOf(WorkloadFileException.class)
        .hasMessage(
            f
                + ":2: \"max_tokens\" must be a positive integer, got 0"
                + " (or pass --skip-bad-lines to skip such lines)");
    Workload w = Datasets.jsonl(f, new Datasets.Options(null, 1, true), null, Endpoint.CHAT);
    assertThat(w.items()).hasSize(1);
    assertThat(w.facts().skippedLines()).isEqualTo(2);
    Path g = file("syntax.jsonl", "{\"prompt\":\"a\"}", "{\"prompt\": oops}");
    assertThatThrownBy(() -> Datasets.jsonl(g, ALL, null, Endpoint.CHAT))
        .hasMessageStartingWith(g + ":2: not valid JSON");
    Path h = file("msgs.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThatThrownBy(() -> Datasets.jsonl(h, ALL, null, Endpoint.COMPLETIONS))
        .hasMessageStartingWith(h + ":1: \"messages\" need --endpoint chat");
    Path mixed = file("mixed.jsonl", "{\"prompt\":\"a\",\"timestamp\":5}", "{\"prompt\":\"b\"}");
    assertThatThrownBy(() -> Datasets.jsonl(mixed, ALL, null, Endpoint.CHAT))
        .hasMessageStartingWith(mixed + ":2: no timestamp, but earlier lines have one");
  }

  @Test
  void aLineThatIsNotUtf8IsNamedAndCanBeSkipped() throws Exception {
    Path f = dir.resolve("latin1.jsonl");
    Files.write(
        f,
        new byte[] {
          '{',
          '"',
          'p',
          'r',
          'o',
          'm',
          'p',
          't',
          '"',
          ':',
          '"',
          'a',
          '"',
          '}',
          '\n',
          '{',
          '"',
          'p',
          'r',
          'o',
          'm',
          'p',
          't',
          '"',
          ':',
          '"',
          (byte) 0xff,
          '"',
          '}',
          '\n'
        });
    assertThatThrownBy(() -> Datasets.jsonl(f, ALL, null, Endpoint.CHAT))
        .hasMessage(f + ":2: not valid UTF-8 (or pass --skip-bad-lines to skip such lines)");
    Workload w = Datasets.jsonl(f, new Datasets.Options(null, 1, true), null, Endpoint.CHAT);
    assertThat(w.items()).hasSize(1);
    assertThat(w.facts().skippedLines()).isEqualTo(1);
  }

  @Test
  void timestampsMakeAFixedScheduleFromTheFirst() throws Exception {
    Path f =
        file(
            "t.jsonl",
            "{\"prompt\":\"a\",\"timestamp\":1000}",
            "{\"prompt\":\"b\",\"timestamp\":1000.5}",
            "{\"prompt\":\"c\",\"timestamp\":1250}");
    Workload w = Datasets.jsonl(f, ALL, null, Endpoint.CHAT);
    assertThat(w.scheduled()).isTrue();
    assertThat(w.items().stream().map(WorkItem::offsetNanos).toList())
        .containsExactly(0L, 500_000L, 250_000_000L);
  }

  @Test
  void aSampleIsSeededUniformAndKeepsFileOrder() throws Exception {
    String[] lines = new String[200];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = "{\"prompt\":\"p" + i + "\"}";
    }
    Path f = file("many.jsonl", lines);
    List<String> a =
        texts(Datasets.jsonl(f, new Datasets.Options(20, 7, false), null, Endpoint.CHAT));
    List<String> b =
        texts(Datasets.jsonl(f, new Datasets.Options(20, 7, false), null, Endpoint.CHAT));
    List<String> c =
        texts(Datasets.jsonl(f, new Datasets.Options(20, 8, false), null, Endpoint.CHAT));
    assertThat(a).hasSize(20).isEqualTo(b).isNotEqualTo(c);
    List<Integer> order = a.stream().map(t -> Integer.parseInt(t.substring(1))).toList();
    assertThat(order).isSorted();
    // Drawn from the whole file, not its head.
    assertThat(order.getLast()).isGreaterThan(100);
  }

  private static List<String> texts(Workload w) {
    return w.items().stream().map(i -> PromptText.render(i.prompt())).toList();
  }

  @Test
  void shareGptTakesTheFirstHumanTurnAndTheAnswersLength() throws Exception {
    Path f =
        file(
            "sg.json",
            "[",
            " {\"id\":\"a\",\"conversations\":[{\"from\":\"system\",\"value\":\"sys\"},"
                + "{\"from\":\"human\",\"value\":\"What is a lighthouse?\"},"
                + "{\"from\":\"gpt\",\"value\":\"A tower with a light that guides ships.\"}]},",
            " {\"id\":\"b\",\"conversations\":[{\"from\":\"human\",\"value\":\"alone\"}]},",
            " {\"id\":\"c\",\"conversations\":[{\"from\":\"human\",\"value\":\"Hi\"},"
                + "{\"from\":\"gpt\",\"value\":\"Hello!\"}]}",
            "]");
    Workload w = Datasets.sharegpt(f, ALL, null, Endpoint.CHAT);
    assertThat(texts(w)).containsExactly("What is a lighthouse?", "Hi");
    // The answer's length (39 characters: 10 tokens estimated) becomes max_tokens.
    assertThat(w.items().get(0).maxTokens()).isEqualTo(10);
    assertThat(w.items().get(1).maxTokens()).isEqualTo(2);
    assertThat(w.facts().skippedLines()).isEqualTo(1);
    Path bad = file("bad.json", "[", " {\"conversations\": 3}", "]");
    assertThatThrownBy(() -> Datasets.sharegpt(bad, ALL, null, Endpoint.CHAT))
        .hasMessage(
            bad
                + ":2: a conversation needs a \"conversations\" array"
                + " (or pass --skip-bad-lines to skip such entries)");
    Path notArray = file("obj.json", "{\"conversations\":[]}");
    assertThatThrownBy(() -> Datasets.sharegpt(notArray, ALL, null, Endpoint.CHAT))
        .hasMessageStartingWith(notArray + ":1: not a ShareGPT file");
  }

  @Test
  void mooncakeEqualHashIdsGiveEqualPrefixesAndTheTraceKeepsItsTimes() throws Exception {
    Path f =
        file(
            "trace.jsonl",
            "{\"timestamp\": 0, \"input_length\": 1100, \"output_length\": 5, \"hash_ids\": [0, 1, 2]}",
            "{\"timestamp\": 40, \"input_length\": 1030, \"output_length\": 7, \"hash_ids\": [0, 1, 9]}",
            "{\"timestamp\": 100, \"input_length\": 300, \"output_length\": 9, \"hash_ids\": [4]}");
    Workload w = MooncakeTrace.read(f, 0.5, null, false, 3, null, Endpoint.CHAT);
    assertThat(w.scheduled()).isTrue();
    assertThat(w.ignoreEos()).isTrue();
    assertThat(w.items().stream().map(WorkItem::offsetNanos).toList())
        .containsExactly(0L, 20_000_000L, 50_000_000L);
    assertThat(w.items().stream().map(WorkItem::maxTokens).toList()).containsExactly(5, 7, 9);
    List<String> t = texts(w);
    String[] a = t.get(0).split(" ");
    String[] b = t.get(1).split(" ");
    // A word a token without a tokenizer: 512-word blocks, the last one the rest.
    assertThat(a).hasSize(1100);
    assertThat(b).hasSize(1030);
    assertThat(t.get(2).split(" ")).hasSize(300);
    // Blocks 0 and 1 are shared: the first 1024 words are equal, the third block differs.
    assertThat(List.of(a).subList(0, 1024)).isEqualTo(List.of(b).subList(0, 1024));
    assertThat(List.of(a).subList(1024, 1030)).isNotEqualTo(List.of(b).subList(1024, 1030));
    // The same trace and seed make the same text again.
    assertThat(texts(MooncakeTrace.read(f, 0.5, null, false, 3, null, Endpoint.CHAT))).isEqualTo(t);
    assertThat(MooncakeTrace.read(f, 1, 2, false, 3, null, Endpoint.CHAT).items()).hasSize(2);
  }

  @Test
  void aMooncakeLineThatDoesNotAddUpIsRefused() throws Exception {
    Path f =
        file(
            "bad-trace.jsonl",
            "{\"timestamp\": 20, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [0, 1]}",
            "{\"timestamp\": 30, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [0]}",
            "{\"timestamp\": 5, \"input_length\": 10, \"output_length\": 5, \"hash_ids\": [3]}");
    assertThatThrownBy(() -> MooncakeTrace.read(f, 1, null, false, 1, null, Endpoint.CHAT))
        .hasMessage(
            f
                + ":2: input_length 600 needs 2 blocks of 512 tokens, but hash_ids has 1"
                + " (or pass --skip-bad-lines to skip such lines)");
    Workload w = MooncakeTrace.read(f, 1, null, true, 1, null, Endpoint.CHAT);
    // Line 3 goes back in time: a trace is in time order.
    assertThat(w.items()).hasSize(1);
    assertThat(w.facts().skippedLines()).isEqualTo(2);
  }

  @Test
  void theSharedTracesReadWhole() throws Exception {
    Path conversation = Path.of("..", "..", "shared", "traces", "mooncake-conversation.jsonl");
    assertThat(conversation).as("the shared traces (see ../shared/README.md)").exists();
    Workload w = MooncakeTrace.read(conversation, 1, null, false, 1, null, Endpoint.CHAT);
    assertThat(w.items()).hasSize(12_031);
    assertThat(w.items().getLast().offsetNanos()).isEqualTo(3_536_999_000_000L);
  }
}
