package io.taskmill.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core knows nothing of SQL, HTTP or how it is stored; only the SPI faces persistence. */
class DependencyRulesTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.taskmill");

  @Test
  void coreUsesNoSqlHttpOrJavaSerialization() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "java.sql..", "javax.sql..", "java.net.http..", "org.h2..", "org.postgresql..",
            "com.zaxxer..", "org.flywaydb..", "org.eclipse.jetty..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectOutputStream")
        .check(CORE);
  }

  @Test
  void publicPackagesDoNotReachIntoEachOthersInternalsExceptTheBuilder() {
    noClasses().that().resideInAnyPackage("io.taskmill.job..", "io.taskmill.spi..",
            "io.taskmill.schedule..")
        .should().dependOnClassesThat().resideInAPackage("io.taskmill.internal..")
        .check(CORE);
  }

  /**
   * The engine's decisions over the store's transactions (claim, completion, rescue, release,
   * promotion, retention, a user's cancel and retry) stand on the SPI and the domain alone, not on the engine around them, so the
   * contract suite runs them on every store.
   */
  @Test
  void storeDecisionsStandOnTheSpiAndTheDomain() {
    noClasses().that().resideInAnyPackage("io.taskmill.internal.lease..",
            "io.taskmill.internal.dispatch..", "io.taskmill.internal.control..",
            "io.taskmill.internal.leader..")
        .should().dependOnClassesThat().resideInAPackage("io.taskmill.internal")
        .check(CORE);
  }

  /** Cron evaluation is ours (docs/schedules.md); cron-utils is a test oracle, never a dependency. */
  @Test
  void cronIsEvaluatedByOurOwnCode() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "com.cronutils..", "org.springframework..", "org.quartz..")
        .check(CORE);
  }

  /**
   * Schedule time logic is pure: it reads no clock and knows nothing of the engine or store, only
   * the JDK and the job vocabulary its records name (job ids and states).
   */
  @Test
  void scheduleLogicDependsOnTheJdkAndJobTypesOnly() {
    noClasses().that().resideInAPackage("io.taskmill.schedule..")
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.taskmill.schedule..",
            "io.taskmill", "io.taskmill.job..")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(java.lang.System.class, "currentTimeMillis")
        .check(CORE);
  }

  /**
   * API keys and audit entries are plain data and pure functions: the JDK only, and no clock read
   * (times come from the engine's clock through parameters).
   */
  @Test
  void accessDependsOnTheJdkOnlyAndReadsNoClock() {
    noClasses().that().resideInAPackage("io.taskmill.access..")
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.taskmill.access..")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(java.lang.System.class, "currentTimeMillis")
        .check(CORE);
  }
}
