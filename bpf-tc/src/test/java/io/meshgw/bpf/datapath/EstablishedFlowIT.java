package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import io.meshgw.types.Protocol;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Packets of established flows (ACK, not SYN): after the first one they are translated from
 * the per-CPU flow cache in front of conntrack, with checksums updated in place. Every output is
 * checked against checksums recomputed from scratch.
 */
class EstablishedFlowIT extends DetachedDatapath {

    static final Backend LOCAL_A = new Backend(Ipv4.parse("10.1.0.10"), 8080, 1, true);
    static final Backend LOCAL_B = new Backend(Ipv4.parse("10.1.0.11"), 8080, 1, true);

    @BeforeEach
    void reset() {
        dp.apply(TranslationTable.EMPTY);
        dp.clearConntrack();
    }

    static ServiceTranslation service(int port, Protocol p, List<Backend> backends) {
        return new ServiceTranslation(Ipv4.parse(VIP), port, p, 100, backends);
    }

    TestRun.Result run(String program, byte[] frame) {
        TestRun.Result r = dp.object().testRun(program, frame, 1);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.checksumsValid(r.packetOut()))
                .as("checksums of %s", SyntheticPacket.parse(r.packetOut()))
                .isTrue();
        return r;
    }

    static SyntheticPacket ack(String src, int sport, String dst, int dport) {
        return SyntheticPacket.tcp(src, sport, dst, dport).withTcpFlags(SyntheticPacket.ACK);
    }

    @Test
    void establishedPacketsBothWaysKeepTheirTranslationValidChecksumsAndAreCountedPerFlow() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(80, Protocol.TCP, List.of(LOCAL_A, LOCAL_B)))));
        SyntheticPacket syn = SyntheticPacket.tcp(CLIENT, 40000, VIP, 80);
        String backend = SyntheticPacket.parse(
                        run(Datapath.FROM_LEGACY, syn.frame()).packetOut())
                .dst();
        String[] hp = backend.split(":");
        long est = count(Counter.DNAT_ESTABLISHED);
        long replies = count(Counter.DNAT_REPLY);
        for (int i = 0; i < 50; i++) {
            SyntheticPacket out = SyntheticPacket.parse(
                    run(Datapath.FROM_LEGACY, ack(CLIENT, 40000, VIP, 80).frame())
                            .packetOut());
            assertThat(out.dst()).isEqualTo(backend);
            assertThat(out.src()).isEqualTo(CLIENT + ":40000");
            SyntheticPacket back = SyntheticPacket.parse(run(
                            Datapath.FROM_CLUSTER,
                            ack(hp[0], Integer.parseInt(hp[1]), CLIENT, 40000).frame())
                    .packetOut());
            assertThat(back.src()).isEqualTo(VIP + ":80");
            assertThat(back.dst()).isEqualTo(CLIENT + ":40000");
        }
        assertThat(count(Counter.DNAT_ESTABLISHED)).isEqualTo(est + 50);
        assertThat(count(Counter.DNAT_REPLY)).isEqualTo(replies + 50);
        assertThat(dp.conntrack(10))
                .as("what the caches counted is part of each entry's count")
                .filteredOn(c -> c.kind() == ConntrackEntry.Kind.DNAT)
                .singleElement()
                .satisfies(c -> assertThat(c.packets()).isEqualTo(51));
        assertThat(dp.conntrack(10))
                .filteredOn(c -> c.kind() == ConntrackEntry.Kind.DNAT_REPLY)
                .singleElement()
                .satisfies(c -> assertThat(c.packets()).isEqualTo(50));
    }

    @Test
    void udpFromTheCacheKeepsAnAbsentChecksumAbsentAndFixesAPresentOne() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(53, Protocol.UDP, List.of(LOCAL_A)))));
        for (int i = 0; i < 5; i++) {
            byte[] with = run(
                            Datapath.FROM_LEGACY,
                            SyntheticPacket.udp(CLIENT, 45000, VIP, 53).frame(true))
                    .packetOut();
            assertThat(SyntheticPacket.parse(with).dst()).isEqualTo("10.1.0.10:8080");
            assertThat(SyntheticPacket.udpChecksumField(with)).isNotZero();
            byte[] without = run(
                            Datapath.FROM_LEGACY,
                            SyntheticPacket.udp(CLIENT, 45001, VIP, 53).frame(false))
                    .packetOut();
            assertThat(SyntheticPacket.parse(without).dst()).isEqualTo("10.1.0.10:8080");
            assertThat(SyntheticPacket.udpChecksumField(without)).isZero();
        }
    }

    @Test
    void aCachedFlowWhoseBackendIsRemovedMovesOnItsNextPacket() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(80, Protocol.TCP, List.of(LOCAL_A, LOCAL_B)))));
        run(Datapath.FROM_LEGACY, SyntheticPacket.tcp(CLIENT, 42000, VIP, 80).frame());
        String first = SyntheticPacket.parse(
                        run(Datapath.FROM_LEGACY, ack(CLIENT, 42000, VIP, 80).frame())
                                .packetOut())
                .dst();
        Backend survivor = first.startsWith("10.1.0.10") ? LOCAL_B : LOCAL_A;
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(80, Protocol.TCP, List.of(survivor)))));
        long reselect = count(Counter.BACKEND_RESELECT);
        assertThat(SyntheticPacket.parse(run(
                                        Datapath.FROM_LEGACY,
                                        ack(CLIENT, 42000, VIP, 80).frame())
                                .packetOut())
                        .dst())
                .isEqualTo(survivor.address().getHostAddress() + ":8080");
        assertThat(count(Counter.BACKEND_RESELECT)).isEqualTo(reselect + 1);
    }

    @Test
    void snatFromTheCacheKeepsThePortAndRepliesFindThePod() {
        dp.apply(TranslationTable.EMPTY
                .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
                .withEgress(List.of(new EgressTranslation(
                        7, Ipv4.parse("203.0.113.7"), 40000, 40099, List.of(Ipv4Prefix.parse("192.0.2.0/24"))))));
        int port = SyntheticPacket.parse(run(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket.tcp("10.1.0.20", 5555, CLIENT, 443)
                                        .frame())
                        .packetOut())
                .sport();
        long est = count(Counter.SNAT_ESTABLISHED);
        for (int i = 0; i < 20; i++) {
            SyntheticPacket out = SyntheticPacket.parse(run(
                            Datapath.FROM_CLUSTER,
                            ack("10.1.0.20", 5555, CLIENT, 443).frame())
                    .packetOut());
            assertThat(out.src()).isEqualTo("203.0.113.7:" + port);
            SyntheticPacket back = SyntheticPacket.parse(run(
                            Datapath.FROM_LEGACY,
                            ack(CLIENT, 443, "203.0.113.7", port).frame())
                    .packetOut());
            assertThat(back.dst()).isEqualTo("10.1.0.20:5555");
        }
        assertThat(count(Counter.SNAT_ESTABLISHED)).isEqualTo(est + 20);
    }

    @Test
    void aConnectionReopenedOnItsTupleAfterAnRstIsTranslatedWithItsNewPortNotTheCachedOne() {
        dp.apply(TranslationTable.EMPTY
                .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
                .withEgress(List.of(new EgressTranslation(
                        7, Ipv4.parse("203.0.113.7"), 40000, 40099, List.of(Ipv4Prefix.parse("192.0.2.0/24"))))));
        for (int sport = 6000; sport < 6010; sport++) {
            int first = SyntheticPacket.parse(run(
                                    Datapath.FROM_CLUSTER,
                                    SyntheticPacket.tcp("10.1.0.20", sport, CLIENT, 443)
                                            .frame())
                            .packetOut())
                    .sport();
            run(Datapath.FROM_CLUSTER, ack("10.1.0.20", sport, CLIENT, 443).frame());
            run(
                    Datapath.FROM_CLUSTER,
                    SyntheticPacket.tcp("10.1.0.20", sport, CLIENT, 443)
                            .withTcpFlags(SyntheticPacket.RST | SyntheticPacket.ACK)
                            .frame());
            // the old reply entry still holds the first port (closing), so the new connection gets another
            int second = SyntheticPacket.parse(run(
                                    Datapath.FROM_CLUSTER,
                                    SyntheticPacket.tcp("10.1.0.20", sport, CLIENT, 443)
                                            .frame())
                            .packetOut())
                    .sport();
            assertThat(second).as("a new SNAT port for the new connection").isNotEqualTo(first);
            SyntheticPacket handshakeAck = SyntheticPacket.parse(run(
                            Datapath.FROM_CLUSTER,
                            ack("10.1.0.20", sport, CLIENT, 443).frame())
                    .packetOut());
            assertThat(handshakeAck.src())
                    .as("the new connection's ACK leaves with its own port, not the closed one's")
                    .isEqualTo("203.0.113.7:" + second);
        }
    }

    @Test
    void forgottenFlowsAreNotTranslatedFromTheCache() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(80, Protocol.TCP, List.of(LOCAL_A)))));
        run(Datapath.FROM_LEGACY, SyntheticPacket.tcp(CLIENT, 43000, VIP, 80).frame());
        run(Datapath.FROM_LEGACY, ack(CLIENT, 43000, VIP, 80).frame());
        dp.clearConntrack();
        long created = count(Counter.DNAT_NEW);
        run(Datapath.FROM_LEGACY, ack(CLIENT, 43000, VIP, 80).frame());
        assertThat(count(Counter.DNAT_NEW))
                .as("the flow is new again: no slot kept it")
                .isEqualTo(created + 1);
    }
}
