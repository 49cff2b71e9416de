package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkParserTest {

  // ---- llama.cpp, from the captured bytes

  static List<String> answerStreams() {
    return Fixtures.ANSWER_STREAMS;
  }

  @ParameterizedTest
  @MethodSource("answerStreams")
  void everyCapturedChunkParses(String fixture) {
    List<String> payloads = Fixtures.dataPayloads(fixture);
    assertThat(payloads).isNotEmpty();
    for (String p : payloads) {
      Chunk c = ChunkParser.parse(p);
      assertThat(c.malformedDetail()).as(p).isNull();
      assertThat(c.kind()).as(p).isNotEqualTo(ChunkKind.ERROR);
    }
    assertThat(ChunkParser.parse(payloads.getLast()).kind()).isEqualTo(ChunkKind.DONE);
  }

  @Test
  void llamaRoleChunkWithNullContentIsRole() {
    Chunk c = ChunkParser.parse(Fixtures.dataPayloads("chat-stream-usage.txt").get(0));
    assertThat(c.kind()).isEqualTo(ChunkKind.ROLE);
    assertThat(c.role()).isTrue();
    assertThat(c.textChars()).isZero();
  }

  @Test
  void llamaContentChunkCountsUtf16Chars() {
    Chunk c = ChunkParser.parse(Fixtures.dataPayloads("chat-stream-usage.txt").get(1));
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(c.contentChars()).isEqualTo("ден".length()).isEqualTo(3);
    assertThat(c.finishReason()).isNull();
  }

  @Test
  void llamaFinishChunkWithEmptyDeltaIsFinish() {
    List<String> p = Fixtures.dataPayloads("chat-stream-usage.txt");
    Chunk c = ChunkParser.parse(p.get(p.size() - 3));
    assertThat(c.kind()).isEqualTo(ChunkKind.FINISH);
    assertThat(c.finishReason()).isEqualTo("length");
    assertThat(c.usage()).isNull();
  }

  @Test
  void llamaUsageChunkCarriesUsageAndTimings() {
    List<String> p = Fixtures.dataPayloads("chat-stream-usage.txt");
    Chunk c = ChunkParser.parse(p.get(p.size() - 2));
    assertThat(c.kind()).isEqualTo(ChunkKind.USAGE);
    assertThat(c.hasChoices()).isTrue();
    assertThat(c.usage()).isEqualTo(new Usage(34, 32, 66, null, 33));
    assertThat(c.timings())
        .isEqualTo(new ServerTimings(1, 2.654, 32, 44.061, 33, 703.5700506116519));
    // Kept as sent, and the same as the rate derived from the other fields.
    assertThat(c.timings().predictedTokensPerSecond())
        .isCloseTo(c.timings().predictedPerSecond(), org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void llamaProgressChunksAreNeverText() {
    List<String> p = Fixtures.dataPayloads("chat-stream-progress-timings.txt");
    Chunk first = ChunkParser.parse(p.get(0));
    Chunk second = ChunkParser.parse(p.get(1));
    Chunk third = ChunkParser.parse(p.get(2));
    assertThat(List.of(first.kind(), second.kind(), third.kind())).containsOnly(ChunkKind.ROLE);
    assertThat(second.timings()).isEqualTo(new ServerTimings(30, 31.838, 0, 0.0, 0, 0.0));
    Chunk content = ChunkParser.parse(p.get(3));
    assertThat(content.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(content.contentChars()).isEqualTo(" Russ".length());
  }

  @Test
  void llamaCompletionsTextAndFinalChunk() {
    List<String> p = Fixtures.dataPayloads("completions-stream-usage.txt");
    Chunk text = ChunkParser.parse(p.get(2));
    assertThat(text.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(text.contentChars()).isEqualTo(1); // "が"
    Chunk last = ChunkParser.parse(p.get(p.size() - 2));
    // Empty text, finish reason and usage in one chunk: finish outranks usage.
    assertThat(last.kind()).isEqualTo(ChunkKind.FINISH);
    assertThat(last.finishReason()).isEqualTo("length");
    assertThat(last.usage()).isEqualTo(new Usage(5, 32, 37, null, 4));
    assertThat(last.timings())
        .isEqualTo(new ServerTimings(1, 3.317, 32, 46.712, 4, 663.6410344237026));
  }

  @Test
  void nonStreamedAnswerReadsMessageContent() {
    byte[] b = Fixtures.bytes("chat-nonstream.txt");
    Chunk c = ChunkParser.parse(b, 0, b.length);
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(c.contentChars())
        .isEqualTo(" predomingtransactionution Nau Has postsursor".length());
    assertThat(c.finishReason()).isEqualTo("length");
    assertThat(c.usage().completionTokens()).isEqualTo(8);
  }

  // ---- vLLM and SGLang shapes

  @Test
  void vllmRoleChunkWithEmptyContentIsRole() {
    Chunk c =
        ChunkParser.parse(
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}");
    assertThat(c.kind()).isEqualTo(ChunkKind.ROLE);
    assertThat(c.textChars()).isZero();
  }

  @Test
  void reasoningContentIsReasoning() {
    Chunk c =
        ChunkParser.parse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Let me\"},"
                + "\"finish_reason\":null}]}");
    assertThat(c.kind()).isEqualTo(ChunkKind.REASONING);
    assertThat(c.reasoningChars()).isEqualTo(6);
    assertThat(c.contentChars()).isZero();
  }

  @Test
  void reasoningFieldIsReasoningToo() {
    Chunk c =
        ChunkParser.parse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning\":\"Hmm\"},"
                + "\"finish_reason\":null}]}");
    assertThat(c.kind()).isEqualTo(ChunkKind.REASONING);
    assertThat(c.reasoningChars()).isEqualTo(3);
  }

  @Test
  void contentBesideReasoningIsContent() {
    Chunk c =
        ChunkParser.parse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\",\"reasoning_content\":\"so\"}}]}");
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(c.textChars()).isEqualTo(4);
    assertThat(c.contentChars()).isEqualTo(2);
    assertThat(c.reasoningChars()).isEqualTo(2);
  }

  @Test
  void vllmUsageChunkWithReasoningTokens() {
    Chunk c =
        ChunkParser.parse(
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                + "{\"prompt_tokens\":10,\"total_tokens\":30,\"completion_tokens\":20,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":12},"
                + "\"prompt_tokens_details\":null}}");
    assertThat(c.kind()).isEqualTo(ChunkKind.USAGE);
    assertThat(c.usage()).isEqualTo(new Usage(10, 20, 30, 12, null));
  }

  @Test
  void choicesAreSummed() {
    Chunk c =
        ChunkParser.parse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ab\"}},"
                + "{\"index\":1,\"delta\":{\"content\":\"cde\"},\"finish_reason\":\"stop\"}]}");
    assertThat(c.contentChars()).isEqualTo(5);
    assertThat(c.finishReason()).isEqualTo("stop");
  }

  @Test
  void usageNullIsNoUsage() {
    Chunk c =
        ChunkParser.parse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":null}],"
                + "\"usage\":null}");
    assertThat(c.usage()).isNull();
    assertThat(c.kind()).isEqualTo(ChunkKind.EMPTY);
  }

  // ---- TGI and Ollama

  @Test
  void tgiFirstChunkCarriesRoleAndContent() {
    Chunk c =
        ChunkParser.parse(
            "{\"object\":\"chat.completion.chunk\",\"id\":\"\",\"created\":1,\"model\":\"tgi\","
                + "\"system_fingerprint\":\"3.0.1-native\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"Hello\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null}");
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(c.contentChars()).isEqualTo(5);
    assertThat(c.role()).isTrue();
  }

  @Test
  void ollamaContentAndFinishInOneChunk() {
    Chunk c =
        ChunkParser.parse(
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"llama3\",\"system_fingerprint\":\"fp_ollama\",\"choices\":"
                + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\".\"},"
                + "\"finish_reason\":\"stop\"}]}");
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(c.contentChars()).isEqualTo(1);
    assertThat(c.finishReason()).isEqualTo("stop");
  }

  // ---- errors, sentinel, malformed

  @Test
  void errorObjectAtStatus200IsError() {
    Chunk c =
        ChunkParser.parse(
            "{\"error\":{\"object\":\"error\",\"message\":\"out of KV cache\",\"type\":"
                + "\"InternalServerError\",\"code\":500}}");
    assertThat(c.kind()).isEqualTo(ChunkKind.ERROR);
    assertThat(c.errorMessage()).isEqualTo("out of KV cache");
  }

  @Test
  void topLevelErrorObjectIsError() {
    Chunk c =
        ChunkParser.parse(
            "{\"object\":\"error\",\"message\":\"maximum context length is 4096\","
                + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}");
    assertThat(c.kind()).isEqualTo(ChunkKind.ERROR);
    assertThat(c.errorMessage()).isEqualTo("maximum context length is 4096");
  }

  @Test
  void errorStringIsError() {
    Chunk c =
        ChunkParser.parse("{\"error\":\"Input validation error\",\"error_type\":\"validation\"}");
    assertThat(c.kind()).isEqualTo(ChunkKind.ERROR);
    assertThat(c.errorMessage()).isEqualTo("Input validation error");
  }

  @Test
  void errorOutranksText() {
    Chunk c =
        ChunkParser.parse(
            "{\"choices\":[{\"delta\":{\"content\":\"abc\"}}],\"error\":{\"message\":\"late\"}}");
    assertThat(c.kind()).isEqualTo(ChunkKind.ERROR);
  }

  @Test
  void errorNullIsNoError() {
    Chunk c = ChunkParser.parse("{\"choices\":[{\"delta\":{\"content\":\"abc\"}}],\"error\":null}");
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(c.errorMessage()).isNull();
  }

  @Test
  void doneSentinel() {
    assertThat(ChunkParser.parse("[DONE]")).isSameAs(Chunk.DONE);
    assertThat(ChunkParser.parse(" [DONE] ").kind()).isEqualTo(ChunkKind.DONE);
  }

  @Test
  void simulatorSendStampIsExposed() {
    Chunk c =
        ChunkParser.parse(
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x_inferscope_sent_ns\":123456789012345}");
    assertThat(c.sentNanos()).isEqualTo(123456789012345L);
    assertThat(ChunkParser.parse("{\"choices\":[]}").sentNanos()).isNull();
  }

  @Test
  void invalidJsonIsMalformedWithAnExcerpt() {
    Chunk c = ChunkParser.parse("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]");
    assertThat(c.isMalformed()).isTrue();
    assertThat(c.kind()).isEqualTo(ChunkKind.EMPTY);
    assertThat(c.malformedDetail())
        .startsWith("invalid JSON (")
        .endsWith("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]");
  }

  @Test
  void garbageIsMalformed() {
    assertThat(ChunkParser.parse("hello world").isMalformed()).isTrue();
    assertThat(ChunkParser.parse("[1,2]").malformedDetail()).startsWith("not a JSON object");
    assertThat(ChunkParser.parse("{\"a\":1} {\"b\":2}").malformedDetail())
        .startsWith("data after the JSON object");
    assertThat(ChunkParser.parse("").isMalformed()).isTrue();
  }

  @Test
  void longMalformedPayloadIsCutInTheDetail() {
    Chunk c = ChunkParser.parse("{\"x\":\"" + "y".repeat(500));
    assertThat(c.malformedDetail()).endsWith("…").hasSizeLessThan(260);
  }

  @Test
  void readsAPayloadInsideALargerArray() {
    byte[] line =
        "data: {\"choices\":[{\"delta\":{\"content\":\"hey\"}}]}\r"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Chunk c = ChunkParser.parse(line, 6, line.length - 7);
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
    assertThat(c.contentChars()).isEqualTo(3);
  }
}
