package io.taskmill.arch;

import static com.tngtech.archunit.core.domain.JavaModifier.PUBLIC;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.taskmill.TaskmillBuilder;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core knows nothing of SQL, HTTP or how it is stored; only the SPI faces persistence. */
class DependencyRulesTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.taskmill");

  @Test
  void coreUsesNoSqlHttpOrJavaSerialization() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "java.net.http..",
            "org.h2..",
            "org.postgresql..",
            "com.zaxxer..",
            "org.flywaydb..",
            "org.eclipse.jetty..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectInputStream")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectOutputStream")
        .check(CORE);
  }

  /**
   * What an application calls on {@code io.taskmill} speaks only the public packages: no public
   * member of a public type there takes or returns a type of the SPI or of the engine's insides,
   * also not as a type argument, so neither can change under an application. The one exception is
   * the plug: {@code TaskmillBuilder.store(Store)} takes a store someone implemented.
   */
  @Test
  void thePublicApiExposesNoSpiOrInternalType() {
    var leaks = new ArrayList<String>();
    for (JavaClass c : CORE) {
      if (!c.getPackageName().equals("io.taskmill") || !c.getModifiers().contains(PUBLIC)) {
        continue;
      }
      Class<?> type = c.reflect();
      for (Method m : type.getMethods()) {
        if (!m.getDeclaringClass().getPackageName().startsWith("io.taskmill")
            || type == TaskmillBuilder.class && m.getName().equals("store")) {
          continue;
        }
        var used = new ArrayList<Type>(List.of(m.getGenericParameterTypes()));
        used.add(m.getGenericReturnType());
        used.addAll(List.of(m.getGenericExceptionTypes()));
        used.forEach(
            t ->
                hidden(t)
                    .forEach(
                        h -> leaks.add(type.getSimpleName() + "." + m.getName() + " uses " + h)));
      }
      for (Constructor<?> k : type.getConstructors()) {
        for (Type t : k.getGenericParameterTypes()) {
          hidden(t).forEach(h -> leaks.add(type.getSimpleName() + "() uses " + h));
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  /** The SPI and internal classes named in {@code t}, its type arguments included. */
  private static List<String> hidden(Type t) {
    var found = new ArrayList<String>();
    switch (t) {
      case Class<?> k when k.isArray() -> found.addAll(hidden(k.getComponentType()));
      case Class<?> k -> {
        String pkg = k.getPackageName();
        if (pkg.startsWith("io.taskmill.spi") || pkg.startsWith("io.taskmill.internal")) {
          found.add(k.getName());
        }
      }
      case ParameterizedType p -> {
        found.addAll(hidden(p.getRawType()));
        for (Type a : p.getActualTypeArguments()) {
          found.addAll(hidden(a));
        }
      }
      case WildcardType w -> {
        for (Type b : w.getUpperBounds()) {
          found.addAll(hidden(b));
        }
        for (Type b : w.getLowerBounds()) {
          found.addAll(hidden(b));
        }
      }
      case GenericArrayType g -> found.addAll(hidden(g.getGenericComponentType()));
      default -> {} // a type variable: its bounds are the declaring member's business
    }
    return found;
  }

  /**
   * Each package of core depends on others one way only: the facades of {@code io.taskmill} on the
   * engine, the engine on the SPI and the domain packages, and those on nothing above them; so a
   * package can be understood, tested and moved without the ones that use it.
   */
  @Test
  void corePackagesFormNoCycle() {
    var byPackage =
        new SliceAssignment() {
          @Override
          public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
          }

          @Override
          public String getDescription() {
            return "core's packages, each on its own";
          }
        };
    slices().assignedFrom(byPackage).should().beFreeOfCycles().check(CORE);
  }

  @Test
  void publicPackagesDoNotReachIntoEachOthersInternalsExceptTheBuilder() {
    noClasses()
        .that()
        .resideInAnyPackage("io.taskmill.job..", "io.taskmill.spi..", "io.taskmill.schedule..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.taskmill.internal..")
        .check(CORE);
  }

  /**
   * The engine's decisions over the store's transactions (claim, completion, rescue, release,
   * promotion, retention, a user's cancel and retry, tick writing) stand on the SPI and the domain
   * alone, not on the engine around them, so the contract suite runs them on every store.
   */
  @Test
  void storeDecisionsStandOnTheSpiAndTheDomain() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.taskmill.internal.lease..",
            "io.taskmill.internal.dispatch..",
            "io.taskmill.internal.control..",
            "io.taskmill.internal.leader..",
            "io.taskmill.internal.schedule..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.taskmill.internal")
        .check(CORE);
  }

  /**
   * Cron evaluation is ours (docs/schedules.md); cron-utils is a test oracle, never a dependency.
   */
  @Test
  void cronIsEvaluatedByOurOwnCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.cronutils..", "org.springframework..", "org.quartz..")
        .check(CORE);
  }

  /**
   * Schedule time logic is pure: it reads no clock and knows nothing of the engine or store, only
   * the JDK and the job vocabulary its records name (job ids and states).
   */
  @Test
  void scheduleLogicDependsOnTheJdkAndJobTypesOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.taskmill.schedule..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("java..", "io.taskmill.schedule..", "io.taskmill.job..")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .check(CORE);
  }

  /**
   * API keys and audit entries are plain data and pure functions: the JDK only, and no clock read
   * (times come from the engine's clock through parameters).
   */
  @Test
  void accessDependsOnTheJdkOnlyAndReadsNoClock() {
    noClasses()
        .that()
        .resideInAPackage("io.taskmill.access..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("java..", "io.taskmill.access..")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .check(CORE);
  }
}
