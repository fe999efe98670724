package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.PolicyRule.Direction;
import io.meshgw.types.Protocol;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every branch of the translation programs, on crafted packets through BPF_PROG_TEST_RUN. */
class DatapathProgramIT extends DetachedDatapath {

    static final Backend LOCAL_A = backend("10.1.0.10", 8080, 1, true);
    static final Backend LOCAL_B = backend("10.1.0.11", 8080, 1, true);
    static final Backend REMOTE = backend("10.2.0.10", 8080, 2, false);

    static Backend backend(String ip, int port, int cluster, boolean local) {
        return new Backend(Ipv4.parse(ip), port, cluster, local);
    }

    static ServiceTranslation service(String vip, int port, Protocol p, List<Backend> backends) {
        return new ServiceTranslation(Ipv4.parse(vip), port, p, 100, backends);
    }

    @BeforeEach
    void reset() {
        dp.apply(TranslationTable.EMPTY);
        dp.clearConntrack();
    }

    TestRun.Result run(String program, byte[] frame) {
        return dp.object().testRun(program, frame, 1);
    }

    @Test
    void aNewFlowToAVipIsTranslatedToALocalBackendWithValidChecksums() {
        dp.apply(TranslationTable.EMPTY.withServices(
                List.of(service(VIP, 80, Protocol.TCP, List.of(REMOTE, LOCAL_A, LOCAL_B)))));
        long before = count(Counter.DNAT_NEW);
        byte[] in = SyntheticPacket.tcp(CLIENT, 40000, VIP, 80).frame();
        TestRun.Result r = run(Datapath.FROM_LEGACY, in);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        SyntheticPacket out = SyntheticPacket.parse(r.packetOut());
        assertThat(out.dst()).isIn("10.1.0.10:8080", "10.1.0.11:8080");
        assertThat(out.src()).isEqualTo(CLIENT + ":40000");
        assertThat(SyntheticPacket.checksumsValid(r.packetOut()))
                .as("IPv4 and TCP checksums")
                .isTrue();
        assertThat(out.payload()).isEqualTo("hello".getBytes());
        assertThat(count(Counter.DNAT_NEW)).isEqualTo(before + 1);
        assertThat(dp.conntrack(10))
                .extracting(ConntrackEntry::kind)
                .containsExactlyInAnyOrder(ConntrackEntry.Kind.DNAT, ConntrackEntry.Kind.DNAT_REPLY);
    }

    @Test
    void theRestOfTheFlowStaysOnItsBackendAndRepliesComeFromTheVip() {
        dp.apply(TranslationTable.EMPTY.withServices(
                List.of(service(VIP, 80, Protocol.TCP, List.of(LOCAL_A, LOCAL_B)))));
        SyntheticPacket first = SyntheticPacket.tcp(CLIENT, 40001, VIP, 80);
        String backend = SyntheticPacket.parse(
                        run(Datapath.FROM_LEGACY, first.frame()).packetOut())
                .dst();
        long est = count(Counter.DNAT_ESTABLISHED);
        for (int i = 0; i < 20; i++) {
            assertThat(SyntheticPacket.parse(
                                    run(Datapath.FROM_LEGACY, first.frame()).packetOut())
                            .dst())
                    .isEqualTo(backend);
        }
        assertThat(count(Counter.DNAT_ESTABLISHED)).isEqualTo(est + 20);

        String[] hp = backend.split(":");
        byte[] reply = SyntheticPacket.tcp(hp[0], Integer.parseInt(hp[1]), CLIENT, 40001)
                .frame();
        TestRun.Result r = run(Datapath.FROM_CLUSTER, reply);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        SyntheticPacket out = SyntheticPacket.parse(r.packetOut());
        assertThat(out.src()).isEqualTo(VIP + ":80");
        assertThat(out.dst()).isEqualTo(CLIENT + ":40001");
        assertThat(SyntheticPacket.checksumsValid(r.packetOut())).isTrue();
    }

    @Test
    void localBackendsArePreferredAndFlowsSpreadOverThem() {
        dp.apply(TranslationTable.EMPTY.withServices(
                List.of(service(VIP, 80, Protocol.TCP, List.of(REMOTE, LOCAL_A, LOCAL_B)))));
        Set<String> seen = new HashSet<>();
        for (int port = 41000; port < 41064; port++) {
            seen.add(SyntheticPacket.parse(run(
                                    Datapath.FROM_LEGACY,
                                    SyntheticPacket.tcp(CLIENT, port, VIP, 80).frame())
                            .packetOut())
                    .dst());
        }
        assertThat(seen).containsExactlyInAnyOrder("10.1.0.10:8080", "10.1.0.11:8080");

        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(VIP, 80, Protocol.TCP, List.of(REMOTE)))));
        dp.clearConntrack();
        assertThat(SyntheticPacket.parse(run(
                                        Datapath.FROM_LEGACY,
                                        SyntheticPacket.tcp(CLIENT, 41000, VIP, 80)
                                                .frame())
                                .packetOut())
                        .dst())
                .as("no local backend left: the remote cluster serves")
                .isEqualTo("10.2.0.10:8080");
    }

    @Test
    void aFlowWhoseBackendIsRemovedMovesToAnotherOne() {
        dp.apply(TranslationTable.EMPTY.withServices(
                List.of(service(VIP, 80, Protocol.TCP, List.of(LOCAL_A, LOCAL_B)))));
        byte[] in = SyntheticPacket.tcp(CLIENT, 42000, VIP, 80).frame();
        String first =
                SyntheticPacket.parse(run(Datapath.FROM_LEGACY, in).packetOut()).dst();
        Backend survivor = first.startsWith("10.1.0.10") ? LOCAL_B : LOCAL_A;
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(VIP, 80, Protocol.TCP, List.of(survivor)))));
        long reselect = count(Counter.BACKEND_RESELECT);
        TestRun.Result r = run(Datapath.FROM_LEGACY, in);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.parse(r.packetOut()).dst())
                .isEqualTo(survivor.address().getHostAddress() + ":8080");
        assertThat(count(Counter.BACKEND_RESELECT)).isEqualTo(reselect + 1);
    }

    @Test
    void eachMapSaysHowFullItIs() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(
                service(VIP, 80, Protocol.TCP, List.of(LOCAL_A, LOCAL_B)),
                service(VIP, 443, Protocol.TCP, List.of(LOCAL_A)))));
        Map<String, MapFill> fill = new java.util.HashMap<>();
        dp.fill().forEach(f -> fill.put(f.map(), f));
        assertThat(fill.get("mgw_svc_v1")).isEqualTo(new MapFill("mgw_svc_v1", "VIPs", 2, 65_536));
        assertThat(fill.get("mgw_slot_v1").entries()).isEqualTo(3);
        assertThat(fill.get("mgw_maglev_v1").entries())
                .as("the one service with two backends")
                .isEqualTo(1);
        assertThat(fill.get("mgw_be_v1").entries()).isEqualTo(2);

        run(Datapath.FROM_LEGACY, SyntheticPacket.tcp(CLIENT, 43000, VIP, 80).frame());
        dp.expireConntrack();
        dp.fill().stream()
                .filter(f -> f.map().equals("mgw_ct_v1"))
                .findFirst()
                .ifPresentOrElse(
                        ct -> assertThat(ct.entries())
                                .as("one flow, both directions")
                                .isEqualTo(2),
                        () -> org.assertj.core.api.Assertions.fail("no conntrack fill after a sweep"));
    }

    @Test
    void aVipWithoutBackendsDropsAndCounts() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(VIP, 80, Protocol.TCP, List.of()))));
        long drops = count(Counter.DROP_NO_BACKEND);
        assertThat(run(
                                Datapath.FROM_LEGACY,
                                SyntheticPacket.tcp(CLIENT, 43000, VIP, 80).frame())
                        .retval())
                .isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_NO_BACKEND)).isEqualTo(drops + 1);
    }

    @Test
    void trafficThatIsNotOursPassesUntouched() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(VIP, 80, Protocol.TCP, List.of(LOCAL_A)))));
        long pass = count(Counter.PASS);
        for (byte[] frame : List.of(
                SyntheticPacket.tcp(CLIENT, 44000, VIP, 81).frame(), // other port
                SyntheticPacket.udp(CLIENT, 44000, VIP, 80).frame(), // other protocol
                SyntheticPacket.tcp(CLIENT, 44000, "198.51.100.11", 80).frame())) {
            TestRun.Result r = run(Datapath.FROM_LEGACY, frame);
            assertThat(r.retval()).as("TC_ACT_UNSPEC hands the packet on").isEqualTo(TC_ACT_UNSPEC);
            assertThat(r.packetOut()).isEqualTo(frame);
        }
        assertThat(count(Counter.PASS)).isEqualTo(pass + 3);
    }

    @Test
    void udpIsTranslatedAndAnAbsentUdpChecksumStaysAbsent() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(VIP, 53, Protocol.UDP, List.of(LOCAL_A)))));
        TestRun.Result with = run(
                Datapath.FROM_LEGACY,
                SyntheticPacket.udp(CLIENT, 45000, VIP, 53).frame(true));
        assertThat(SyntheticPacket.parse(with.packetOut()).dst()).isEqualTo("10.1.0.10:8080");
        assertThat(SyntheticPacket.checksumsValid(with.packetOut())).isTrue();
        assertThat(SyntheticPacket.udpChecksumField(with.packetOut())).isNotZero();

        TestRun.Result without = run(
                Datapath.FROM_LEGACY,
                SyntheticPacket.udp(CLIENT, 45001, VIP, 53).frame(false));
        assertThat(SyntheticPacket.parse(without.packetOut()).dst()).isEqualTo("10.1.0.10:8080");
        assertThat(SyntheticPacket.udpChecksumField(without.packetOut()))
                .as("RFC 768: zero means none")
                .isZero();
        assertThat(SyntheticPacket.checksumsValid(without.packetOut())).isTrue();
    }

    @Test
    void ingressPolicyDeniesByRuleOrByDefaultAndCounts() {
        ServiceTranslation web = service(VIP, 80, Protocol.TCP, List.of(LOCAL_A));
        ServiceTranslation ssh = service(VIP, 22, Protocol.TCP, List.of(LOCAL_A));
        dp.apply(TranslationTable.EMPTY
                .withServices(List.of(web, ssh))
                .withPolicies(
                        List.of(new PolicyRule(100, Protocol.TCP, Direction.INGRESS, 80, Verdict.ALLOW)),
                        Verdict.DENY,
                        Verdict.ALLOW));
        long denied = count(Counter.DROP_POLICY);
        assertThat(run(
                                Datapath.FROM_LEGACY,
                                SyntheticPacket.tcp(CLIENT, 46000, VIP, 80).frame())
                        .retval())
                .isEqualTo(TC_ACT_OK);
        assertThat(run(
                                Datapath.FROM_LEGACY,
                                SyntheticPacket.tcp(CLIENT, 46001, VIP, 22).frame())
                        .retval())
                .as("default deny")
                .isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_POLICY)).isEqualTo(denied + 1);
        assertThat(count(Counter.POLICY_DENY)).isPositive();
    }

    static TranslationTable egressTable(int portMin, int portMax) {
        return TranslationTable.EMPTY
                .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
                .withEgress(List.of(new EgressTranslation(
                        7, Ipv4.parse("203.0.113.7"), portMin, portMax, List.of(Ipv4Prefix.parse("192.0.2.0/24")))));
    }

    @Test
    void podTrafficToALegacyPrefixIsSnatedAndRepliesFindThePod() {
        dp.apply(egressTable(40000, 40099));
        TestRun.Result out = run(
                Datapath.FROM_CLUSTER,
                SyntheticPacket.tcp("10.1.0.20", 5555, CLIENT, 443).frame());
        assertThat(out.retval()).isEqualTo(TC_ACT_OK);
        SyntheticPacket p = SyntheticPacket.parse(out.packetOut());
        assertThat(Ipv4.format(p.saddr())).isEqualTo("203.0.113.7");
        assertThat(p.sport()).isBetween(40000, 40099);
        assertThat(p.dst()).isEqualTo(CLIENT + ":443");
        assertThat(SyntheticPacket.checksumsValid(out.packetOut())).isTrue();

        TestRun.Result back = run(
                Datapath.FROM_LEGACY,
                SyntheticPacket.tcp(CLIENT, 443, "203.0.113.7", p.sport()).frame());
        assertThat(back.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.parse(back.packetOut()).dst()).isEqualTo("10.1.0.20:5555");
        assertThat(SyntheticPacket.checksumsValid(back.packetOut())).isTrue();

        assertThat(SyntheticPacket.parse(run(
                                        Datapath.FROM_CLUSTER,
                                        SyntheticPacket.tcp("10.1.0.20", 5555, CLIENT, 443)
                                                .frame())
                                .packetOut())
                        .sport())
                .as("the flow keeps its port")
                .isEqualTo(p.sport());
    }

    @Test
    void snatPortsNeverCollideAndAnExhaustedRangeDrops() {
        dp.apply(egressTable(40000, 40007));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            TestRun.Result r = run(
                    Datapath.FROM_CLUSTER,
                    SyntheticPacket.tcp("10.1.0." + (20 + i), 5555, CLIENT, 443).frame());
            assertThat(r.retval()).isEqualTo(TC_ACT_OK);
            ports.add(SyntheticPacket.parse(r.packetOut()).sport());
        }
        assertThat(ports).as("8 flows, 8 distinct ports").hasSize(8);
        long noPort = count(Counter.DROP_NO_PORT);
        assertThat(run(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket.tcp("10.1.0.99", 5555, CLIENT, 443)
                                        .frame())
                        .retval())
                .isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_NO_PORT)).isEqualTo(noPort + 1);
    }

    @Test
    void podTrafficElsewhereIsNotTranslatedAndEgressPolicyIsEnforced() {
        dp.apply(egressTable(40000, 40099)
                .withPolicies(
                        List.of(new PolicyRule(7, Protocol.TCP, Direction.EGRESS, 22, Verdict.DENY)),
                        Verdict.ALLOW,
                        Verdict.ALLOW));
        byte[] elsewhere =
                SyntheticPacket.tcp("10.1.0.20", 5555, "192.0.3.5", 443).frame();
        assertThat(run(Datapath.FROM_CLUSTER, elsewhere).packetOut()).isEqualTo(elsewhere);
        byte[] other = SyntheticPacket.tcp("10.9.0.20", 5555, CLIENT, 443).frame();
        assertThat(run(Datapath.FROM_CLUSTER, other).packetOut())
                .as("no identity")
                .isEqualTo(other);
        assertThat(run(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket.tcp("10.1.0.20", 5556, CLIENT, 22)
                                        .frame())
                        .retval())
                .isEqualTo(TC_ACT_SHOT);
    }

    @Test
    void anIdentityDefaultDeniesEveryPortItsRulesDoNotAllow() {
        dp.apply(egressTable(40000, 40099)
                .withPolicies(
                        List.of(
                                new PolicyRule(7, Protocol.TCP, Direction.EGRESS, 9000, Verdict.ALLOW),
                                PolicyRule.identityDefault(7, Direction.EGRESS, Verdict.DENY)),
                        Verdict.ALLOW,
                        Verdict.ALLOW));
        assertThat(run(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket.tcp("10.1.0.20", 5000, CLIENT, 9000)
                                        .frame())
                        .retval())
                .isEqualTo(TC_ACT_OK);
        long denied = count(Counter.DROP_POLICY);
        assertThat(run(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket.tcp("10.1.0.20", 5001, CLIENT, 9100)
                                        .frame())
                        .retval())
                .isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_POLICY)).isEqualTo(denied + 1);
    }

    @Test
    void truncatedAndMalformedPacketsPassUntouchedAndAreCounted() {
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(VIP, 80, Protocol.TCP, List.of(LOCAL_A)))));
        byte[] full = SyntheticPacket.tcp(CLIENT, 47000, VIP, 80).frame();
        long malformed = count(Counter.MALFORMED);
        int cut = 0;
        // The kernel's test runner refuses IPv4 frames shorter than Ethernet + IPv4 header (34
        // bytes); below that the verifier-checked bounds tests are what protects the parser.
        for (int len = 34; len < 14 + 20 + 20; len++) {
            byte[] frame = java.util.Arrays.copyOf(full, len);
            TestRun.Result r = run(Datapath.FROM_LEGACY, frame);
            assertThat(r.retval()).as("cut at %d bytes", len).isEqualTo(TC_ACT_UNSPEC);
            assertThat(r.packetOut()).as("cut at %d bytes", len).isEqualTo(frame);
            cut++;
        }
        byte[] badIhl = full.clone();
        badIhl[14] = 0x44; // IHL 4: shorter than the minimum header
        byte[] badVersion = full.clone();
        badVersion[14] = 0x65;
        byte[] shortTotal = full.clone();
        shortTotal[16] = 0;
        shortTotal[17] = 20; // total length says there is no L4 header
        for (byte[] frame : List.of(badIhl, badVersion, shortTotal)) {
            TestRun.Result r = run(Datapath.FROM_LEGACY, frame);
            assertThat(r.retval()).isEqualTo(TC_ACT_UNSPEC);
            assertThat(r.packetOut()).isEqualTo(frame);
        }
        assertThat(count(Counter.MALFORMED)).isEqualTo(malformed + cut + 3);

        byte[] fragment = full.clone();
        fragment[20] = 0x20; // more fragments
        long frags = count(Counter.FRAGMENT);
        assertThat(run(Datapath.FROM_LEGACY, fragment).packetOut()).isEqualTo(fragment);
        assertThat(count(Counter.FRAGMENT)).isEqualTo(frags + 1);
    }

    @Test
    void countersAddUpBytesAcrossCpus() {
        Map<Counter, CounterValue> c = dp.counters();
        assertThat(c).containsKeys(Counter.values());
        dp.apply(TranslationTable.EMPTY.withServices(List.of(service(VIP, 80, Protocol.TCP, List.of(LOCAL_A)))));
        byte[] frame = SyntheticPacket.tcp(CLIENT, 48000, VIP, 80).frame();
        long bytes = dp.counters().get(Counter.DNAT_NEW).bytes();
        run(Datapath.FROM_LEGACY, frame);
        assertThat(dp.counters().get(Counter.DNAT_NEW).bytes()).isEqualTo(bytes + frame.length);
    }
}
