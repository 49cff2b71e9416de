package io.inferscope.report;

import java.util.Arrays;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.util.Instantiatable;

/**
 * The report document's layout: objects one field a line, arrays on one line ({@code [ 1, 2 ]}),
 * with "\n" line ends whatever the platform. One addition: an array the writer marks with {@link
 * #rows} puts each element on its own line, and an object element of it is written whole on that
 * line. Hardware samples use it: a field a line would spend a dozen lines on every process of every
 * sample.
 *
 * <p>Holds the nesting of the document being written, so each generator gets its own instance
 * ({@link Instantiatable}).
 */
final class ReportPrettyPrinter implements PrettyPrinter, Instantiatable<ReportPrettyPrinter> {

  private static final byte OBJECT = 0;
  private static final byte ARRAY = 1;
  private static final byte ROWS = 2;
  private static final byte INLINE = 3;

  private byte[] open = new byte[16];
  private int depth;

  /** Containers on lines of their own: the indentation level. */
  private int level;

  private boolean rowsNext;

  /**
   * Lays out the next array {@code g} starts as rows. Does nothing when {@code g} does not use this
   * layout (a compact generator, say), so writers may call it whatever generator they were given.
   */
  static void rows(JsonGenerator g) {
    if (g.getPrettyPrinter() instanceof ReportPrettyPrinter p) {
      p.rowsNext = true;
    }
  }

  @Override
  public ReportPrettyPrinter createInstance() {
    return new ReportPrettyPrinter();
  }

  @Override
  public void writeRootValueSeparator(JsonGenerator g) {
    g.writeRaw(' ');
  }

  @Override
  public void writeStartObject(JsonGenerator g) {
    g.writeRaw('{');
    byte parent = top();
    if (parent == ROWS || parent == INLINE) {
      push(INLINE);
    } else {
      push(OBJECT);
      level++;
    }
  }

  @Override
  public void beforeObjectEntries(JsonGenerator g) {
    if (top() == OBJECT) {
      newLine(g);
    }
  }

  @Override
  public void writeObjectNameValueSeparator(JsonGenerator g) {
    g.writeRaw(": ");
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator g) {
    if (top() == OBJECT) {
      g.writeRaw(',');
      newLine(g);
    } else {
      g.writeRaw(", ");
    }
  }

  @Override
  public void writeEndObject(JsonGenerator g, int entries) {
    if (pop() == OBJECT) {
      level--;
      if (entries > 0) {
        newLine(g);
      } else {
        g.writeRaw(' ');
      }
    } else if (entries == 0) {
      g.writeRaw(' ');
    }
    g.writeRaw('}');
  }

  @Override
  public void writeStartArray(JsonGenerator g) {
    g.writeRaw('[');
    byte parent = top();
    if (rowsNext && parent != INLINE && parent != ROWS) {
      push(ROWS);
      level++;
    } else {
      // Inside a row everything stays on the row's line.
      push(parent == INLINE || parent == ROWS ? INLINE : ARRAY);
    }
    rowsNext = false;
  }

  @Override
  public void beforeArrayValues(JsonGenerator g) {
    if (top() == ROWS) {
      newLine(g);
    } else {
      g.writeRaw(' ');
    }
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator g) {
    g.writeRaw(',');
    if (top() == ROWS) {
      newLine(g);
    } else {
      g.writeRaw(' ');
    }
  }

  @Override
  public void writeEndArray(JsonGenerator g, int values) {
    if (pop() == ROWS) {
      level--;
      if (values > 0) {
        newLine(g);
      } else {
        g.writeRaw(' ');
      }
    } else {
      g.writeRaw(' ');
    }
    g.writeRaw(']');
  }

  private void newLine(JsonGenerator g) {
    g.writeRaw('\n');
    for (int i = 0; i < level; i++) {
      g.writeRaw("  ");
    }
  }

  private byte top() {
    return depth == 0 ? OBJECT : open[depth - 1];
  }

  private void push(byte kind) {
    if (depth == open.length) {
      open = Arrays.copyOf(open, depth * 2);
    }
    open[depth++] = kind;
  }

  private byte pop() {
    return open[--depth];
  }
}
