package io.meshgw.gateway.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PolicyConfig;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerConfigs;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.operator.port.RouteSelector;
import io.meshgw.types.IpPrefix;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the BGP adapter does beyond the port's contract ({@code BgpAdapterContractTest}), against a real speaker (not
 * listening; peers on loopback refuse): properties peers, peers the speaker cannot run, and which changes ask for a
 * pass.
 */
class BgpAdapterTest {

    private static final ResourceRef OWNER = new ResourceRef("MeshServiceExport", new ObjectKey("shop", "web"));

    private BgpSpeaker speaker;
    private BgpAdapter adapter;

    @BeforeEach
    void start() {
        speaker = BgpSpeaker.start(new SpeakerConfig(65000, 0x0a000001L, InetAddress.ofLiteral("127.0.0.1"), 0));
        adapter = new BgpAdapter(() -> Optional.of(speaker), () -> Set.of("dc1"), () -> 65000);
    }

    @AfterEach
    void stop() {
        speaker.close();
    }

    @Test
    void peersConfiguredInPropertiesAreLeftAloneAndPoliciesBuiltAgainEqualWhatRuns() {
        speaker.addPeer(io.meshgw.bgp.speaker.PeerConfig.builder("dc1", InetAddress.ofLiteral("127.0.0.9"), 65009)
                .build());
        var r1 = peer("r1", "127.0.0.2", 90, Optional.of(policy()));

        adapter.changesFor(plan(peers(r1))).applyPeers();
        assertThat(speaker.peerConfigs()).containsOnlyKeys("dc1", "net/r1");
        assertThat(adapter.changesFor(plan(peers(peer("r1", "127.0.0.2", 90, Optional.of(policy())))))
                        .isEmpty())
                .as("the same plan built again equals what runs, policies with AS-path expressions included")
                .isTrue();

        adapter.changesFor(plan(Map.of())).applyPeers();
        assertThat(speaker.peerConfigs()).containsOnlyKeys("dc1");
        assertThat(adapter.sessions()).isEmpty();
    }

    @Test
    void aPolicyEditReconfiguresTheSessionInPlaceAndAnAsnEditStartsANewOne() {
        List<io.meshgw.bgp.fsm.State> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        speaker.subscribe(new io.meshgw.bgp.speaker.SpeakerListener() {
            @Override
            public void sessionChanged(io.meshgw.bgp.speaker.PeerStatus status) {
                states.add(status.state());
            }

            @Override
            public void bestRoutesChanged(List<io.meshgw.bgp.speaker.BestRouteChange> changes) {}
        });
        adapter.changesFor(plan(peers(peer("r1", "127.0.0.2", 90, Optional.empty()))))
                .applyPeers();
        speaker.peers();
        states.clear();

        adapter.changesFor(plan(peers(peer("r1", "127.0.0.2", 90, Optional.of(policy())))))
                .applyPeers();
        speaker.peers(); // the speaker's events of the change are out by now

        assertThat(speaker.peerConfigs().get("net/r1").exportPolicy().name()).isEqualTo("net/export");
        // Its dial may fail meanwhile (Connect to Active), but only a stop takes it to Idle.
        assertThat(states)
                .as("the session was not stopped and started again")
                .doesNotContain(io.meshgw.bgp.fsm.State.IDLE);

        var otherAs = PeerConfigs.peer("r1", "127.0.0.2")
                .peerAsn(65011)
                .hold(90)
                .password("s3cret")
                .gracefulRestart(120)
                .exportPolicy(Optional.of(policy()))
                .build();
        adapter.changesFor(plan(peers(otherAs))).applyPeers();
        speaker.peers();

        assertThat(speaker.peerConfigs().get("net/r1").peerAsn()).isEqualTo(65011);
        assertThat(states).as("a new AS takes a new session").contains(io.meshgw.bgp.fsm.State.IDLE);
    }

    @Test
    void aPeerTheSpeakerCannotRunIsSkippedAndTheOthersApplied() {
        var wrongAs = PeerConfigs.peer("bad", "127.0.0.4").localAsn(64999).build();
        adapter.changesFor(plan(peers(wrongAs, peer("r1", "127.0.0.2", 90, Optional.empty()))))
                .applyPeers();
        assertThat(speaker.peerConfigs()).containsOnlyKeys("net/r1");
    }

    @Test
    void aPeerOnAnAddressTheSpeakerAlreadyPeersWithIsSkippedAndTheOthersApplied() {
        speaker.addPeer(io.meshgw.bgp.speaker.PeerConfig.builder("dc1", InetAddress.ofLiteral("127.0.0.9"), 65009)
                .build());
        var r1 = peer("r1", "127.0.0.2", 90, Optional.empty());
        // The planner tells sessions apart by peer and local address; the speaker by peer address only.
        var r1FromElsewhere =
                PeerConfigs.peer("r1b", "127.0.0.2").localAddress("127.0.0.1").build();
        var onDc1 = peer("r9", "127.0.0.9", 90, Optional.empty());
        var r2 = peer("r2", "127.0.0.3", 90, Optional.empty());
        var plan = plan(peers(r1, r1FromElsewhere, onDc1, r2));

        adapter.changesFor(plan).applyPeers();

        assertThat(speaker.peerConfigs()).containsOnlyKeys("dc1", "net/r1", "net/r2");
        assertThat(adapter.changesFor(plan).isEmpty())
                .as("what the speaker can run of the plan runs")
                .isTrue();
    }

    @Test
    void successivePlansLeaveTheSpeakerOriginatingExactlyTheLastPlansRoutes() {
        apply(plan(Map.of(), announcement("198.51.100.1/32"), announcement("198.51.100.2/32", "65000:1")));
        apply(plan(Map.of(), announcement("198.51.100.2/32", "65000:2"), announcement("198.51.100.3/32")));
        assertThat(originated())
                .containsOnlyKeys("198.51.100.2/32", "198.51.100.3/32")
                .containsEntry("198.51.100.2/32", List.of(new Community(65000L << 16 | 2)));
        assertThat(adapter.changesFor(plan(
                                Map.of(), announcement("198.51.100.2/32", "65000:2"), announcement("198.51.100.3/32")))
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aRouteChangedInTheSpeakerBehindTheAdaptersBackIsPutRightByTheNextPass() {
        var wanted = plan(Map.of(), announcement("198.51.100.1/32"), announcement("198.51.100.2/32"));
        apply(wanted);
        speaker.withdraw(SpeakerRoutes.prefix(IpPrefix.parse("198.51.100.1/32")));
        speaker.originate(SpeakerRoutes.prefix(IpPrefix.parse("198.51.100.9/32")), List.of());

        var changes = adapter.changesFor(wanted);
        assertThat(changes.isEmpty())
                .as("what the adapter left is no longer what the speaker holds")
                .isFalse();
        changes.withdraw();
        changes.announce();
        assertThat(originated()).containsOnlyKeys("198.51.100.1/32", "198.51.100.2/32");
    }

    @Test
    void aPassStoppedAfterItsWithdrawalsLeavesTheNextPassToReadTheSpeaker() {
        apply(plan(Map.of(), announcement("198.51.100.1/32")));
        var changes = adapter.changesFor(plan(Map.of(), announcement("198.51.100.2/32")));
        changes.withdraw(); // the datapath step fails: announce never runs

        apply(plan(Map.of(), announcement("198.51.100.1/32"), announcement("198.51.100.2/32")));
        assertThat(originated()).containsOnlyKeys("198.51.100.1/32", "198.51.100.2/32");
    }

    private void apply(Plan plan) {
        var changes = adapter.changesFor(plan);
        changes.withdraw();
        changes.announce();
    }

    /** The speaker's originated routes by prefix text, with their communities. */
    private Map<String, List<Community>> originated() {
        Map<String, List<Community>> out = new java.util.TreeMap<>();
        speaker.originated()
                .forEach((p, a) -> out.put(SpeakerRoutes.prefix(p).toString(), SpeakerRoutes.communities(a)));
        return out;
    }

    @Test
    void withoutASpeakerThereIsNothingToChange() {
        var off = new BgpAdapter(Optional::empty, Set::of, () -> 65000);
        assertThat(off.changesFor(plan(Map.of(), announcement("198.51.100.3/32")))
                        .isEmpty())
                .isTrue();
        assertThat(off.sessions()).isEmpty();
    }

    @Test
    void onlyChangesThePlanDependsOnAskForAPass() {
        var asked = new java.util.concurrent.atomic.AtomicInteger();
        adapter.onChange(asked::incrementAndGet);
        var selector = new RouteSelector(
                List.of(new PolicyConfig.PrefixRule(IpPrefix.parse("192.0.2.0/24"), 24, 32)),
                List.of(Community.parse("65001:7")),
                List.of());
        adapter.learnedRoutes(List.of(selector));

        adapter.sessionChanged(status("dc1"));
        assertThat(asked)
                .as("a session configured in properties is not the plan's")
                .hasValue(0);
        adapter.sessionChanged(status("net/r1"));
        assertThat(asked).hasValue(1);

        adapter.bestRoutesChanged(List.of(change("10.9.0.0/16", 65001L << 16 | 7)));
        assertThat(asked).as("outside every selector").hasValue(1);
        adapter.bestRoutesChanged(List.of(change("192.0.2.10/32", 65001L << 16 | 8)));
        assertThat(asked).as("inside the prefix but without the community").hasValue(1);
        adapter.bestRoutesChanged(List.of(change("10.9.0.0/16", 1), change("192.0.2.10/32", 65001L << 16 | 7)));
        assertThat(asked).as("one selected route in the batch").hasValue(2);
    }

    @Test
    void aRouteTheLastPassSelectedConcernsThePlanWhenItGoesOrChanges() {
        var selector = new RouteSelector(
                List.of(new PolicyConfig.PrefixRule(IpPrefix.parse("192.0.2.0/24"), 24, 32)),
                List.of(Community.parse("65001:7")),
                List.of());
        var interest = new BgpAdapter.Interest(List.of(selector), Set.of(IpPrefix.parse("192.0.2.10/32")));
        var gone = new io.meshgw.bgp.speaker.BestRouteChange(Prefix.parse("192.0.2.10/32"), Optional.empty());
        var goneElsewhere = new io.meshgw.bgp.speaker.BestRouteChange(Prefix.parse("192.0.2.11/32"), Optional.empty());

        assertThat(interest.concerns(gone)).isTrue();
        assertThat(interest.concerns(change("192.0.2.10/32", 1)))
                .as("it lost the community: its LegacyService must drop it")
                .isTrue();
        assertThat(interest.concerns(goneElsewhere)).as("no pass selected it").isFalse();
        assertThat(interest.concerns(change("192.0.2.11/32", 65001L << 16 | 7))).isTrue();
    }

    private static io.meshgw.bgp.speaker.PeerStatus status(String name) {
        return new io.meshgw.bgp.speaker.PeerStatus(
                name,
                "127.0.0.2",
                65001,
                io.meshgw.bgp.fsm.State.ESTABLISHED,
                Optional.empty(),
                0,
                0,
                Map.of(),
                0,
                0,
                0,
                0,
                Optional.empty(),
                0,
                Map.of(),
                0,
                0,
                Map.of());
    }

    private static io.meshgw.bgp.speaker.BestRouteChange change(String prefix, long community) {
        var attributes = new io.meshgw.bgp.speaker.RouteAttributes(List.of(
                new PathAttribute.Origin(0),
                new PathAttribute.AsPath(List.of()),
                new PathAttribute.Communities(List.of(community))));
        return new io.meshgw.bgp.speaker.BestRouteChange(
                Prefix.parse(prefix),
                Optional.of(new io.meshgw.bgp.speaker.BestRoute(Prefix.parse(prefix), "net/tor", attributes)));
    }

    private static Announcement announcement(String prefix, String... communities) {
        return new Announcement(
                IpPrefix.parse(prefix),
                java.util.Arrays.stream(communities).map(Community::parse).toList(),
                OWNER);
    }

    private static Plan plan(Map<ObjectKey, PeerConfig> peers, Announcement... announcements) {
        Map<IpPrefix, Announcement> byPrefix = new LinkedHashMap<>();
        for (Announcement a : announcements) {
            byPrefix.put(a.prefix(), a);
        }
        return new Plan(peers, byPrefix, Map.of(), Map.of(), Map.of(), Map.of(), List.of());
    }

    private static Map<ObjectKey, PeerConfig> peers(PeerConfig... peers) {
        Map<ObjectKey, PeerConfig> out = new LinkedHashMap<>();
        for (PeerConfig p : peers) {
            out.put(p.peer(), p);
        }
        return out;
    }

    private static PeerConfig peer(String name, String address, int hold, Optional<PolicyConfig> export) {
        return PeerConfigs.peer(name, address)
                .hold(hold)
                .password("s3cret")
                .gracefulRestart(120)
                .exportPolicy(export)
                .build();
    }

    private static PolicyConfig policy() {
        return new PolicyConfig(
                new ObjectKey("net", "export"),
                List.of(new PolicyConfig.Statement(
                        "vips",
                        new PolicyConfig.Match(
                                List.of(new PolicyConfig.PrefixRule(IpPrefix.parse("198.51.100.0/24"), 32, 32)),
                                List.of(Community.parse("65000:7")),
                                List.of(),
                                Optional.of("^65000$")),
                        new PolicyConfig.Actions(
                                true, OptionalLong.empty(), OptionalLong.of(10), List.of(), OptionalInt.empty()))));
    }
}
