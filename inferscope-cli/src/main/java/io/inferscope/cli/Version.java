package io.inferscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * inferscope's version, the commit it was built from and when: written into version.properties by
 * the build (the commit as git saw it then, see the module's pom).
 */
public final class Version {
  /** What --version says of a part the build could not know. */
  static final String UNKNOWN = "unknown";

  private Version() {}

  /** The build's three facts; each is {@link #UNKNOWN} when the build could not know it. */
  record Info(String version, String commit, String buildTime) {
    /**
     * The first line of --version, e.g. {@code inferscope 0.1.0 (commit 0123456789ab, built ...)}.
     */
    String line() {
      return "inferscope " + version + " (commit " + commit + ", built " + buildTime + ")";
    }
  }

  public static String get() {
    return info().version();
  }

  static Info info() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return from(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Info from(Properties p) {
    return new Info(value(p, "version"), value(p, "git.commit"), value(p, "build.time"));
  }

  /** Missing, blank, or still a Maven placeholder (a build that did not filter the file). */
  private static String value(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null || v.isBlank() || v.contains("${") ? UNKNOWN : v.strip();
  }

  /** Feeds {@code --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        info().line(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
