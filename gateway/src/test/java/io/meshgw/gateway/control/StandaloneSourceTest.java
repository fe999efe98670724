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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
    private final Counter refused = new SimpleMeterRegistry().counter("meshgw_standalone_reloads_refused");

    /** Runs passes until {@code n} were applied, or five seconds passed. */
    private void awaitPasses(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (applied.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Waits until the file watch refused {@code n} versions, or five seconds passed. */
    private void awaitRefused(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (refused.count() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Writes {@code text} with a modification time the watch cannot mistake for the last one. */
    private static void rewrite(Path file, String text, int second) throws java.io.IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * second));
    }

    @Test
    void emptiedStandaloneFileKeepsLastGoodState(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("objects.yaml"), POOL);
        var source = new StandaloneSource(file, new ClusterId(1, "east"), ports(), refused);
        try {
            source.start();
            rewrite(file, "", 1);
            awaitRefused(1);
            assertThat(refused.count()).isEqualTo(1.0);
            source.request();
            awaitPasses(2);
            assertThat(applied.getLast().outcomes())
                    .as("the pass still plans the last good objects")
                    .extracting(o -> o.ref().toString())
                    .contains("LegacyVipPool/vips");
        } finally {
            source.close();
        }
    }

    @Test
    void truncatedStandaloneFileKeepsLastGoodState(@TempDir Path dir) throws Exception {
        String ended = POOL + "---\napiVersion: meshgw.io/v1alpha1\nkind: StandaloneFileEnd\nobjects: 1\n";
        Path file = Files.writeString(dir.resolve("objects.yaml"), ended);
        var source = new StandaloneSource(file, new ClusterId(1, "east"), ports(), refused);
        try {
            source.start();
            rewrite(file, POOL.substring(0, POOL.indexOf("spec:")), 1);
            awaitRefused(1);
            assertThat(refused.count()).isEqualTo(1.0);
            source.request();
            awaitPasses(2);
            assertThat(applied.getLast().outcomes())
                    .extracting(o -> o.ref().toString() + " " + o.ready())
                    .contains("LegacyVipPool/vips true");
        } finally {
            source.close();
        }
    }

    @Test
    void aFileThatSaysItIsEmptyWithdrawsEverything(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("objects.yaml"), POOL);
        var source = new StandaloneSource(file, new ClusterId(1, "east"), ports(), refused);
        try {
            source.start();
            rewrite(file, "apiVersion: meshgw.io/v1alpha1\nkind: StandaloneFileEnd\nobjects: 0\n", 1);
            awaitPasses(2);
            assertThat(refused.count()).isZero();
            assertThat(applied.getLast().outcomes()).isEmpty();
        } finally {
            source.close();
        }
    }

    @Test
    void aPassAskedForBeforeTheFileWasReadDoesNotRunOnNoObjects(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("objects.yaml"), POOL);
        var source = new StandaloneSource(file, new ClusterId(1, "east"), ports(), refused);
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
        var source = new StandaloneSource(file, new ClusterId(1, "east"), ports(), refused);
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
