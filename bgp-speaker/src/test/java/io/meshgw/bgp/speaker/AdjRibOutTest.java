package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.rib.PathRank;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdjRibOutTest {

    private static final int TO = 5;
    private static final int OTHER = 6;
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final Prefix P2 = Prefix.parse("10.2.0.0/16");
    private static final Prefix V6 = Prefix.parse("2001:db8:1::/48");
    private static final InetAddress NH6 = InetAddress.ofLiteral("2001:db8::1");

    /** Records what AdjRibOut sends, as the session would. */
    private static final class Recorder implements AdjRibOut.Output {
        boolean established = true;
        boolean writable = true;
        CodecOptions options = CodecOptions.MODERN;
        final List<Update> sent = new ArrayList<>();

        @Override
        public boolean established() {
            return established;
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public CodecOptions options() {
            return options;
        }

        @Override
        public void send(Update update) {
            sent.add(update);
        }
    }

    private final LocRib<Prefix, RouteAttributes> rib = new LocRib<>();
    private final Recorder session = new Recorder();
    private final FakeTransport transport = new FakeTransport();
    private Exporter exporter;
    private AdjRibOut out;

    @BeforeEach
    void up() {
        var config = PeerConfig.builder("to", InetAddress.ofLiteral("192.0.2.2"), 65020)
                .families(Set.of(Afi.IPV4, Afi.IPV6))
                .ipv6NextHop(NH6)
                .exportPolicy(Policy.acceptAll())
                .build();
        exporter = new Exporter(TO, config, 65000, i -> false, ExporterTest.NO_INTERFACES);
        exporter.sessionUp(Optional.of(InetAddress.ofLiteral("192.0.2.1")), List.of(Afi.IPV4, Afi.IPV6), false);
        out = new AdjRibOut(exporter, rib, session, transport);
    }

    /** Attributes that differ, after export too, by {@code tag}. */
    private static RouteAttributes attrs(long tag) {
        return new RouteAttributes(List.of(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65010L),
                new PathAttribute.Communities(List.of(65010L << 16 | tag))));
    }

    private static final PathRank RANK = new PathRank(false, 100, 1, 0, 0, 65010, true, 0, 1, 1, 0);

    private static Optional<Path<RouteAttributes>> path(int from, RouteAttributes a) {
        return Optional.of(new Path<>(from, a, RANK, false));
    }

    private static AdjRibOut.Change change(
            Prefix p, Optional<Path<RouteAttributes>> before, Optional<Path<RouteAttributes>> now) {
        return new AdjRibOut.Change(p, before, now);
    }

    @Test
    void nothingGoesOutBeforeTheSessionIsEstablished() {
        session.established = false;
        out.send(List.of(change(P1, Optional.empty(), path(OTHER, attrs(1)))));
        assertThat(session.sent).isEmpty();
        assertThat(out.advertised()).isZero();
    }

    @Test
    void prefixesWithTheSameAttributesShareOneUpdate() {
        RouteAttributes a = attrs(1);
        out.send(List.of(change(P1, Optional.empty(), path(OTHER, a)), change(P2, Optional.empty(), path(OTHER, a))));

        assertThat(session.sent).hasSize(1);
        assertThat(session.sent.getFirst().nlri()).containsExactly(P1, P2);
        assertThat(session.sent
                        .getFirst()
                        .attribute(PathAttribute.AsPath.class)
                        .orElseThrow()
                        .flatten())
                .as("exported, not the Loc-RIB's attributes")
                .containsExactly(65000L, 65010L);
        assertThat(out.advertised()).isEqualTo(2);
    }

    @Test
    void aChangeOnlyInWhatExportStripsIsNotSent() {
        RouteAttributes med1 = new RouteAttributes(List.of(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65010L),
                new PathAttribute.MultiExitDisc(1)));
        RouteAttributes med2 = new RouteAttributes(List.of(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65010L),
                new PathAttribute.MultiExitDisc(2)));
        out.send(List.of(change(P1, Optional.empty(), path(OTHER, med1))));
        out.send(List.of(change(P1, path(OTHER, med1), path(OTHER, med2))));
        assertThat(session.sent).as("the MED does not go to an external peer").hasSize(1);
    }

    @Test
    void aNewBestThatExportsTheSameIsNotSentAgain() {
        RouteAttributes a = attrs(1);
        out.send(List.of(change(P1, Optional.empty(), path(OTHER, a))));
        session.sent.clear();

        out.send(List.of(change(P1, path(OTHER, a), path(OTHER + 1, a))));

        assertThat(session.sent).isEmpty();
        assertThat(out.advertised()).isEqualTo(1);
    }

    @Test
    void aNewBestThatExportsDifferentlyReplacesTheOldOne() {
        out.send(List.of(change(P1, Optional.empty(), path(OTHER, attrs(1)))));
        out.send(List.of(change(P1, path(OTHER, attrs(1)), path(OTHER, attrs(2)))));

        assertThat(session.sent).hasSize(2);
        assertThat(session.sent.getLast().nlri()).containsExactly(P1);
        assertThat(out.advertised()).isEqualTo(1);
    }

    @Test
    void aBestThatNoLongerExportsIsWithdrawn() {
        out.send(List.of(change(P1, Optional.empty(), path(OTHER, attrs(1)))));
        out.send(List.of(change(P1, path(OTHER, attrs(1)), path(TO, attrs(1)))));

        assertThat(session.sent.getLast().withdrawn())
                .as("split horizon now: withdraw")
                .containsExactly(P1);
        assertThat(out.advertised()).isZero();

        out.send(List.of(change(P2, path(TO, attrs(1)), Optional.empty())));
        assertThat(session.sent).as("it never had P2: nothing to withdraw").hasSize(2);
        assertThat(out.advertised()).isZero();
    }

    @Test
    void aGoneBestIsWithdrawn() {
        out.send(List.of(change(P1, Optional.empty(), path(OTHER, attrs(1)))));
        out.send(List.of(change(P1, path(OTHER, attrs(1)), Optional.empty())));
        Update w = session.sent.getLast();
        assertThat(w.withdrawn()).containsExactly(P1);
        assertThat(w.nlri()).isEmpty();
        assertThat(w.attributes()).isEmpty();
    }

    @Test
    void ipv6GoesInMpReachWithOurNextHopAndIsWithdrawnInMpUnreach() {
        RouteAttributes a = attrs(1);
        out.send(List.of(change(V6, Optional.empty(), path(OTHER, a))));
        Update u = session.sent.getFirst();
        assertThat(u.nlri()).isEmpty();
        PathAttribute.MpReachNlri reach =
                u.attribute(PathAttribute.MpReachNlri.class).orElseThrow();
        assertThat(reach.nlri()).containsExactly(V6);
        assertThat(reach.nextHop()).isEqualTo(NH6.getAddress());
        assertThat(u.attribute(PathAttribute.NextHop.class)).isEmpty();

        out.send(List.of(change(V6, path(OTHER, a), Optional.empty())));
        Update w = session.sent.getLast();
        assertThat(w.attribute(PathAttribute.MpUnreachNlri.class).orElseThrow().withdrawn())
                .containsExactly(V6);
        assertThat(w.withdrawn()).isEmpty();
    }

    @Test
    void withRfc8950Ipv4GoesInMpReachAndIsWithdrawnInMpUnreach() {
        var config = PeerConfig.builder("to", InetAddress.ofLiteral("2001:db8::2"), 65020)
                .extendedNextHop(true)
                .exportPolicy(Policy.acceptAll())
                .build();
        var e = new Exporter(TO, config, 65000, i -> false, ExporterTest.NO_INTERFACES);
        e.sessionUp(Optional.of(InetAddress.ofLiteral("2001:db8::1")), List.of(Afi.IPV4), true);
        var viaV6 = new AdjRibOut(e, rib, session, transport);
        RouteAttributes a = attrs(1);
        viaV6.send(List.of(change(P1, Optional.empty(), path(OTHER, a))));
        Update u = session.sent.getFirst();
        assertThat(u.nlri()).isEmpty();
        PathAttribute.MpReachNlri reach =
                u.attribute(PathAttribute.MpReachNlri.class).orElseThrow();
        assertThat(reach.afi()).isEqualTo(Afi.IPV4);
        assertThat(reach.nlri()).containsExactly(P1);
        assertThat(reach.nextHop()).isEqualTo(NH6.getAddress());

        viaV6.send(List.of(change(P1, path(OTHER, a), Optional.empty())));
        Update w = session.sent.getLast();
        PathAttribute.MpUnreachNlri unreach =
                w.attribute(PathAttribute.MpUnreachNlri.class).orElseThrow();
        assertThat(unreach.afi()).isEqualTo(Afi.IPV4);
        assertThat(unreach.withdrawn()).containsExactly(P1);
    }

    @Test
    void theFullTableEndsWithEndOfRibPerFamily() {
        rib.update(OTHER, P1, attrs(1), RANK);
        rib.update(OTHER, P2, attrs(2), RANK);
        rib.update(TO, Prefix.parse("10.9.0.0/16"), attrs(1), RANK);
        rib.update(OTHER, V6, attrs(1), RANK);

        out.sendFullTable(List.of(Afi.IPV4, Afi.IPV6), true);

        List<Prefix> announced = new ArrayList<>();
        for (Update u : session.sent) {
            announced.addAll(u.nlri());
            u.attribute(PathAttribute.MpReachNlri.class).ifPresent(m -> announced.addAll(m.nlri()));
        }
        assertThat(announced).as("not the peer's own route").containsExactlyInAnyOrder(P1, P2, V6);
        assertThat(session.sent.subList(session.sent.size() - 2, session.sent.size()))
                .containsExactly(Update.endOfRib(Afi.IPV4), Update.endOfRib(Afi.IPV6));
        assertThat(out.advertised()).isEqualTo(3);

        out.reset();
        assertThat(out.advertised()).isZero();
    }

    @Test
    void aRouteRefreshResendsOneFamilyWithoutEndOfRib() {
        rib.update(OTHER, P1, attrs(1), RANK);
        rib.update(OTHER, V6, attrs(1), RANK);
        out.sendFullTable(List.of(Afi.IPV4, Afi.IPV6), true);
        session.sent.clear();

        out.resendAll(Afi.IPV4);

        assertThat(session.sent).hasSize(1);
        assertThat(session.sent.getFirst().nlri()).containsExactly(P1);
        assertThat(out.advertised())
                .as("a refresh does not change what the peer has")
                .isEqualTo(2);
    }

    @Test
    void manyPrefixesArePackedIntoUpdatesThatFitTheMessageLimit() {
        RouteAttributes a = attrs(1);
        List<AdjRibOut.Change> changes = new ArrayList<>();
        List<Prefix> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Prefix p = Prefix.parse("10." + (i / 256) + "." + (i % 256) + ".0/24");
            all.add(p);
            changes.add(change(p, Optional.empty(), path(OTHER, a)));
        }
        out.send(changes);

        assertThat(session.sent).hasSizeGreaterThan(1);
        List<Prefix> sent = new ArrayList<>();
        for (Update u : session.sent) {
            assertThat(MessageEncoder.encode(u, session.options).length).isLessThanOrEqualTo(4096);
            sent.addAll(u.nlri());
        }
        assertThat(sent).containsExactlyElementsOf(all);

        session.sent.clear();
        List<AdjRibOut.Change> gone = new ArrayList<>();
        for (Prefix p : all) {
            gone.add(change(p, path(OTHER, a), Optional.empty()));
        }
        out.send(gone);
        List<Prefix> withdrawn = new ArrayList<>();
        for (Update u : session.sent) {
            assertThat(MessageEncoder.encode(u, session.options).length).isLessThanOrEqualTo(4096);
            withdrawn.addAll(u.withdrawn());
        }
        assertThat(withdrawn).containsExactlyElementsOf(all);
        assertThat(out.advertised()).isZero();
    }

    @Test
    void manyIpv6PrefixesArePackedToTheLimitToo() {
        RouteAttributes a = attrs(1);
        List<AdjRibOut.Change> changes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            changes.add(change(
                    Prefix.parse("2001:db8:" + Integer.toHexString(i) + "::/48"), Optional.empty(), path(OTHER, a)));
        }
        out.send(changes);
        int n = 0;
        for (Update u : session.sent) {
            assertThat(MessageEncoder.encode(u, session.options).length).isLessThanOrEqualTo(4096);
            n += u.attribute(PathAttribute.MpReachNlri.class)
                    .orElseThrow()
                    .nlri()
                    .size();
        }
        assertThat(n).isEqualTo(1000);
        assertThat(session.sent).hasSizeGreaterThan(1);
    }

    @Test
    void updatesArePackedFullBeforeANewOneStarts() {
        RouteAttributes a = attrs(1);
        List<AdjRibOut.Change> changes = new ArrayList<>();
        List<AdjRibOut.Change> gone = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Prefix p = Prefix.parse("10." + (i / 256) + "." + (i % 256) + ".0/24");
            changes.add(change(p, Optional.empty(), path(OTHER, a)));
            gone.add(change(p, path(OTHER, a), Optional.empty()));
        }
        out.send(changes);
        assertAllButTheLastAreFull(session.sent, 4);
        session.sent.clear();
        out.send(gone);
        assertAllButTheLastAreFull(session.sent, 4);
    }

    /** Each UPDATE but the last had no room for one more prefix of {@code prefixBytes}. */
    private void assertAllButTheLastAreFull(List<Update> updates, int prefixBytes) {
        assertThat(updates).hasSizeGreaterThan(1);
        for (Update u : updates.subList(0, updates.size() - 1)) {
            assertThat(MessageEncoder.encode(u, session.options).length)
                    .as("one more prefix would not have fit")
                    .isGreaterThan(4096 - prefixBytes)
                    .isLessThanOrEqualTo(4096);
        }
    }

    @Test
    void ipv6WithdrawalsArePackedToTheLimit() {
        RouteAttributes a = attrs(1);
        List<AdjRibOut.Change> changes = new ArrayList<>();
        List<AdjRibOut.Change> gone = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Prefix p = Prefix.parse("2001:db8:" + Integer.toHexString(i) + "::/48");
            changes.add(change(p, Optional.empty(), path(OTHER, a)));
            gone.add(change(p, path(OTHER, a), Optional.empty()));
        }
        out.send(changes);
        session.sent.clear();

        out.send(gone);

        assertAllButTheLastAreFull(session.sent, 7);
        int n = 0;
        for (Update u : session.sent) {
            n += u.attribute(PathAttribute.MpUnreachNlri.class)
                    .orElseThrow()
                    .withdrawn()
                    .size();
        }
        assertThat(n).isEqualTo(1000);
    }
    /** {@code n} /32s from OTHER, each with attributes of its own so each is an UPDATE of its own. */
    private List<Prefix> table(int n) {
        List<Prefix> prefixes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Prefix p = Prefix.parse("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + "/32");
            rib.update(OTHER, p, attrs(i), RANK);
            prefixes.add(p);
        }
        return prefixes;
    }

    @Test
    void aTableLargerThanAChunkGoesOutOverTurnsOfTheLoopWithEndOfRibLast() {
        int n = AdjRibOut.WALK_CHUNK * 2 + 10;
        table(n);

        out.sendFullTable(List.of(Afi.IPV4), true);
        assertThat(session.sent).as("one chunk per turn of the loop").hasSize(AdjRibOut.WALK_CHUNK);

        transport.runPending();
        assertThat(session.sent).hasSize(n + 1);
        assertThat(session.sent.getLast()).isEqualTo(Update.endOfRib(Afi.IPV4));
        assertThat(out.advertised()).isEqualTo(n);
    }

    @Test
    void aWalkPausesWhileTheConnectionIsNotWritableAndGoesOnWhenItDrains() {
        int n = AdjRibOut.WALK_CHUNK * 2;
        table(n);
        out.sendFullTable(List.of(Afi.IPV4), true);
        session.writable = false;
        transport.runPending();
        assertThat(session.sent).hasSize(AdjRibOut.WALK_CHUNK);

        session.writable = true;
        out.resume();
        transport.runPending();
        assertThat(session.sent).hasSize(n + 1);
    }

    @Test
    void changesDuringTheFullTableWalkFollowItAndKeepTheCountRight() {
        int n = AdjRibOut.WALK_CHUNK * 2;
        List<Prefix> prefixes = table(n);
        out.sendFullTable(List.of(Afi.IPV4), true);
        Prefix walked = prefixes.stream()
                .filter(p -> session.sent.stream().anyMatch(u -> u.nlri().contains(p)))
                .findFirst()
                .orElseThrow();
        Prefix notYet = prefixes.stream()
                .filter(p -> session.sent.stream().noneMatch(u -> u.nlri().contains(p)))
                .findFirst()
                .orElseThrow();

        var walkedPath = rib.best(walked);
        var notYetPath = rib.best(notYet);
        rib.withdraw(OTHER, walked);
        rib.withdraw(OTHER, notYet);
        out.send(List.of(change(walked, walkedPath, Optional.empty()), change(notYet, notYetPath, Optional.empty())));
        assertThat(session.sent).as("held until the table is out").hasSize(AdjRibOut.WALK_CHUNK);
        transport.runPending();

        List<Update> after = session.sent.subList(AdjRibOut.WALK_CHUNK, session.sent.size());
        assertThat(after).noneMatch(u -> u.nlri().contains(notYet));
        assertThat(after.getLast().withdrawn())
                .as("after End-of-RIB, the withdrawal of the one it had")
                .containsExactly(walked);
        assertThat(out.advertised()).isEqualTo(n - 2);
    }
}
