import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the class files of a jar that are older than Java 6 (major version below 50) as Java 8
 * class files (52) with stack maps, the code unchanged; run at package time on the product jar:
 * {@code java UpgradeOldClassFiles.java JAR}.
 *
 * <p>Why: the JDK's AOT cache does not keep such old classes, so they are parsed and verified at
 * every start. picocli ships Java 5 class files (228 of them): 174 are loaded before the first
 * request, about 50 ms of a 450-500 ms start on two cores (docs/benchmarks.md, "Start-up"). The
 * stack maps come from the JDK's class-file API, and the JVM checks them with its type-checking
 * verifier when the class loads, so a wrong one fails at load time, never silently.
 */
public final class UpgradeOldClassFiles {
  private static final int JAVA_6 = 50;
  private static final int JAVA_8 = 52;

  private UpgradeOldClassFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java UpgradeOldClassFiles.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
    int upgraded = 0;
    // Classes are resolved for stack maps from the jar itself, then from the JDK.
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      ClassHierarchyResolver resolver =
          ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(loader))
              .cached();
      ClassFile cf =
          ClassFile.of(
              ClassFile.ClassHierarchyResolverOption.of(resolver),
              ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
      ClassTransform version =
          (builder, element) -> {
            if (element instanceof ClassFileVersion) {
              builder.withVersion(JAVA_8, 0);
            } else {
              builder.with(element);
            }
          };
      // Each method's code rebuilt, so that its stack maps are generated.
      ClassTransform toJava8 =
          version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
      try (InputStream raw = Files.newInputStream(jar);
          ZipInputStream in = new ZipInputStream(raw);
          OutputStream rawOut = Files.newOutputStream(tmp);
          ZipOutputStream out = new ZipOutputStream(rawOut)) {
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          byte[] bytes = in.readAllBytes();
          if (e.getName().endsWith(".class") && major(bytes) < JAVA_6) {
            bytes = cf.transformClass(cf.parse(bytes), toJava8);
            upgraded++;
          }
          ZipEntry copy = new ZipEntry(e.getName());
          copy.setTime(e.getTime());
          out.putNextEntry(copy);
          out.write(bytes);
          out.closeEntry();
        }
      }
      Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    System.out.println("upgraded " + upgraded + " class files older than Java 6 in " + jar);
  }

  private static int major(byte[] classFile) {
    return classFile.length < 8
        ? Integer.MAX_VALUE
        : (classFile[6] & 0xff) << 8 | classFile[7] & 0xff;
  }
}
