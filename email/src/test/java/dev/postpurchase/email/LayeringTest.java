package dev.postpurchase.email;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The email module talks to core through its API and SPI only, to mail through the Jakarta Mail API only, and parses
 * HTML with jsoup in its internal package only.
 */
class LayeringTest {
    private static final JavaClasses EMAIL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.postpurchase.email");

    @Test
    void dependsOnlyOnCoreApiTheJakartaMailApiAndTheJdk() {
        classes()
                .that()
                .resideInAPackage("dev.postpurchase.email..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.postpurchase.email..",
                        "dev.postpurchase.core",
                        "dev.postpurchase.core.action..",
                        "dev.postpurchase.core.order..",
                        "dev.postpurchase.core.retry..",
                        "dev.postpurchase.core.spi..",
                        "jakarta.mail..",
                        "org.jsoup..",
                        "com.fasterxml.jackson.annotation..",
                        "org.slf4j..",
                        "org.jspecify.annotations..",
                        "java..",
                        "javax.net..")
                .check(EMAIL);
    }

    @Test
    void neverTouchesCoreInternalsOrTheAngusImplementation() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.postpurchase.core.internal..", "org.eclipse.angus..", "com.sun.mail..")
                .check(EMAIL);
    }

    @Test
    void onlyTheInternalHtmlCodeUsesJsoup() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.postpurchase.email.internal..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.jsoup..")
                .check(EMAIL);
    }

    @Test
    void theSpiDoesNotLeakInternals() {
        noClasses()
                .that()
                .resideInAPackage("dev.postpurchase.email.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.postpurchase.email.internal..")
                .check(EMAIL);
    }
}
