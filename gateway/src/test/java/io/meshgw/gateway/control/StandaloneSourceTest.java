package io.meshgw.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.BgpTarget;
import io.meshgw.operator.port.DatapathTarget;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.NamesTarget;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.RouteSelector;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.PassObserver;
import io.meshgw.types.ClusterId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneSourceTest {

    private static final String POOL = """
            apiVersion: meshgw.io/v1alpha1
            kind: LegacyVipPool
            metadata: {name: vips}
            spec: {cidrs: [198.51.100.0/24]}
            """;

    private final List<Plan> applied = new CopyOnWriteArrayList<>();

    @Test
    void aPassAskedForBeforeTheFileWasReadDoesNotRunOnNoObjects(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("objects.yaml"), POOL);
        var source = new StandaloneSource(file, new ClusterId(1, "east"), ports());
        try {
            // the mesh's view or the speaker can report a change before the control plane has read its file
            source.request();
            Thread.sleep(300);
            assertThat(applied)
                    .as("an empty plan would empty the pinned datapath and start publishing nothing")
                    .isEmpty();

            source.start();
            assertThat(applied).hasSize(1);
            assertThat(applied.getFirst().outcomes())
                    .extracting(o -> o.ref().toString())
                    .contains("LegacyVipPool/vips");
        } finally {
            source.close();
        }
    }

    @Test
    void aRequestAfterTheStartRunsAPass(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("objects.yaml"), POOL);
        var source = new StandaloneSource(file, new ClusterId(1, "east"), ports());
        try {
            source.start();
            source.request();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (applied.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(applied).hasSize(2);
        } finally {
            source.close();
        }
    }

    private GatewayPorts ports() {
        BgpTarget bgp = new BgpTarget() {
            @Override
            public BgpChanges changesFor(Plan plan) {
                return NONE;
            }

            @Override
            public Map<ObjectKey, PeerSession> sessions() {
                return Map.of();
            }

            @Override
            public List<LearnedRoute> learnedRoutes(Collection<RouteSelector> selectors) {
                return List.of();
            }
        };
        DatapathTarget datapath = applied::add;
        return new GatewayPorts(
                bgp, datapath, MeshTarget.NONE, NamesTarget.NONE, Capabilities.DATAPATH, PassObserver.NONE);
    }
}
