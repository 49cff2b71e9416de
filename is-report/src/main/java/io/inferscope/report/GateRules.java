package io.inferscope.report;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

/**
 * A gate's thresholds file: YAML, or JSON (a file whose text starts with {@code {}), holding one key,
 * {@code rules}, a list of rules, each one string ({@link GateRule}):
 *
 * <pre>
 * rules:
 *   - ttft.p99 &lt; 250ms
 *   - completeness &gt;= 99.5%
 * </pre>
 *
 * The file is read as a tree of nodes that keep their line, so every error names the line.
 *
 * @param source the file's name, as errors name it
 * @param rules the rules, in file order
 */
public record GateRules(String source, List<GateRule> rules) {

  /** The one key of the file. */
  static final String RULES = "rules";

  public GateRules {
    rules = List.copyOf(rules);
  }

  /**
   * Reads a thresholds file.
   *
   * @throws GateInputException when the file is missing, unreadable or not a thresholds file; the
   *     message names the file and the line
   */
  public static GateRules read(Path file) {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new GateInputException(0, "is a directory: give a thresholds file").in(name(file));
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      throw new GateInputException(0, "no such file: give the thresholds file's path")
          .in(name(file));
    } catch (CharacterCodingException e) {
      throw new GateInputException(0, "not UTF-8 text: save it as UTF-8").in(name(file));
    } catch (IOException e) {
      throw new GateInputException(0, "cannot read it (" + AtomicFiles.describe(e) + ")")
          .in(name(file));
    }
    return parse(text, name(file));
  }

  private static String name(Path file) {
    return file.toString();
  }

  /**
   * Reads a thresholds file's text.
   *
   * @param source its name, for errors
   * @throws GateInputException when it is not a thresholds file
   */
  public static GateRules parse(String text, String source) {
    try {
      String start = text.stripLeading();
      // YAML reads most JSON, but not JSON indented with tabs: JSON goes to the JSON reader.
      return new GateRules(
          source, start.startsWith("{") || start.startsWith("[") ? json(text) : rules(root(text)));
    } catch (GateInputException e) {
      throw e.in(source);
    }
  }

  private static Node root(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    // A thresholds file has no use for anchors; refusing them keeps a hostile file small.
    options.setMaxAliasesForCollections(0);
    options.setCodePointLimit(1 << 20);
    try {
      Node root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
      if (root == null) {
        throw new GateInputException(0, "the file is empty: " + expected());
      }
      return root;
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : String.valueOf(e.getContext());
      throw new GateInputException(
          m == null ? 0 : m.getLine() + 1,
          "not valid YAML or JSON (" + Fmt.singleLine(problem) + "): " + expected());
    } catch (YAMLException e) {
      throw new GateInputException(
          0, "not valid YAML or JSON (" + Fmt.singleLine(e.getMessage()) + "): " + expected());
    }
  }

  private static List<GateRule> rules(Node root) {
    if (!(root instanceof MappingNode map)) {
      throw new GateInputException(line(root), "expected a mapping with one key, " + expected());
    }
    SequenceNode list = null;
    for (NodeTuple t : map.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
      if (!RULES.equals(key)) {
        throw new GateInputException(
            line(t.getKeyNode()), "unknown key '" + key + "': the only key is " + RULES);
      }
      if (!(t.getValueNode() instanceof SequenceNode s)) {
        throw new GateInputException(
            line(t.getValueNode()), RULES + " must be a list of rules, " + expected());
      }
      list = s;
    }
    if (list == null || list.getValue().isEmpty()) {
      throw new GateInputException(
          list == null ? line(root) : line(list), "no rules: " + expected());
    }
    List<GateRule> rules = new ArrayList<>();
    for (Node item : list.getValue()) {
      if (!(item instanceof ScalarNode s)) {
        throw new GateInputException(
            line(item),
            "a rule is one string such as 'ttft.p99 < 250ms', found a "
                + (item instanceof MappingNode
                    ? "mapping (quote a rule that holds ': ')"
                    : "list"));
      }
      rules.add(GateRule.parse(s.getValue(), line(item)));
    }
    return rules;
  }

  /** The same structure read from JSON, each rule with its line. */
  private static List<GateRule> json(String text) {
    List<GateRule> rules = new ArrayList<>();
    try (JsonParser p = ReportJson.MAPPER.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new GateInputException(jsonLine(p), "expected an object with one key, " + expected());
      }
      boolean seen = false;
      for (String key = p.nextName(); key != null; key = p.nextName()) {
        if (!RULES.equals(key) || seen) {
          throw new GateInputException(
              jsonLine(p),
              (seen ? "a second key '" : "unknown key '") + key + "': the only key is " + RULES);
        }
        seen = true;
        if (p.nextToken() != JsonToken.START_ARRAY) {
          throw new GateInputException(
              jsonLine(p), RULES + " must be a list of rules, " + expected());
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          if (t != JsonToken.VALUE_STRING) {
            throw new GateInputException(
                jsonLine(p), "a rule is one string such as 'ttft.p99 < 250ms', found " + t);
          }
          rules.add(GateRule.parse(p.getString(), jsonLine(p)));
        }
      }
      if (p.nextToken() != null) {
        throw new GateInputException(jsonLine(p), "unexpected content after the object");
      }
    } catch (StreamReadException e) {
      String problem =
          e.getOriginalMessage() == null
              ? ""
              : e.getOriginalMessage().lines().findFirst().orElse("");
      throw new GateInputException(
          e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "not valid JSON (" + Fmt.singleLine(problem) + "): " + expected());
    }
    if (rules.isEmpty()) {
      throw new GateInputException(0, "no rules: " + expected());
    }
    return rules;
  }

  private static int jsonLine(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  private static String expected() {
    return "expected e.g. 'rules: [\"ttft.p99 < 250ms\"]' (see docs/examples/gate.yaml)";
  }
}
