package io.meshgw.operator.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PolicyConfig.PrefixRule;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link BgpTarget} does, whatever speaker it drives. The operator's {@link FakeBgp} and the gateway's
 * adapter over a real speaker both run these tests, so the fake the operator's tests trust cannot drift from what
 * the gateway does.
 *
 * <p>A subclass gives the target and reads back what its speaker holds, in the plan's terms. The speaker speaks as AS
 * {@value #LOCAL_ASN}; the plans' peers are on 127.0.0.2 to 127.0.0.4, where nothing listens, so sessions come up only
 * when {@link #peerSends} brings one up.
 */
public abstract class BgpTargetContract {
    protected static final long LOCAL_ASN = 65000;

    /** A session the speaker runs, in the plan's terms: enough to tell one configuration of a peer from another. */
    public record ConfiguredPeer(IpAddress address, long peerAsn, int holdSeconds) {
        public static ConfiguredPeer of(PeerConfig peer) {
            return new ConfiguredPeer(
                    peer.peerAddress(), peer.peerAsn(), peer.timers().holdSeconds());
        }
    }

    /** A route a datacenter peer sends. */
    public record SentRoute(IpPrefix prefix, List<Community> communities) {
        public SentRoute {
            communities = List.copyOf(communities);
        }

        public static SentRoute of(String prefix, String... communities) {
            return new SentRoute(
                    IpPrefix.parse(prefix),
                    Arrays.stream(communities).map(Community::parse).toList());
        }
    }

    /** A learned route as the contract compares it: the next hop is the peer's business. */
    record Learned(IpPrefix prefix, ObjectKey peer, List<Community> communities) {
        static Learned of(LearnedRoute route) {
            return new Learned(route.prefix(), route.peer(), route.communities());
        }

        static Learned of(PeerConfig peer, SentRoute route) {
            return new Learned(route.prefix(), peer.peer(), route.communities());
        }
    }

    /** The target under test, holding nothing yet. */
    protected abstract BgpTarget target();

    /** The routes the speaker originates now, with their communities. */
    protected abstract Map<IpPrefix, List<Community>> originated();

    /** The sessions the speaker runs for plans now, by BgpPeer (sessions configured elsewhere are not the plans'). */
    protected abstract Map<ObjectKey, ConfiguredPeer> configuredPeers();

    /**
     * Brings up the session of {@code peer}, which the last plan applied configured, and has the peer send
     * {@code routes}; returns once the speaker has learned them.
     */
    protected abstract void peerSends(PeerConfig peer, List<SentRoute> routes);

    static final RouteSelector EVERY_ROUTE = new RouteSelector(List.of(), List.of(), List.of());
    static final ResourceRef WEB = new ResourceRef("MeshServiceExport", new ObjectKey("shop", "web"));
    static final ResourceRef BATCH = new ResourceRef("EgressIdentity", new ObjectKey("pay", "batch"));

    static final PeerConfig R1 = peer("r1", "127.0.0.2", 65001, 90);
    static final PeerConfig R2 = peer("r2", "127.0.0.3", 65002, 90);
    static final PeerConfig R2_SLOWER = peer("r2", "127.0.0.3", 65002, 30);
    static final PeerConfig R3 = peer("r3", "127.0.0.4", 65003, 90);

    /** Two VIPs (one with a community), an IPv6 egress address, two sessions. */
    static final Plan FIRST = new PlanParts()
            .announcements(
                    announcement("198.51.100.1/32", WEB, "65000:1"),
                    announcement("198.51.100.2/32", WEB),
                    announcement("2001:db8::1/128", BATCH, "65000:6"))
            .peers(R1, R2)
            .plan();

    /** One VIP gone, one with other communities, one new, the IPv6 one as it was; a session gone, one changed, one new. */
    static final Plan SECOND = new PlanParts()
            .announcements(
                    announcement("198.51.100.2/32", WEB, "65000:2", "65000:3"),
                    announcement("198.51.100.3/32", WEB),
                    announcement("2001:db8::1/128", BATCH, "65000:6"))
            .peers(R2_SLOWER, R3)
            .plan();

    @Test
    void aPlanIsHeldExactlyWhateverWasHeldBefore() {
        assertThat(target().changesFor(Plan.EMPTY).isEmpty())
                .as("a speaker that holds nothing needs nothing for the empty plan")
                .isTrue();

        applyAll(FIRST);
        assertHolds(FIRST);

        applyAll(SECOND);
        assertHolds(SECOND);

        applyAll(Plan.EMPTY);
        assertHolds(Plan.EMPTY);
    }

    @Test
    void theSamePlanAgainNeedsNothing() {
        applyAll(FIRST);

        assertThat(target().changesFor(FIRST).isEmpty()).isTrue();
        assertThat(target().changesFor(rebuilt(FIRST)).isEmpty())
                .as("an equal plan built again")
                .isTrue();
        applyAll(FIRST);
        assertHolds(FIRST);
    }

    @Test
    void whichObjectARouteIsForIsNotWhatTheSpeakerHolds() {
        applyAll(FIRST);
        var sameRoutesOtherOwner = new PlanParts()
                .announcements(FIRST.announcements().values().stream()
                        .map(a -> new Announcement(a.prefix(), a.communities(), BATCH))
                        .toArray(Announcement[]::new))
                .peers(R1, R2)
                .plan();

        assertThat(target().changesFor(sameRoutesOtherOwner).isEmpty()).isTrue();
    }

    static Stream<Arguments> differences() {
        return Stream.of(
                Arguments.of("one route more", with(FIRST, announcement("198.51.100.9/32", WEB)), List.of()),
                Arguments.of("one route less", without(FIRST, IpPrefix.parse("198.51.100.1/32")), List.of()),
                Arguments.of(
                        "other communities", with(FIRST, announcement("198.51.100.1/32", WEB, "65000:9")), List.of()),
                Arguments.of("no communities", with(FIRST, announcement("198.51.100.1/32", WEB)), List.of()),
                Arguments.of("one session more", FIRST, List.of(R1, R2, R3)),
                Arguments.of("one session less", FIRST, List.of(R1)),
                Arguments.of("a session changed", FIRST, List.of(R1, R2_SLOWER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differences")
    void anyDifferenceNeedsChangesThatMakeTheSpeakerHoldIt(String difference, Plan routes, List<PeerConfig> peers) {
        applyAll(FIRST);
        var plan = new PlanParts()
                .announcements(routes.announcements().values().toArray(Announcement[]::new))
                .peers(peers.toArray(PeerConfig[]::new))
                .plan();

        var changes = target().changesFor(plan);
        assertThat(changes.isEmpty()).isFalse();
        run(changes);
        assertHolds(plan);
        assertThat(target().changesFor(plan).isEmpty()).isTrue();
    }

    @Test
    void eachStepChangesItsPartOnlyAndNothingChangesBeforeTheSteps() {
        applyAll(FIRST);

        var changes = target().changesFor(SECOND);
        assertHolds(FIRST);

        changes.withdraw();
        assertThat(originated())
                .as("withdraw removes the routes the plan no longer has and adds or changes none")
                .isEqualTo(routes(FIRST, SECOND.announcements().keySet()));
        assertThat(configuredPeers()).isEqualTo(peers(FIRST));

        changes.announce();
        assertThat(originated()).isEqualTo(routes(SECOND));
        assertThat(configuredPeers())
                .as("sessions change in the last step only")
                .isEqualTo(peers(FIRST));

        changes.applyPeers();
        assertHolds(SECOND);
    }

    @Test
    void sessionsThatTradeAddressesInOnePlanBothRun() {
        applyAll(FIRST);
        var traded = new PlanParts()
                .peers(peer("r1", "127.0.0.3", 65001, 90), peer("r2", "127.0.0.2", 65002, 90))
                .plan();

        applyAll(traded);

        assertHolds(traded);
    }

    @Test
    void sessionsAreThoseOfThePlansPeersAndARemovedPeersGoWithTheStepThatRemovesIt() {
        applyAll(FIRST);
        peerSends(R1, List.of(SentRoute.of("192.0.2.0/24")));

        assertThat(target().sessions()).containsKey(R1.peer());
        assertThat(target().sessions().keySet()).isSubsetOf(FIRST.peers().keySet());
        assertThat(target().sessions().get(R1.peer()).established()).isTrue();

        var withoutR1 = new PlanParts().peers(R2).plan();
        var changes = target().changesFor(withoutR1);
        changes.withdraw();
        changes.announce();
        assertThat(target().sessions()).as("before applyPeers").containsKey(R1.peer());
        assertThat(learned(EVERY_ROUTE)).containsExactly(Learned.of(R1, SentRoute.of("192.0.2.0/24")));

        changes.applyPeers();
        assertThat(target().sessions()).doesNotContainKey(R1.peer());
        assertThat(target().sessions().keySet()).isSubsetOf(Set.of(R2.peer()));
        assertThat(learned(EVERY_ROUTE))
                .as("a removed peer's routes are no longer learned")
                .isEmpty();
    }

    @Test
    void aChangedSessionStartsAgain() {
        applyAll(FIRST);
        peerSends(R2, List.of(SentRoute.of("192.0.2.0/24")));
        assertThat(target().sessions().get(R2.peer()).established()).isTrue();

        applyAll(new PlanParts().peers(R1, R2_SLOWER).plan());

        assertThat(Optional.ofNullable(target().sessions().get(R2.peer())).map(PeerSession::established))
                .as("the new configuration's session is not up yet")
                .isNotEqualTo(Optional.of(true));
        assertThat(learned(EVERY_ROUTE))
                .as("nor are the routes of the session that stopped")
                .isEmpty();
    }

    @Test
    void learnedRoutesAreTheSelectedRoutesPeersSentAndNoneOfTheSpeakersOwn() {
        applyAll(new PlanParts()
                .announcements(announcement("192.0.2.200/32", WEB, "65001:7"))
                .peers(R1, R2)
                .plan());
        var mainframes = SentRoute.of("192.0.2.0/24", "65001:7");
        var elsewhere = SentRoute.of("10.9.0.0/16", "65001:7");
        var unmarked = SentRoute.of("192.0.2.128/25");
        var billing = SentRoute.of("203.0.113.0/24", "65002:1", "65002:2");
        peerSends(R1, List.of(mainframes, elsewhere, unmarked));
        peerSends(R2, List.of(billing));

        var byPrefixAndCommunity = new RouteSelector(
                List.of(new PrefixRule(IpPrefix.parse("192.0.2.0/24"), 24, 32)),
                List.of(Community.parse("65001:7")),
                List.of());
        var byCommunity = new RouteSelector(List.of(), List.of(Community.parse("65002:1")), List.of());

        assertThat(learned(byPrefixAndCommunity)).containsExactly(Learned.of(R1, mainframes));
        assertThat(learned(byPrefixAndCommunity, byCommunity))
                .containsExactlyInAnyOrder(Learned.of(R1, mainframes), Learned.of(R2, billing));
        assertThat(learned()).as("no selector selects nothing").isEmpty();
        assertThat(learned(EVERY_ROUTE))
                .as("every route the peers sent, not the route the speaker originates")
                .containsExactlyInAnyOrder(
                        Learned.of(R1, mainframes),
                        Learned.of(R1, elsewhere),
                        Learned.of(R1, unmarked),
                        Learned.of(R2, billing));
    }

    // ---- helpers

    private void applyAll(Plan plan) {
        run(target().changesFor(plan));
    }

    private static void run(BgpTarget.BgpChanges changes) {
        changes.withdraw();
        changes.announce();
        changes.applyPeers();
    }

    private void assertHolds(Plan plan) {
        assertThat(originated()).as("originated routes").isEqualTo(routes(plan));
        assertThat(configuredPeers()).as("sessions").isEqualTo(peers(plan));
        assertThat(target().sessions().keySet()).isSubsetOf(plan.peers().keySet());
    }

    private List<Learned> learned(RouteSelector... selectors) {
        return target().learnedRoutes(List.of(selectors)).stream()
                .map(Learned::of)
                .toList();
    }

    static Map<IpPrefix, List<Community>> routes(Plan plan) {
        return routes(plan, plan.announcements().keySet());
    }

    static Map<IpPrefix, List<Community>> routes(Plan plan, Set<IpPrefix> only) {
        Map<IpPrefix, List<Community>> out = new LinkedHashMap<>();
        plan.announcements().values().stream()
                .filter(a -> only.contains(a.prefix()))
                .forEach(a -> out.put(a.prefix(), a.communities()));
        return out;
    }

    static Map<ObjectKey, ConfiguredPeer> peers(Plan plan) {
        Map<ObjectKey, ConfiguredPeer> out = new LinkedHashMap<>();
        plan.peers().forEach((key, peer) -> out.put(key, ConfiguredPeer.of(peer)));
        return out;
    }

    static Plan rebuilt(Plan plan) {
        return new PlanParts()
                .announcements(plan.announcements().values().stream()
                        .map(a -> new Announcement(a.prefix(), List.copyOf(a.communities()), a.owner()))
                        .toArray(Announcement[]::new))
                .peers(plan.peers().values().stream()
                        .map(p -> peer(
                                p.peer().name(),
                                p.peerAddress().toString(),
                                p.peerAsn(),
                                p.timers().holdSeconds()))
                        .toArray(PeerConfig[]::new))
                .plan();
    }

    static Plan with(Plan plan, Announcement changed) {
        var all = new LinkedHashMap<>(plan.announcements());
        all.put(changed.prefix(), changed);
        return new PlanParts()
                .announcements(all.values().toArray(Announcement[]::new))
                .plan();
    }

    static Plan without(Plan plan, IpPrefix prefix) {
        return new PlanParts()
                .announcements(plan.announcements().values().stream()
                        .filter(a -> !a.prefix().equals(prefix))
                        .toArray(Announcement[]::new))
                .plan();
    }

    static Announcement announcement(String prefix, ResourceRef owner, String... communities) {
        return new Announcement(
                IpPrefix.parse(prefix),
                Arrays.stream(communities).map(Community::parse).toList(),
                owner);
    }

    static PeerConfig peer(String name, String address, long asn, int holdSeconds) {
        return PeerConfigs.peer(name, address)
                .peerAsn(asn)
                .localAsn(LOCAL_ASN)
                .hold(holdSeconds)
                .build();
    }
}
