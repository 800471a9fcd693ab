package dev.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of DESIGN.md, enforced: only the desktop app knows JavaFX, and nothing below it knows the app. */
class ArchitectureTest {
    private static JavaClasses ferry;

    @BeforeAll
    static void importClasses() {
        // test classes are not the product (and the build folder may be moved, so match any test-classes folder)
        ImportOption productOnly = location -> !location.contains("/test-classes/");
        ferry = new ClassFileImporter().withImportOption(productOnly).importPackages("dev.ferry");
    }

    @Test
    void onlyTheDesktopAppUsesJavaFx() {
        noClasses().that().resideOutsideOfPackage("dev.ferry.app..").and().doNotHaveFullyQualifiedName("dev.ferry.Ferry")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "com.sun.javafx..")
                .because("the engine, the storage layer, profiles and the command line run without a display")
                .check(ferry);
    }

    @Test
    void theEngineDoesNotKnowItsFrontEnds() {
        noClasses().that().resideInAnyPackage("dev.ferry.storage..", "dev.ferry.transfer..", "dev.ferry.profiles..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ferry.app..", "dev.ferry.cli..")
                .because("the app and the command line drive the engine, never the other way round")
                .check(ferry);
    }

    @Test
    void storageKnowsNothingOfTransfers() {
        noClasses().that().resideInAPackage("dev.ferry.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ferry.transfer..")
                .check(ferry);
    }
}
