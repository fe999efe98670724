package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The legacy side's early exit (mgw_dst_v1): a packet to an address whose bit is clear is handed on without the
 * conntrack lookups, so every destination a legacy-side conntrack entry has must be marked, including those the
 * table no longer names and those of entries that were there before the filter was.
 */
class DestinationFilterIT extends DetachedDatapath {

    static final String OLD_VIP = "198.51.100.20";
    static final Backend SHARED = new Backend(Ipv4.parse(BACKEND), 8080, 1, true);

    static ServiceTranslation web(String vip) {
        return new ServiceTranslation(Ipv4.parse(vip), 80, Protocol.TCP, 100, List.of(SHARED));
    }

    @BeforeEach
    void reset() {
        dp.apply(TranslationTable.EMPTY);
        dp.applyTunnels(TunnelTable.NONE);
        dp.clearConntrack();
    }

    @Test
    void aFlowToARemovedVipWhoseBackendLivesOnIsStillTranslated() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(web(VIP), web(OLD_VIP))));
        SyntheticPacket syn = SyntheticPacket.tcp(CLIENT, 40000, OLD_VIP, 80);
        assertThat(SyntheticPacket.parse(dp.object()
                                .testRun(Datapath.FROM_LEGACY, syn.frame(), 1)
                                .packetOut())
                        .dst())
                .isEqualTo(BACKEND + ":8080");
        // The VIP goes; its backend stays (VIP still uses it), and so does the flow that was going to it.
        dp.apply(TranslationTable.EMPTY.withServices(List.of(web(VIP))));
        long established = count(Counter.DNAT_ESTABLISHED);
        // A FIN never takes the flow cache: it goes through the filter to the conntrack entry.
        TestRun.Result r = dp.object()
                .testRun(
                        Datapath.FROM_LEGACY,
                        syn.withTcpFlags(SyntheticPacket.FIN | SyntheticPacket.ACK)
                                .frame(),
                        1);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.parse(r.packetOut()).dst()).isEqualTo(BACKEND + ":8080");
        assertThat(count(Counter.DNAT_ESTABLISHED)).isEqualTo(established + 1);
    }

    @Test
    void aRelayedFlowMetOutsideTheTunnelStillHasItsTcpStateTracked() {
        // A backend no table of this gateway names: only the program that records the relayed flow marks it.
        String backend = "10.1.0.99";
        dp.applyTunnels(new TunnelTable(Optional.of(Ipv4.parse("172.16.9.2")), Map.of(1, Ipv4.parse("172.16.9.1"))));
        byte[] inner = SyntheticPacket.tcp(CLIENT, 40000, backend, 8080)
                .withTcpFlags(SyntheticPacket.ACK)
                .frame();
        assertThat(dp.object()
                        .testRun(Datapath.FROM_LEGACY, SyntheticPacket.ipip("172.16.9.1", "172.16.9.2", inner), 1)
                        .retval())
                .isEqualTo(TC_ACT_OK);
        byte[] rst = SyntheticPacket.tcp(CLIENT, 40000, backend, 8080)
                .withTcpFlags(SyntheticPacket.RST)
                .frame();
        TestRun.Result r = dp.object().testRun(Datapath.FROM_LEGACY, rst, 1);
        assertThat(r.retval()).as("not ours to translate").isEqualTo(TC_ACT_UNSPEC);
        assertThat(r.packetOut()).isEqualTo(rst);
        assertThat(dp.conntrack(10))
                .filteredOn(e -> e.kind() == ConntrackEntry.Kind.TUNNEL_IN)
                .extracting(ConntrackEntry::closing)
                .as("the RST reached the relayed flow's entry, as before the filter")
                .containsExactly(true);
    }

    @Test
    void entriesFromBeforeTheFilterAreMarkedWhenItIsCreated() throws IOException {
        Path root = Path.of("/sys/fs/bpf")
                .resolve("mgwtest-" + ProcessHandle.current().pid() + "-dst");
        Path filterPin = root.resolve(Datapath.LAYOUT).resolve(DestinationFilter.MAP);
        SyntheticPacket syn = SyntheticPacket.tcp(CLIENT, 40001, OLD_VIP, 80);
        SyntheticPacket egressReply;
        try {
            try (Datapath first = Datapath.open(DatapathOptions.detached().withPinRoot(root))) {
                first.apply(webDnsAndEgress(40000).withServices(List.of(web(VIP), web(OLD_VIP))));
                first.object().testRun(Datapath.FROM_LEGACY, syn.frame(), 1);
                SyntheticPacket out = SyntheticPacket.parse(first.object()
                        .testRun(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket.tcp(POD, 5555, CLIENT, 443).frame(),
                                1)
                        .packetOut());
                assertThat(out.src()).isEqualTo(EGRESS + ":40000");
                egressReply = SyntheticPacket.tcp(CLIENT, 443, EGRESS, 40000).withTcpFlags(SyntheticPacket.ACK);
                // Neither the VIP nor the egress address is in the table any more; their flows are.
                first.apply(TranslationTable.EMPTY.withServices(List.of(web(VIP))));
            }
            // As the pins of programs from before the filter: conntrack and the rest, but no mgw_dst_v1.
            Files.delete(filterPin);
            try (Datapath upgraded = Datapath.open(DatapathOptions.detached().withPinRoot(root))) {
                assertThat(filterPin).exists();
                TestRun.Result r = upgraded.object()
                        .testRun(
                                Datapath.FROM_LEGACY,
                                syn.withTcpFlags(SyntheticPacket.FIN | SyntheticPacket.ACK)
                                        .frame(),
                                1);
                assertThat(r.retval()).isEqualTo(TC_ACT_OK);
                assertThat(SyntheticPacket.parse(r.packetOut()).dst())
                        .as("the flow the earlier programs recorded, to a VIP no table names now")
                        .isEqualTo(BACKEND + ":8080");
                TestRun.Result reply = upgraded.object().testRun(Datapath.FROM_LEGACY, egressReply.frame(), 1);
                assertThat(reply.retval()).isEqualTo(TC_ACT_OK);
                assertThat(SyntheticPacket.parse(reply.packetOut()).dst())
                        .as(
                                "the reply to an egress flow the earlier programs recorded, from an address no table names now")
                        .isEqualTo(POD + ":5555");
            }
        } finally {
            if (Files.exists(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
