package io.taskmill.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.taskmill.spi.Store;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The server reaches persistence only through core's API (jobs, queues, cluster, schedules,
 * access), so every rule the engine keeps holds for a request too: it opens and closes the store it
 * hands to the engine, and never reads or writes through it.
 */
class OneRoadTest {
  private static final JavaClasses SERVER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.taskmill.server");

  @Test
  void onlyTheServerItselfTouchesTheStoreAndOnlyToCloseIt() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(TaskmillServer.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.taskmill.spi..")
        .check(SERVER);
    noClasses()
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a Store method other than close",
                (JavaCall<?> call) ->
                    call.getTargetOwner().isAssignableTo(Store.class)
                        && !Set.of("close").contains(call.getName())))
        .check(SERVER);
  }
}
