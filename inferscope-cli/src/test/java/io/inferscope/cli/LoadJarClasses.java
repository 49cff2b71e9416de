package io.inferscope.cli;

import java.io.IOException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads and initializes every class of a jar under the given package prefixes, which verifies each
 * one (run with {@code -Xverify:all}); prints how many. Run by {@link JarIT} in a child JVM whose
 * class path starts with the shaded jar.
 *
 * <p>{@code java -Xverify:all -cp inferscope.jar:test-classes io.inferscope.cli.LoadJarClasses JAR
 * PREFIX}
 */
final class LoadJarClasses {
  private LoadJarClasses() {}

  public static void main(String[] args) throws IOException, ClassNotFoundException {
    int loaded = 0;
    try (JarFile jar = new JarFile(args[0])) {
      for (JarEntry e : jar.stream().toList()) {
        String name = e.getName();
        boolean under = false;
        for (int i = 1; i < args.length; i++) {
          under |= name.startsWith(args[i]);
        }
        if (under && name.endsWith(".class") && !name.endsWith("module-info.class")) {
          Class.forName(
              name.substring(0, name.length() - ".class".length()).replace('/', '.'),
              true,
              LoadJarClasses.class.getClassLoader());
          loaded++;
        }
      }
    }
    System.out.println(loaded);
  }
}
