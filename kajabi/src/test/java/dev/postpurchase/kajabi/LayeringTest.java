package dev.postpurchase.kajabi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module uses core's and the HTTP module's API only, no other integration module, and only allowed libraries. */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importLocations(List.of(Location.of(
                    KajabiWebhooks.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void dependsOnNoOtherIntegrationModuleAndNoInternals() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.postpurchase.webhook..",
                        "dev.postpurchase.email..",
                        "dev.postpurchase.systemeio..",
                        "dev.postpurchase.jdbc..",
                        "dev.postpurchase.core.internal..",
                        "dev.postpurchase.http.internal..")
                .check(CLASSES);
    }

    @Test
    void usesOnlyTheAllowedLibraries() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "dev.postpurchase.kajabi..",
                        "dev.postpurchase.core..",
                        "dev.postpurchase.http..",
                        "com.fasterxml.jackson..",
                        "okhttp3",
                        "org.slf4j..",
                        "org.jspecify..")
                .check(CLASSES);
    }
}
