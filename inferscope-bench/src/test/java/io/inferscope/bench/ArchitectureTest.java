package io.inferscope.bench;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.inferscope.cli.ClientMonitor;
import io.inferscope.cli.Durations;
import io.inferscope.cli.EnumNames;
import io.inferscope.cli.Errors;
import io.inferscope.cli.ExitCodes;
import io.inferscope.cli.JvmChoice;
import io.inferscope.cli.Main;
import io.inferscope.cli.NativeLibraryFolder;
import io.inferscope.cli.Version;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' place in ADR 0001, checked on the compiled classes of every module with the
 * benchmarks among them (inferscope-cli's ArchitectureTest sees the product alone): no product
 * class reaches a benchmark, and the benchmarks use only the few CLI classes made public for them.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.inferscope");
  }

  @Test
  void everyModuleIsPresent() {
    for (String pkg :
        new String[] {"core", "sim", "probe", "sysmon", "report", "otlp", "cli", "bench"}) {
      assertThat(
              classes.stream().anyMatch(c -> c.getPackageName().startsWith("io.inferscope." + pkg)))
          .as("classes of io.inferscope." + pkg + " imported")
          .isTrue();
    }
  }

  @Test
  void noProductClassDependsOnTheBenchmarks() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.inferscope.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.inferscope.bench..")
        .check(classes);
  }

  @Test
  void theBenchmarksUseOnlyTheCliClassesPublishedForThem() {
    classes()
        .that()
        .resideInAPackage("io.inferscope.bench..")
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage("io.inferscope.cli..")
                .or(
                    belongToAnyOf(
                        Main.class,
                        Errors.class,
                        Durations.class,
                        ClientMonitor.class,
                        ExitCodes.class,
                        JvmChoice.class,
                        Version.class,
                        EnumNames.class,
                        NativeLibraryFolder.class)))
        .check(classes);
  }
}
