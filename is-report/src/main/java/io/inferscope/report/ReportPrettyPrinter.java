package io.inferscope.report;

import java.util.Arrays;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.util.Instantiatable;

/**
 * The report document's layout: objects one field a line, arrays on one line ({@code [ 1, 2 ]}),
 * with "\n" line ends whatever the platform. One addition: an array named in {@link #ROWS_ARRAYS}
 * puts each element on its own line, and an object element of it is written whole on that line.
 * Samples, requests' figures and processes use it: a field a line would spend a dozen lines on
 * every process of every sample.
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

  /** Arrays laid out a row per element, by their property name. */
  static final Set<String> ROWS_ARRAYS =
      Set.of("samples", "processes", "gpu_devices", "per_request", "phases", "findings");

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
    if (parent != INLINE && parent != ROWS && ROWS_ARRAYS.contains(arrayName(g))) {
      push(ROWS);
      level++;
    } else {
      // Inside a row everything stays on the row's line.
      push(parent == INLINE || parent == ROWS ? INLINE : ARRAY);
    }
  }

  /** The property name of the array just started, or null at the top level. */
  private static String arrayName(JsonGenerator g) {
    TokenStreamContext array = g.streamWriteContext();
    TokenStreamContext parent = array == null ? null : array.getParent();
    return parent == null ? null : parent.currentName();
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
