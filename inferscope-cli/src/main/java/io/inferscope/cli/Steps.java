package io.inferscope.cli;

import io.inferscope.core.Step;
import io.inferscope.report.StepsFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code --steps-file}: read before anything else, so a bad line is a usage error found first. */
final class Steps {

  private Steps() {}

  static List<Step> read(Path file) {
    try {
      return StepsFile.read(file);
    } catch (NoSuchFileException e) {
      throw Errors.usage("--steps-file: no file " + file);
    } catch (IOException e) {
      throw Errors.usage(
          "--steps-file: cannot read " + file + " (" + Errors.oneLine(e.getMessage()) + ")");
    } catch (IllegalArgumentException e) {
      throw Errors.usage("--steps-file: " + Errors.oneLine(e.getMessage()));
    }
  }
}
