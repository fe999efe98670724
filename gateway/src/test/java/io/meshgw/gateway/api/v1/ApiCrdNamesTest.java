package io.meshgw.gateway.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.crd.MeshClusterSpec;
import io.meshgw.operator.crd.MeshServiceExportStatus;
import io.meshgw.operator.port.PeerSession;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admin API and the CRDs name one concept once: a platform engineer reading {@code kubectl get bgppeer -o yaml}
 * and {@code meshgw peers -o json} sees the same field names and the same spelling of a session's state. The CRD's
 * (Kubernetes-style) names are the ones; the API follows them.
 */
class ApiCrdNamesTest {

    /** An API record, the CRD classes of the same object, and the concepts both carry, by the CRD's name. */
    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(
                        PeerView.class,
                        List.of(BgpPeerSpec.class, BgpPeerStatus.class),
                        List.of(
                                "peerAddress",
                                "peerAsn",
                                "sessionState",
                                "establishedSince",
                                "receivedPrefixes",
                                "acceptedPrefixes",
                                "advertisedPrefixes",
                                "lastError")),
                Arguments.of(ServiceView.class, List.of(MeshServiceExportStatus.class), List.of("assignedVip")),
                Arguments.of(MeshClusterView.class, List.of(MeshClusterSpec.class), List.of("clusterId", "name")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void theConceptsBothCarryHaveTheCrdsNames(Class<? extends Record> api, List<Class<?>> crd, List<String> shared) {
        assertThat(crdFields(crd)).as("fields of %s", crd).containsAll(shared);
        assertThat(components(api)).as("components of %s", api.getSimpleName()).containsAll(shared);
    }

    /** Catches a drift no list above names: the same words in another order ({@code prefixesReceived}). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void noApiNameIsACrdNameWithItsWordsReordered(
            Class<? extends Record> api, List<Class<?>> crd, List<String> shared) {
        List<String> drifted = new ArrayList<>();
        for (String component : components(api)) {
            for (String field : crdFields(crd)) {
                if (!component.equals(field) && words(component).equals(words(field))) {
                    drifted.add(api.getSimpleName() + "." + component + " is " + field + " in the CRD");
                }
            }
        }
        assertThat(drifted).isEmpty();
    }

    @Test
    void theWordCheckSeesAReordering() {
        assertThat(words("prefixesReceived")).isEqualTo(words("receivedPrefixes"));
        assertThat(words("peerAsn")).isNotEqualTo(words("localAsn"));
    }

    /**
     * The states the API writes (its contract fixture is what the gateway answers, AdminApiContractTest) are spelled
     * as the CRD's status spells them, the names of {@link PeerSession.State}.
     */
    @Test
    void sessionStatesAreSpelledAsInTheCrd() throws IOException {
        Set<String> crdStates =
                Arrays.stream(PeerSession.State.values()).map(Enum::name).collect(Collectors.toSet());
        PeerView[] peers;
        try (InputStream in = getClass().getResourceAsStream("/admin-api/peers.json")) {
            peers = new ObjectMapper().readValue(in, PeerView[].class);
        }
        assertThat(peers).isNotEmpty();
        assertThat(peers).extracting(PeerView::sessionState).allMatch(crdStates::contains, "one of " + crdStates);
    }

    private static Set<String> components(Class<? extends Record> api) {
        return Arrays.stream(api.getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The JSON fields of the CRD classes: their public instance fields, inherited ones included. */
    private static Set<String> crdFields(List<Class<?>> classes) {
        Set<String> out = new TreeSet<>();
        for (Class<?> c : classes) {
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) out.add(f.getName());
            }
        }
        return out;
    }

    /** The lower-case words of a camelCase name, sorted. */
    static List<String> words(String name) {
        return Arrays.stream(name.split("(?=[A-Z])"))
                .map(w -> w.toLowerCase(Locale.ROOT))
                .sorted()
                .toList();
    }
}
