package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.ChunkKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast chunk reader against the general parser: the same chunk for every payload, whichever of
 * the two read it, and the fast one reading every shape a real engine sends.
 */
class FastChunkReaderTest {

  private static final List<String> FIXTURES = Fixtures.STREAMS;

  /** Shapes of other engines and edge cases, every one valid JSON. */
  private static final List<String> SHAPES =
      List.of(
          "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}",
          "{\"choices\":[{\"delta\":{\"content\":\"h\\u00e9llo \\\"q\\\" \\n\\t\\\\ \\/\"}}]}",
          "{\"choices\":[{\"delta\":{\"content\":\"\\ud83d\\ude00 surrogates\"}}]}",
          "{\"choices\":[{\"delta\":{\"content\":\"é漢😀\"}}]}",
          "{\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}}]}",
          "{\"choices\":[{\"delta\":{\"reasoning\":\"vllm\",\"content\":\"\"}}]}",
          "{\"choices\":[{\"text\":\"abc\",\"finish_reason\":null},{\"text\":\"de\"}]}",
          "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}",
          "{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":64,"
              + "\"total_tokens\":76,\"completion_tokens_details\":{\"reasoning_tokens\":3},"
              + "\"prompt_tokens_details\":{\"cached_tokens\":8}}}",
          "{\"usage\":{\"prompt_tokens\":1.5e1,\"completion_tokens\":-0,\"total_tokens\":\"x\"}}",
          "{\"timings\":{\"prompt_n\":5,\"prompt_ms\":1.25,\"predicted_n\":64,"
              + "\"predicted_ms\":312.5,\"cache_n\":0,\"predicted_per_second\":204.8}}",
          "{\"timings\":[1,2],\"usage\":\"none\",\"choices\":{}}",
          "{\"error\":{\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}}",
          "{\"error\":{\"type\":\"only_type\"}}",
          "{\"error\":{}}",
          "{\"error\":\"plain\"}",
          "{\"error\":null,\"object\":\"chat.completion.chunk\"}",
          "{\"object\":\"error\",\"message\":\"vLLM style\",\"code\":400}",
          "{\"object\":\"error\"}",
          "{\"x_inferscope_sent_ns\":123456789012345678,\"choices\":[]}",
          "{\"x_inferscope_sent_ns\":1.5}",
          "{\"x_inferscope_sent_ns\":\"7\"}",
          "  {\"a\" : [ true , false , null , -1.5E-3 , 0 , {\"b\":[[]]} ] }  ",
          "{}",
          "{\"choices\":[{\"delta\":{\"role\":7}}]}",
          "{\"choices\":[1,\"x\",null,{\"delta\":\"no\"},{\"message\":{\"content\":\"whole\"}}]}");

  /** Valid JSON the fast reader leaves to the general parser. */
  private static final List<String> LEFT_TO_GENERAL =
      List.of(
          "{\"choices\":[{\"finish_reason\":\"st\\u006fp\"}]}",
          "{\"ch\\u006fices\":[]}",
          "{\"x_inferscope_sent_ns\":12345678901234567890}",
          "[1,2]",
          "{\"a\":1} {\"b\":2}",
          "{\"error\":\"say \\\"hi\\\"\"}");

  @Test
  void readsEveryRealChunkItself() {
    for (String fixture : FIXTURES) {
      for (String payload : Fixtures.dataPayloads(fixture)) {
        if (payload.strip().equals("[DONE]")) {
          continue;
        }
        byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> new FastChunkReader(b, 0, b.length).read())
            .as(payload)
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  void readsOtherShapesItself() {
    for (String payload : SHAPES) {
      byte[] b = payload.getBytes(StandardCharsets.UTF_8);
      assertThatCode(() -> new FastChunkReader(b, 0, b.length).read())
          .as(payload)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void leavesEscapedValuesItMustDecodeToTheGeneralParser() {
    for (String payload : LEFT_TO_GENERAL) {
      byte[] b = payload.getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> new FastChunkReader(b, 0, b.length).read())
          .as(payload)
          .isSameAs(FastChunkReader.GIVE_UP);
    }
  }

  @Test
  void sameChunkAsTheGeneralParserForEveryShape() {
    for (String payload : corpus()) {
      assertSame(payload.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void countsUtf16UnitsLikeTheGeneralParser() {
    Chunk c = ChunkParser.parse("{\"choices\":[{\"delta\":{\"content\":\"é漢😀\\ud83d\\ude00\"}}]}");
    assertThat(c.contentChars()).isEqualTo(1 + 1 + 2 + 2);
    assertThat(c.kind()).isEqualTo(ChunkKind.CONTENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]",
        "{\"choices\":[{\"delta\":{\"content\":\"a}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"\\x\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"\\u12g4\"}}]}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":-}",
        "{\"a\":tru}",
        "{\"a\":1,}",
        "{,\"a\":1}",
        "{\"a\" 1}",
        "{'a':1}",
        "{\"a\":[1,]}",
        "{\"a\":\"tab\tinside\"}"
      })
  void invalidJsonGetsTheGeneralParsersDiagnostic(String payload) {
    Chunk c = ChunkParser.parse(payload);
    assertThat(c.isMalformed()).as(payload).isTrue();
    assertThat(c.malformedDetail()).startsWith("invalid JSON (");
    assertThat(c).isEqualTo(ChunkParser.parseGeneral(bytes(payload), 0, bytes(payload).length));
  }

  @Test
  void invalidUtf8GoesToTheGeneralParser() {
    byte[] prefix = "{\"choices\":[{\"delta\":{\"content\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "\"}}]}".getBytes(StandardCharsets.UTF_8);
    for (byte[] bad :
        new byte[][] {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe6, (byte) 0xbc}, {(byte) 0x80}}) {
      byte[] b = new byte[prefix.length + bad.length + suffix.length];
      System.arraycopy(prefix, 0, b, 0, prefix.length);
      System.arraycopy(bad, 0, b, prefix.length, bad.length);
      System.arraycopy(suffix, 0, b, prefix.length + bad.length, suffix.length);
      assertThatThrownBy(() -> new FastChunkReader(b, 0, b.length).read())
          .isSameAs(FastChunkReader.GIVE_UP);
      assertSame(b);
    }
  }

  /**
   * Thousands of random mutations of real and edge-case payloads (bytes dropped, inserted, replaced
   * with JSON's own punctuation): valid or not, both readers must agree.
   */
  @Test
  void mutatedPayloadsReadTheSameBothWays() {
    Random random = new Random(42);
    byte[] alphabet = "{}[]\":,\\ tfn0123456789.-eEu\"a\u00e9".getBytes(StandardCharsets.UTF_8);
    List<String> corpus = corpus();
    int fastReads = 0;
    for (int i = 0; i < 30_000; i++) {
      byte[] b = bytes(corpus.get(random.nextInt(corpus.size())));
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && b.length > 0; e++) {
        int at = random.nextInt(b.length);
        byte[] next;
        switch (random.nextInt(3)) {
          case 0 -> {
            next = new byte[b.length - 1];
            System.arraycopy(b, 0, next, 0, at);
            System.arraycopy(b, at + 1, next, at, b.length - at - 1);
          }
          case 1 -> {
            next = new byte[b.length + 1];
            System.arraycopy(b, 0, next, 0, at);
            next[at] = alphabet[random.nextInt(alphabet.length)];
            System.arraycopy(b, at, next, at + 1, b.length - at);
          }
          default -> {
            next = b.clone();
            next[at] = alphabet[random.nextInt(alphabet.length)];
          }
        }
        b = next;
      }
      if (assertSame(b)) {
        fastReads++;
      }
    }
    // The mutations must exercise the fast path too, not only the fallback.
    assertThat(fastReads).isGreaterThan(1_000);
  }

  /** Asserts both readers give the same chunk; returns whether the fast reader read it itself. */
  private static boolean assertSame(byte[] b) {
    Chunk general = ChunkParser.parseGeneral(b, 0, b.length);
    Chunk either = ChunkParser.parse(b, 0, b.length);
    String shown = new String(b, StandardCharsets.UTF_8);
    assertThat(either).as(shown).isEqualTo(general);
    boolean fast;
    try {
      new FastChunkReader(b, 0, b.length).read();
      fast = true;
    } catch (FastChunkReader.GiveUp e) {
      fast = false;
    }
    if (fast) {
      assertThat(general.isMalformed()).as("fast reader accepted invalid JSON: " + shown).isFalse();
    }
    return fast;
  }

  private static List<String> corpus() {
    List<String> all = new ArrayList<>(SHAPES);
    all.addAll(LEFT_TO_GENERAL);
    for (String fixture : FIXTURES) {
      all.addAll(Fixtures.dataPayloads(fixture));
    }
    return all;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
