package io.inferscope.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of a gate's thresholds file, as written: {@code ttft.p99 < 250ms}, {@code completeness
 * >= 99.5%}, {@code ttft.p99 <= baseline * 1.10}, {@code gpu.power.mean? < 400}. The path is
 * resolved against the report's figures by {@link Gate#compile}, which also checks the limit's unit
 * against the figure's.
 *
 * @param text the rule as written
 * @param line its line in the thresholds file (1-based)
 * @param path the figure's path as written, without the optional mark
 * @param optional {@code ?} after the path: a figure the run lacks skips the rule instead of
 *     failing it
 * @param op the comparison
 * @param limit what the figure is compared with
 */
public record GateRule(String text, int line, String path, boolean optional, Op op, Limit limit) {

  /** The comparisons, longest symbol first for the parser. */
  public enum Op {
    LE("<="),
    GE(">="),
    EQ("=="),
    NE("!="),
    LT("<"),
    GT(">");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** Whether {@code measured op limit} holds. */
    public boolean test(double measured, double limit) {
      return switch (this) {
        case LT -> measured < limit;
        case LE -> measured <= limit;
        case GT -> measured > limit;
        case GE -> measured >= limit;
        case EQ -> measured == limit;
        case NE -> measured != limit;
      };
    }
  }

  /** The unit a limit was written in. */
  public enum Unit {
    NONE(""),
    NS("ns"),
    US("us"),
    MS("ms"),
    S("s"),
    PERCENT("%");

    private final String symbol;

    Unit(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** Nanoseconds in one of this unit, or 0 when it is no unit of time. */
    double nanos() {
      return switch (this) {
        case NS -> 1;
        case US -> 1e3;
        case MS -> 1e6;
        case S -> 1e9;
        default -> 0;
      };
    }
  }

  /**
   * A number and the unit it was written in.
   *
   * @param number as written
   * @param unit as written
   */
  public record Quantity(double number, Unit unit) {
    @Override
    public String toString() {
      String n = GateFormat.plain(number);
      return unit == Unit.NONE ? n : n + unit.symbol();
    }
  }

  /** What a figure is compared with. */
  public sealed interface Limit {}

  /**
   * A fixed limit: {@code 250ms}.
   *
   * @param value the limit
   */
  public record Fixed(Quantity value) implements Limit {}

  /**
   * The same figure of a baseline run, scaled or shifted: {@code baseline}, {@code baseline * 1.1},
   * {@code baseline + 20ms}, {@code baseline - 1%}; with {@code significant} after it, a run past
   * the limit fails only when {@code inferscope compare} also calls it a regression beyond
   * run-to-run noise (ADR 0015, ADR 0016).
   *
   * @param factor what the baseline is multiplied by (1 when not given)
   * @param offset what is added to it (negative for {@code -}), or null
   * @param significant whether a failure must also be a significant regression
   */
  public record Baseline(double factor, Quantity offset, boolean significant) implements Limit {}

  /** The word after a baseline limit that asks for significance. */
  static final String SIGNIFICANT = "significant";

  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.\\[\\]*-]+");
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?");
  private static final Pattern UNIT = Pattern.compile("\\s*(ns|us|µs|ms|s|%)(?![A-Za-z0-9_])");

  /**
   * Parses one rule.
   *
   * @param text the rule
   * @param line its line in the file
   * @throws GateInputException naming what was expected where
   */
  public static GateRule parse(String text, int line) {
    return new Parser(text, line).rule();
  }

  /** A hand-written reader: each error says what was expected at which point of the rule. */
  private static final class Parser {
    private final String text;
    private final int line;
    private int at;

    Parser(String text, int line) {
      this.text = text;
      this.line = line;
    }

    GateRule rule() {
      skipSpace();
      Matcher p = PATH.matcher(text).region(at, text.length());
      if (!p.lookingAt()) {
        throw error("expected a figure's path first, such as ttft.p99, found " + next());
      }
      String path = p.group();
      at = p.end();
      boolean optional = text.startsWith("?", at);
      if (optional) {
        at++;
      }
      skipSpace();
      Op op = null;
      for (Op o : Op.values()) {
        if (text.startsWith(o.symbol(), at)) {
          op = o;
          at += o.symbol().length();
          break;
        }
      }
      if (op == null) {
        throw error(
            "expected a comparison (<, <=, >, >=, ==, !=) after "
                + path
                + (optional ? "?" : "")
                + ", found "
                + next());
      }
      skipSpace();
      Limit limit = text.startsWith("baseline", at) ? baseline() : new Fixed(quantity("a limit"));
      skipSpace();
      if (word(SIGNIFICANT)) {
        if (!(limit instanceof Baseline b)) {
          throw error(
              "significant compares with a baseline run: write it after a baseline limit, e.g. "
                  + path
                  + " "
                  + op.symbol()
                  + " baseline * 1.10 significant");
        }
        at += SIGNIFICANT.length();
        limit = new Baseline(b.factor(), b.offset(), true);
        skipSpace();
      }
      if (at < text.length()) {
        throw error("unexpected " + next() + " after the limit");
      }
      return new GateRule(text.strip(), line, path, optional, op, limit);
    }

    private Limit baseline() {
      at += "baseline".length();
      skipSpace();
      if (at >= text.length() || word(SIGNIFICANT)) {
        return new Baseline(1, null, false);
      }
      char c = text.charAt(at);
      if (c == '*') {
        at++;
        skipSpace();
        Quantity f = quantity("a factor after baseline *");
        if (f.unit() != Unit.NONE) {
          throw error("a factor is a plain number, such as baseline * 1.10, found " + f);
        }
        return new Baseline(f.number(), null, false);
      }
      if (c == '+' || c == '-') {
        at++;
        skipSpace();
        Quantity d = quantity("an amount after baseline " + c);
        return new Baseline(1, c == '-' ? new Quantity(-d.number(), d.unit()) : d, false);
      }
      throw error("expected *, + or - after baseline, found " + next());
    }

    private Quantity quantity(String what) {
      Matcher n = NUMBER.matcher(text).region(at, text.length());
      if (!n.lookingAt()) {
        throw error(
            "expected "
                + what
                + ": a number with an optional unit (ns, us, ms, s, %) or baseline, found "
                + next());
      }
      double number = Double.parseDouble(n.group());
      at = n.end();
      Matcher u = UNIT.matcher(text).region(at, text.length());
      Unit unit = Unit.NONE;
      if (u.lookingAt()) {
        unit =
            switch (u.group(1)) {
              case "ns" -> Unit.NS;
              case "us", "µs" -> Unit.US;
              case "ms" -> Unit.MS;
              case "s" -> Unit.S;
              default -> Unit.PERCENT;
            };
        at = u.end();
      }
      if (!Double.isFinite(number)) {
        throw error("the number " + n.group() + " is too large");
      }
      return new Quantity(number, unit);
    }

    /** Whether {@code w} comes next as a whole word. */
    private boolean word(String w) {
      int end = at + w.length();
      return text.startsWith(w, at)
          && (end == text.length() || Character.isWhitespace(text.charAt(end)));
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    /** The next word, quoted, or "the end of the rule". */
    private String next() {
      if (at >= text.length()) {
        return "the end of the rule";
      }
      int end = at;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      return "'" + text.substring(at, end) + "'";
    }

    private GateInputException error(String problem) {
      return new GateInputException(line, "rule '" + text.strip() + "': " + problem);
    }
  }

  /** Whether the limit reads the baseline run. */
  public boolean needsBaseline() {
    return limit instanceof Baseline;
  }
}
