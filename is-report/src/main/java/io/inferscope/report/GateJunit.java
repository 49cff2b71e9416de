package io.inferscope.report;

import java.io.StringWriter;
import java.nio.file.Path;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A gate's result as JUnit XML, which CI systems show as tests: one test suite, one test case per
 * rule (named by the rule), a failure carrying the measured value, the limit and the rule.
 */
public final class GateJunit {
  private GateJunit() {}

  public static String render(GateResult r) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      x.writeStartDocument("UTF-8", "1.0");
      nl(x, 0);
      String tests = Integer.toString(r.outcomes().size());
      String failures = Long.toString(r.count(GateResult.Status.FAIL));
      String skipped = Long.toString(r.count(GateResult.Status.SKIPPED));
      x.writeStartElement("testsuites");
      counts(x, "inferscope gate", tests, failures, skipped);
      nl(x, 1);
      x.writeStartElement("testsuite");
      counts(x, "inferscope gate: " + r.thresholds(), tests, failures, skipped);
      nl(x, 2);
      x.writeStartElement("properties");
      property(x, "run", r.run());
      property(x, "thresholds", r.thresholds());
      if (r.baseline() != null) {
        property(x, "baseline", r.baseline());
      }
      nl(x, 2);
      x.writeEndElement();
      String classname = classname(r.thresholds());
      for (GateResult.Outcome o : r.outcomes()) {
        nl(x, 2);
        x.writeStartElement("testcase");
        x.writeAttribute("name", o.rule().text());
        x.writeAttribute("classname", classname);
        x.writeAttribute("time", "0");
        String values = "measured " + o.measuredText() + ", limit " + o.limitText();
        switch (o.status()) {
          case PASS -> {
            nl(x, 3);
            x.writeStartElement("system-out");
            x.writeCharacters(
                values
                    + "\nfigure: "
                    + o.path()
                    + "\n"
                    + (o.significance() == null ? "" : o.significance() + "\n"));
            x.writeEndElement();
          }
          case FAIL -> {
            nl(x, 3);
            x.writeStartElement("failure");
            x.writeAttribute(
                "message",
                o.reason() != null
                    ? "not measured: " + o.reason()
                    : o.significance() == null ? values : values + "; " + o.significance());
            x.writeAttribute("type", o.reason() == null ? "threshold" : "missing figure");
            x.writeCharacters(details(r, o));
            x.writeEndElement();
          }
          case SKIPPED -> {
            nl(x, 3);
            x.writeEmptyElement("skipped");
            x.writeAttribute("message", "optional rule, not measured: " + o.reason());
          }
        }
        nl(x, 2);
        x.writeEndElement();
      }
      nl(x, 1);
      x.writeEndElement();
      nl(x, 0);
      x.writeEndElement();
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e); // to a string: cannot fail
    }
    return out + "\n";
  }

  private static String details(GateResult r, GateResult.Outcome o) {
    return "rule: "
        + o.rule().text()
        + " ("
        + r.thresholds()
        + " line "
        + o.rule().line()
        + ")\nfigure: "
        + o.path()
        + "\nmeasured: "
        + o.measuredText()
        + (o.reason() == null ? "" : " (" + o.reason() + ")")
        + "\nlimit: "
        + o.limitText()
        + "\n"
        + (o.significance() == null ? "" : "significance: " + o.significance() + "\n");
  }

  private static String classname(String thresholds) {
    Path name = Path.of(thresholds).getFileName();
    return "inferscope.gate." + (name == null ? thresholds : name.toString());
  }

  private static void counts(
      XMLStreamWriter x, String name, String tests, String failures, String skipped)
      throws XMLStreamException {
    x.writeAttribute("name", name);
    x.writeAttribute("tests", tests);
    x.writeAttribute("failures", failures);
    x.writeAttribute("errors", "0");
    x.writeAttribute("skipped", skipped);
    x.writeAttribute("time", "0");
  }

  private static void property(XMLStreamWriter x, String name, String value)
      throws XMLStreamException {
    nl(x, 3);
    x.writeEmptyElement("property");
    x.writeAttribute("name", name);
    x.writeAttribute("value", value);
  }

  private static void nl(XMLStreamWriter x, int depth) throws XMLStreamException {
    x.writeCharacters("\n" + "  ".repeat(depth));
  }
}
