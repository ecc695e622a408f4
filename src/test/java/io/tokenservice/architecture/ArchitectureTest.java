package io.tokenservice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

/**
 * The rules the package structure stands on, checked on the compiled classes (ArchUnit): capability packages and
 * their sub-packages without cycles; domain code that knows nothing of HTTP or of how errors look on the wire;
 * configuration that depends on nothing else of ours; a JOSE room that serves every reader of presented JWTs and
 * knows none of them.
 */
class ArchitectureTest {

    static final String ROOT = "io.tokenservice";
    /** Capabilities whose classes decide things (federation without its admin API); only their JAX-RS resources may speak HTTP. */
    static final String[] DOMAIN = {ROOT + ".client..", ROOT + ".key..", ROOT + ".revocation..", ROOT + ".database..",
        ROOT + ".throttle..", ROOT + ".config..", ROOT + ".jose..", ROOT + ".federation"};

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesAndTheirSubPackagesHaveNoCycles() {
        // (**): every package is a slice of its own, client and client.assertion as much as client and token.
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theJoseRoomKnowsNoneOfItsReaders() {
        noClasses().that().resideInAPackage(ROOT + ".jose..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".client..", ROOT + ".token..",
                        ROOT + ".admin..", ROOT + ".federation..", ROOT + ".revocation..", ROOT + ".introspection..",
                        ROOT + ".endpoint..", ROOT + ".error..")
                .check(CLASSES);
    }

    @Test
    void domainCodeDoesNotDependOnJaxRs() {
        noClasses().that().resideInAnyPackage(DOMAIN).and().areNotAnnotatedWith(Path.class)
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(CLASSES);
    }

    @Test
    void domainCodeDoesNotDependOnTheWireErrorTypes() {
        noClasses().that().resideInAnyPackage(DOMAIN).and().areNotAnnotatedWith(Path.class)
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".error..", ROOT + ".endpoint..")
                .check(CLASSES);
    }

    @Test
    void configurationDependsOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".client..", ROOT + ".key..",
                        ROOT + ".token..", ROOT + ".admin..", ROOT + ".revocation..", ROOT + ".database..",
                        ROOT + ".error..", ROOT + ".endpoint..", ROOT + ".discovery..", ROOT + ".introspection..",
                        ROOT + ".health..", ROOT + ".dev..", ROOT + ".throttle..", ROOT + ".observability..",
                        ROOT + ".jose..", ROOT + ".federation..")
                .check(CLASSES);
    }
}
