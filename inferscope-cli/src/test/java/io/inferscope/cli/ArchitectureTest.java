package io.inferscope.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency direction of ADR 0001, checked on the compiled classes of every product module:
 * core depends on nothing; probe, sysmon, report and otlp depend only on core (and their
 * libraries); only the CLI knows all modules; the simulated engine knows none; none holds or
 * reaches the benchmarks (inferscope-bench, which has its own ArchitectureTest).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.inferscope");
  }

  @Test
  void everyModuleIsPresent() {
    for (String pkg : new String[] {"core", "sim", "probe", "sysmon", "report", "otlp", "cli"}) {
      org.assertj.core.api.Assertions.assertThat(
              classes.stream().anyMatch(c -> c.getPackageName().startsWith("io.inferscope." + pkg)))
          .as("classes of io.inferscope." + pkg + " imported")
          .isTrue();
    }
  }

  @Test
  void coreUsesOnlyTheJdkBase() {
    classes()
        .that()
        .resideInAPackage("io.inferscope.core..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.inferscope.core..", "java.lang..", "java.util..", "java.time..")
        .check(classes);
  }

  @Test
  void probeDependsOnlyOnCore() {
    noClasses()
        .that()
        .resideInAPackage("io.inferscope.probe..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.inferscope.sysmon..",
            "io.inferscope.report..",
            "io.inferscope.otlp..",
            "io.inferscope.cli..",
            "io.inferscope.sim..")
        .check(classes);
  }

  @Test
  void sysmonDependsOnlyOnCore() {
    noClasses()
        .that()
        .resideInAPackage("io.inferscope.sysmon..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.inferscope.probe..",
            "io.inferscope.report..",
            "io.inferscope.otlp..",
            "io.inferscope.cli..",
            "io.inferscope.sim..")
        .check(classes);
  }

  @Test
  void reportDependsOnlyOnCore() {
    noClasses()
        .that()
        .resideInAPackage("io.inferscope.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.inferscope.probe..",
            "io.inferscope.sysmon..",
            "io.inferscope.otlp..",
            "io.inferscope.cli..",
            "io.inferscope.sim..")
        .check(classes);
  }

  /** OTLP export renders a run as the report does: from core's analysis, reaching no sibling. */
  @Test
  void otlpDependsOnlyOnCore() {
    noClasses()
        .that()
        .resideInAPackage("io.inferscope.otlp..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.inferscope.probe..",
            "io.inferscope.sysmon..",
            "io.inferscope.report..",
            "io.inferscope.cli..",
            "io.inferscope.sim..")
        .check(classes);
  }

  @Test
  void simIsStandalone() {
    classes()
        .that()
        .resideInAPackage("io.inferscope.sim..")
        .should()
        .onlyDependOnClassesThat()
        .resideOutsideOfPackages(
            "io.inferscope.core..",
            "io.inferscope.probe..",
            "io.inferscope.sysmon..",
            "io.inferscope.report..",
            "io.inferscope.otlp..",
            "io.inferscope.cli..")
        .check(classes);
  }

  @Test
  void noProductClassIsOrReachesABenchmark() {
    noClasses()
        .should()
        .resideInAPackage("io.inferscope.bench..")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.inferscope.bench..")
        .check(classes);
  }

  @Test
  void nothingDependsOnTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.inferscope.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.inferscope.cli..")
        .check(classes);
  }
}
