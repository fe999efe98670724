package io.meshgw.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.meshgw.bgp.archfixture.ForbiddenImportFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module boundaries of ../shared/DESIGN.md as executable rules. The gateway sees every module
 * on its classpath, so the rules live here and check all of them at once.
 */
class ModuleBoundariesTest {

    private static final String QUARKUS = "io.quarkus..";
    private static final String FABRIC8 = "io.fabric8..";
    private static final String KAFKA = "org.apache.kafka..";
    private static final String BGP = "io.meshgw.bgp..";
    private static final String BPF = "io.meshgw.bpf..";
    private static final String MESH = "io.meshgw.mesh..";
    private static final String OPERATOR = "io.meshgw.operator..";
    private static final String GATEWAY = "io.meshgw.gateway..";
    private static final String TYPES = "io.meshgw.types..";
    private static final String NETTY = "io.netty..";
    private static final String KUBERNETES_CLIENT = "io.fabric8.kubernetes.client.Client";
    private static final String API_TYPES = "io.meshgw.gateway.api.v1..";
    private static final String CLI = "io.meshgw.gateway.cli..";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // The operator's and mesh-sync's test-jars are on the classpath for the port contracts.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.meshgw");

    static Stream<ArchRule> rules() {
        return Stream.of(
                noClasses()
                        .that()
                        .resideInAPackage(BGP)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(QUARKUS, FABRIC8, KAFKA, BPF, MESH, OPERATOR, GATEWAY)
                        .because("bgp-speaker is a plain Java library (Netty/Vert.x only): put framework or"
                                + " cross-module code in the gateway, which wires bgp-speaker to the rest"
                                + " through bgp-speaker's own API")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage(BPF)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(QUARKUS, FABRIC8, KAFKA, BGP, MESH, OPERATOR, GATEWAY)
                        .because("bpf-tc owns only the datapath (BPF programs, libbpf, FFM, maps): express"
                                + " what it needs as bpf-tc types and let the gateway translate into them")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage(MESH)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(QUARKUS, FABRIC8, BPF, BGP, OPERATOR, GATEWAY)
                        .because("mesh-sync is the transport-level state model on Kafka: Kubernetes objects"
                                + " are converted to mesh-sync records in the operator or the gateway, not"
                                + " read here")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage(OPERATOR)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(QUARKUS, BPF, BGP, GATEWAY)
                        .because("the operator applies desired state through interfaces the gateway"
                                + " implements: declare the port in the operator and implement it in the"
                                + " gateway instead of calling bpf-tc or bgp-speaker directly")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage(TYPES)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                BGP, BPF, MESH, OPERATOR, GATEWAY, QUARKUS, FABRIC8, KAFKA, NETTY, "com.fasterxml..")
                        .because("types holds the value types every module shares, so it depends on nothing: a"
                                + " value that needs a module belongs to that module")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAnyPackage("io.meshgw.bgp.wire..", "io.meshgw.bgp.fsm..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(NETTY)
                        .because("the codec and the FSM are pure functions of bytes and events: sockets, buffers"
                                + " and timers belong to the speaker's transport, so both stay testable alone")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAnyPackage("io.meshgw.operator.desired..", "io.meshgw.operator.plan..")
                        .should()
                        .dependOnClassesThat(JavaClass.Predicates.assignableTo(KUBERNETES_CLIENT)
                                .or(JavaClass.Predicates.resideInAnyPackage(
                                        "io.fabric8.kubernetes.client.dsl..",
                                        "io.fabric8.kubernetes.client.informers..")))
                        .because("the planner is a pure function of a snapshot: reading and writing the API"
                                + " server belongs to the reconcilers in operator.reconcile")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage("io.meshgw.operator.plan..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                "io.fabric8..", "io.meshgw.operator.desired..", "io.meshgw.operator.reconcile..")
                        .because("the plan is typed values the engines apply: it must not carry Kubernetes objects"
                                + " or reach back into the planner that made it")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideOutsideOfPackage(GATEWAY)
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(GATEWAY)
                        .because("the gateway depends on the modules, never the other way round: move the"
                                + " shared type into the module that owns it")
                        .allowEmptyShould(true),
                classes()
                        .that()
                        .resideInAPackage(API_TYPES)
                        .should()
                        .onlyDependOnClassesThat()
                        .resideInAnyPackage("java..", API_TYPES)
                        .because("the admin API's types are read by the CLI, whose class path holds only the"
                                + " gateway jar, picocli and Jackson: keep them plain records of JDK types"),
                classes()
                        .that()
                        .resideInAPackage(CLI)
                        .should()
                        .onlyDependOnClassesThat()
                        .resideInAnyPackage(
                                "java..",
                                "javax..",
                                "com.sun.net.httpserver..",
                                "picocli..",
                                "com.fasterxml.jackson..",
                                CLI,
                                API_TYPES)
                        .because("scripts/meshgw runs the CLI with the gateway jar, picocli and Jackson only:"
                                + " read the gateway through its admin API's types in api.v1"),
                noClasses()
                        .that()
                        .areAnnotatedWith(jakarta.ws.rs.Path.class)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(BGP, BPF, MESH)
                        .because("REST resources read the gateway's services and adapters, not the engines:"
                                + " give the service an accessor that returns the API's type, so the"
                                + " engines can change behind it"));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void productionCodeKeepsTheBoundary(ArchRule rule) {
        rule.check(PRODUCTION);
    }

    @Test
    void importerSeesProductionClasses() {
        // Guards against every rule passing because nothing was imported at all.
        assertThat(PRODUCTION.containPackage("io.meshgw.gateway")).isTrue();
        assertThat(PRODUCTION.containPackage("io.meshgw.bgp.archfixture"))
                .as("test classes are not production code")
                .isFalse();
        assertThat(PRODUCTION.contain("io.meshgw.operator.port.FakeBgp"))
                .as("nor are the other modules' test-jars")
                .isFalse();
    }

    @Test
    void aForbiddenImportIsReportedWithTheReason() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ForbiddenImportFixture.class);
        var result = rules().findFirst().orElseThrow().evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString())
                .contains("ForbiddenImportFixture")
                .contains("io.quarkus")
                .contains("bgp-speaker is a plain Java library");
    }
}
