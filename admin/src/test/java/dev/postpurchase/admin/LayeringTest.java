package dev.postpurchase.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The admin module uses core's API and SPI only (never {@code core.internal} nor another integration module), the
 * servlet API, the JDK's HTTP server, Jackson and SLF4J.
 */
class LayeringTest {
    private static final JavaClasses ADMIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.postpurchase.admin");

    @Test
    void dependsOnlyOnCoreApiTheServletApiTheJdkServerJacksonAndSlf4j() {
        classes()
                .that()
                .resideInAPackage("dev.postpurchase.admin..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.postpurchase.admin..",
                        "dev.postpurchase.core",
                        "dev.postpurchase.core.action..",
                        "dev.postpurchase.core.event..",
                        "dev.postpurchase.core.retry..",
                        "dev.postpurchase.core.spi..",
                        "jakarta.servlet..",
                        "com.sun.net.httpserver..",
                        "com.fasterxml.jackson..",
                        "org.slf4j..",
                        "org.jspecify.annotations..",
                        "java..",
                        "javax.crypto..")
                .check(ADMIN);
    }

    @Test
    void onlyTheServletAdapterTouchesTheServletApi() {
        classes()
                .that()
                .resideInAPackage("dev.postpurchase.admin.internal..")
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackage("jakarta.servlet..")
                .check(ADMIN);
    }
}
