package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.rib.LocRib;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class NeighborsTest {

    private final FakeTransport transport = new FakeTransport();
    private final SpeakerConfig local = new SpeakerConfig(65000, 1, null, 0);
    private final Neighbors neighbors = new Neighbors();
    private final PeerContext ctx = new PeerContext(
            local,
            transport,
            new LocRib<>(),
            new Propagation(transport::execute, b -> {}, neighbors::nameOf),
            neighbors::internal,
            new EndOfRibGate());

    private Peer add(String name, String address, long asn) {
        PeerConfig config = PeerConfig.builder(name, InetAddress.ofLiteral(address), asn)
                .exportPolicy(Policy.acceptAll())
                .build();
        neighbors.checkNew(config);
        Peer p = new Peer(neighbors.allocateIndex(), config, ctx);
        neighbors.add(p);
        return p;
    }

    @Test
    void indexesStartAfterLocalAndAreNeverReused() {
        Peer a = add("a", "192.0.2.2", 65010);
        Peer b = add("b", "192.0.2.3", 65000);
        assertThat(a.index()).isEqualTo(LocRib.LOCAL + 1);
        assertThat(b.index()).isEqualTo(LocRib.LOCAL + 2);
        neighbors.remove("a");
        assertThat(add("c", "192.0.2.2", 65010).index()).isEqualTo(LocRib.LOCAL + 3);
    }

    @Test
    void namesResolveLocalPeersAndGoneOnes() {
        Peer a = add("a", "192.0.2.2", 65010);
        assertThat(neighbors.nameOf(LocRib.LOCAL)).isEqualTo("local");
        assertThat(neighbors.nameOf(a.index())).isEqualTo("a");
        neighbors.remove("a");
        assertThat(neighbors.nameOf(a.index())).isEqualTo("?");
    }

    @Test
    void internalMeansAConfiguredPeerOfOurAs() {
        Peer ext = add("ext", "192.0.2.2", 65010);
        Peer in = add("in", "192.0.2.3", 65000);
        assertThat(neighbors.internal(ext.index())).isFalse();
        assertThat(neighbors.internal(in.index())).isTrue();
        assertThat(neighbors.internal(LocRib.LOCAL)).isFalse();
        neighbors.remove("in");
        assertThat(neighbors.internal(in.index())).isFalse();
    }

    @Test
    void aRemoteAddressFindsItsPeerAlsoInIpv4MappedForm() {
        Peer a = add("a", "192.0.2.2", 65010);
        add("b", "2001:db8::2", 65020);
        assertThat(neighbors.forRemote(InetAddress.ofLiteral("192.0.2.2"))).containsSame(a);
        assertThat(neighbors.forRemote(mapped(192, 0, 2, 2))).containsSame(a);
        assertThat(neighbors.forRemote(mapped(192, 0, 2, 3))).isEmpty();
        assertThat(neighbors.forRemote(InetAddress.ofLiteral("2001:db8::2"))).isPresent();
        assertThat(neighbors.forRemote(InetAddress.ofLiteral("192.0.2.9"))).isEmpty();
    }

    @Test
    void onlyTheMappedPrefixCounts() throws Exception {
        add("a", "192.0.2.2", 65010);
        byte[] notMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 2};
        assertThat(neighbors.forRemote(v6(notMapped))).isEmpty();
        byte[] noFf = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, 0, (byte) 192, 0, 2, 2};
        assertThat(neighbors.forRemote(v6(noFf))).isEmpty();
        byte[] otherFf = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 192, 0, 2, 2};
        assertThat(neighbors.forRemote(v6(otherFf))).isEmpty();
    }

    @Test
    void namesAndAddressesAreUnique() {
        add("a", "192.0.2.2", 65010);
        assertThatThrownBy(() -> add("a", "192.0.2.5", 65010)).hasMessage("a peer named a exists already");
        assertThatThrownBy(() -> add("z", "192.0.2.2", 65010)).hasMessage("peer a already uses 192.0.2.2");
        assertThat(neighbors.all()).extracting(Peer::name).containsExactly("a");
        assertThat(neighbors.remove("nope")).isEmpty();
        assertThat(neighbors.named("a")).isPresent();
    }

    /** ::ffff:a.b.c.d as an Inet6Address (InetAddress.getByAddress would fold it to IPv4). */
    private static InetAddress mapped(int a, int b, int c, int d) {
        byte[] v = new byte[16];
        v[10] = (byte) 0xFF;
        v[11] = (byte) 0xFF;
        v[12] = (byte) a;
        v[13] = (byte) b;
        v[14] = (byte) c;
        v[15] = (byte) d;
        return v6(v);
    }

    private static InetAddress v6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
