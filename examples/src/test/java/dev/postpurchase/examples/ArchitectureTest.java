package dev.postpurchase.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of the design, checked on the published modules' main classes. */
class ArchitectureTest {
    /** Integration modules: none may depend on another, except on the shared guarded HTTP client. */
    private static final List<String> INTEGRATIONS = List.of("webhook", "email", "kajabi", "systemeio", "jdbc", "http");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(
                        location -> !location.contains("/examples/") && !location.contains("postpurchase-examples"))
                .importPackages("dev.postpurchase");
    }

    @Test
    void coreDependsOnNoOtherModuleOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("dev.postpurchase.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.postpurchase.webhook..",
                        "dev.postpurchase.email..",
                        "dev.postpurchase.kajabi..",
                        "dev.postpurchase.systemeio..",
                        "dev.postpurchase.jdbc..",
                        "dev.postpurchase.http..",
                        "dev.postpurchase.testing..",
                        "dev.postpurchase.examples..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void noModuleUsesCoreInternals() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.postpurchase.core..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.postpurchase.core.internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void integrationModulesDoNotDependOnEachOther() {
        for (String module : INTEGRATIONS) {
            List<String> forbidden = INTEGRATIONS.stream()
                    .filter(other -> !other.equals(module))
                    .filter(other -> !(other.equals("http")
                            && List.of("webhook", "kajabi", "systemeio").contains(module)))
                    .map(other -> "dev.postpurchase." + other + "..")
                    .toList();
            noClasses()
                    .that()
                    .resideInAPackage("dev.postpurchase." + module + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden.toArray(String[]::new))
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void publishedCodeLogsThroughTheSlf4jApiOnly() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.slf4j.simple..", "ch.qos.logback..", "org.apache.logging.log4j.core..")
                .allowEmptyShould(true)
                .check(classes);
    }
}
