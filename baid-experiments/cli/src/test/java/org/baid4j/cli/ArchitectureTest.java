package org.baid4j.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The dependency graph the layout promises: no package cycles, the CLI on top, the engine below the tasks. */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))   // the modules' shared test kits
            .importPackages("org.baid4j");

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("org.baid4j.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theLibraryNeverCallsTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("org.baid4j.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.baid4j.cli..").check(MAIN);
    }

    @Test
    void theEngineKnowsNoTaskAndTheTasksWriteNoReport() {
        noClasses().that().resideInAPackage("org.baid4j.training.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.baid4j.training.saan..",
                        "org.baid4j.training.pretraining..", "org.baid4j.studies..",
                        "org.baid4j.training.report..", "org.baid4j.weights..", "org.baid4j.data..")
                .check(MAIN);
        noClasses().that().resideInAnyPackage("org.baid4j.training.saan..", "org.baid4j.training.pretraining..")
                .should().dependOnClassesThat().resideInAPackage("org.baid4j.training.report..").check(MAIN);
        noClasses().that().resideInAPackage("org.baid4j.training.pretraining..")
                .should().dependOnClassesThat().resideInAPackage("org.baid4j.training.saan..").check(MAIN);
    }

    @Test
    void theTpeSamplerKnowsNothingOfSaan() {
        noClasses().that().resideInAPackage("org.baid4j.tuning..")
                .should().dependOnClassesThat().resideInAnyPackage("org.baid4j.training.saan..",
                        "org.baid4j.studies.sweep..", "org.baid4j.studies..", "org.baid4j.training.engine..",
                        "org.baid4j.core..", "org.baid4j.data..")
                .check(MAIN);
    }

    @Test
    void theScoringFrontDoorDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage("org.baid4j.scoring..")
                .should().dependOnClassesThat().resideInAnyPackage("org.baid4j.training..", "org.baid4j.studies..",
                        "org.baid4j.tuning..", "org.baid4j.spark..")
                .check(MAIN);
    }

    /** The model is the paper's figure; how a backend runs it is the plan's (docs/architecture.md). */
    @Test
    void theModelDeclaresNoKernelAndNoLayout() {
        noClasses().that().resideInAnyPackage("org.baid4j.core.model..", "org.baid4j.core.layers..")
                .should().dependOnClassesThat().resideInAnyPackage("org.baid4j.core.plan.layers..", "org.baid4j.core.plan.onednn..")
                .check(MAIN);
        noClasses().that().resideOutsideOfPackage("org.baid4j.core.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("org.baid4j.core.plan.layers..", "org.baid4j.core.plan.onednn..")
                .check(MAIN);
    }

    @Test
    void onlyTheCommandLineParsesOptions() {
        noClasses().that().resideOutsideOfPackage("org.baid4j.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(MAIN);
    }

    @Test
    void libraryModulesLogThroughSlf4jOnly() {
        noClasses().that().resideOutsideOfPackage("org.baid4j.cli..")
                .should().dependOnClassesThat().resideInAPackage("ch.qos.logback..").check(MAIN);
    }
}
