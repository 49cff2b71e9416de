package io.inferscope.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The bench jar's command line in-process, its output captured. */
final class BenchCli {
  private BenchCli() {}

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = BenchMain.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
