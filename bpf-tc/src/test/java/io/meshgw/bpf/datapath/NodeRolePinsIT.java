package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.testkit.net.Command;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The node role's pins: a restart steers with what the last run wrote before its first apply, and an uninstall takes
 * the node role's pins away and nothing else.
 */
class NodeRolePinsIT {
    static final int TC_ACT_SHOT = 2;
    static final int TC_ACT_UNSPEC = -1;
    static final String POD = "10.1.0.20";

    static byte[] podPacket() {
        return SyntheticPacket.tcp(POD, 41000, "192.0.2.9", 443).frame();
    }

    @Test
    void aRestartSteersWithThePinnedMapsAndAnUninstallRemovesOnlyTheNodeRolesPins() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "loading BPF programs needs root (CAP_BPF)");
        Path root = Path.of("/sys/fs/bpf")
                .resolve("mgw-it-" + ProcessHandle.current().pid() + "-node");
        Path layout = root.resolve(Datapath.LAYOUT);
        NodeRoleOptions options = NodeRoleOptions.detached().withPinRoot(root);
        try {
            try (NodeRole first = NodeRole.open(options)) {
                // An identity without an owner: its pod's packets toward the legacy prefix are dropped.
                first.apply(new NodeSteering(
                        Optional.of(Ipv4.parse("10.0.0.2")),
                        Map.of(Ipv4.parse(POD), new NodeSteering.Pod(7, Optional.empty())),
                        List.of(Ipv4Prefix.parse("192.0.2.0/24"))));
            }
            Path neighbour = Files.createDirectory(layout.resolve("not-the-node-roles"));
            try (NodeRole second = NodeRole.open(options)) {
                assertThat(second.object()
                                .testRun(NodeRole.NODE_OUT, podPacket(), 1)
                                .retval())
                        .as("steered as the last run left it, before any apply")
                        .isEqualTo(TC_ACT_SHOT);

                List<Path> removed = second.detachAndUnpin();

                assertThat(removed)
                        .containsExactlyInAnyOrder(
                                layout.resolve("mgw_node_pod_" + Datapath.LAYOUT),
                                layout.resolve("mgw_node_dst_" + Datapath.LAYOUT),
                                layout.resolve("mgw_node_gw_" + Datapath.LAYOUT),
                                layout.resolve("mgw_node_local_" + Datapath.LAYOUT),
                                layout.resolve("mgw_node_flow_" + Datapath.LAYOUT),
                                layout.resolve("mgw_node_egress_" + Datapath.LAYOUT),
                                layout.resolve("mgw_node_cfg_" + Datapath.LAYOUT),
                                layout.resolve("mgw_node_cnt_" + Datapath.LAYOUT));
                assertThat(neighbour).as("another object's: untouched").exists();
                Files.delete(neighbour);
            }
            try (NodeRole fresh = NodeRole.open(options)) {
                assertThat(fresh.object()
                                .testRun(NodeRole.NODE_OUT, podPacket(), 1)
                                .retval())
                        .as("nothing left to adopt: the packet is handed on")
                        .isEqualTo(TC_ACT_UNSPEC);
                fresh.detachAndUnpin();
            }
            assertThat(layout).as("emptied, so removed").doesNotExist();
        } finally {
            DatapathTrafficIT.deleteTree(root);
        }
    }

    /**
     * A node that ran the node role becomes a gateway node: the node role's pod goes (a restart as far as it can tell,
     * so its programs stay attached by their pinned links) and the gateway, starting there, takes them off.
     */
    @Test
    void aGatewayStartingWhereTheNodeRoleRanTakesItsProgramsOff() throws IOException {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        Path root = Path.of("/sys/fs/bpf")
                .resolve("mgw-it-" + ProcessHandle.current().pid() + "-left");
        Path layout = root.resolve(Datapath.LAYOUT);
        try (NetNs node = NetNs.create("nrleft")) {
            node.exec("ip", "link", "add", "up0", "type", "veth", "peer", "name", "up0p")
                    .check();
            node.exec("ip", "link", "set", "up0", "up").check();
            ThreadNetns.run(
                    node,
                    () -> NodeRole.open(NodeRoleOptions.detached()
                                    .withPinRoot(root)
                                    .withUplinks("up0")
                                    .withMode(Attachment.Mode.TCX))
                            .close());
            assertThat(linkedPrograms())
                    .as("pinned links keep the programs attached after the process is gone")
                    .contains(NodeRole.NODE_OUT, NodeRole.NODE_IN);

            List<Path> removed = NodeRole.unpin(root);

            assertThat(removed)
                    .contains(
                            layout.resolve("links").resolve("up0-" + NodeRole.NODE_OUT),
                            layout.resolve("links").resolve("up0-" + NodeRole.NODE_IN),
                            layout.resolve("mgw_node_pod_" + Datapath.LAYOUT));
            assertThat(linkedPrograms()).doesNotContain(NodeRole.NODE_OUT, NodeRole.NODE_IN);
            assertThat(layout).as("emptied, so removed").doesNotExist();
        } finally {
            DatapathTrafficIT.deleteTree(root);
        }
    }

    /** The names of the programs the kernel's BPF links hold (bpftool names a tcx link's type only by number). */
    static List<String> linkedPrograms() {
        var names = new java.util.HashMap<String, String>();
        Command.run(List.of("bpftool", "prog", "show")).stdout().lines().forEach(l -> {
            var m = java.util.regex.Pattern.compile("^(\\d+): \\S+\\s+name (\\S+)")
                    .matcher(l);
            if (m.find()) names.put(m.group(1), m.group(2));
        });
        var out = new java.util.ArrayList<String>();
        Command.run(List.of("bpftool", "link", "show")).stdout().lines().forEach(l -> {
            var m = java.util.regex.Pattern.compile("\\bprog (\\d+)").matcher(l);
            if (m.find()) out.add(names.getOrDefault(m.group(1), "?"));
        });
        return out;
    }
}
