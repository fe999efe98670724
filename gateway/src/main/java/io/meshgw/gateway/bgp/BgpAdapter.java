package io.meshgw.gateway.bgp;

import io.meshgw.bgp.speaker.AttributeDrop;
import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.speaker.BestRouteChange;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.PeerChange;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.speaker.SpeakerListener;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.ChunkedMap;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.BgpTarget;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.RouteSelector;
import io.meshgw.types.IpPrefix;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The BGP speaker as a target of the plan: BgpPeers become sessions (named by their object key) and announcements
 * become originated host routes. Each pass diffs the plan once against what the speaker runs and originates; the
 * speaker's own sessions and best routes are the read side.
 *
 * <p>It is also what tells the control plane that a pass is due: the speaker pushes session changes and best-route
 * changes, and only those a plan depends on (a session the plan configured, a route a LegacyService selects or
 * selected in the last pass) ask for a pass, so a datacenter's churn in unrelated routes costs no passes.
 */
@ApplicationScoped
public class BgpAdapter implements BgpTarget, SpeakerListener {

    private static final Logger LOG = Logger.getLogger(BgpAdapter.class);

    private final Supplier<Optional<BgpSpeaker>> speaker;
    private final Supplier<Set<String>> propertyPeers;
    private final LongSupplier localAsn;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Interest interest = Interest.NONE;
    private volatile boolean warnedDisabled;
    private boolean subscribed;

    @Inject
    BgpAdapter(BgpService bgp) {
        this(bgp::speaker, bgp::propertyPeers, bgp::localAsn);
    }

    /**
     * @param propertyPeers the names of peers configured outside the plan, which it leaves alone
     */
    public BgpAdapter(
            Supplier<Optional<BgpSpeaker>> speaker, Supplier<Set<String>> propertyPeers, LongSupplier localAsn) {
        this.speaker = speaker;
        this.propertyPeers = propertyPeers;
        this.localAsn = localAsn;
    }

    /**
     * A pass applied its plan: the speaker originates what the control plane wants, so sessions that came up before
     * it (after a restart) may send the End-of-RIB they held back ({@link BgpService}).
     */
    public void passApplied() {
        speaker.get().ifPresent(BgpSpeaker::routesComplete);
    }

    @Override
    public BgpChanges changesFor(Plan plan) {
        Optional<BgpSpeaker> running = speaker.get();
        if (running.isEmpty()) {
            if (!warnedDisabled
                    && !(plan.announcements().isEmpty() && plan.peers().isEmpty())) {
                LOG.warnf(
                        "the BGP speaker is disabled (meshgw.bgp.enabled=false): %d route(s) and %d session(s) of the"
                                + " plan are not applied",
                        plan.announcements().size(), plan.peers().size());
                warnedDisabled = true;
            }
            return NONE;
        }
        BgpSpeaker speaker = running.get();
        Held held = this.held;
        // The count is read before the routes: a change made by anyone else after it shows in the count at the end.
        long count = speaker.originations();
        RouteChanges routes = held != null && held.speaker() == speaker && held.originations() == count
                ? sinceHeld(plan, held.routes())
                : announcements(plan, speaker.originated());
        return new Changes(speaker, count, routes, peers(plan, speaker.peerConfigs()), plan.announcements());
    }

    /**
     * What the speaker originates, as this adapter left it: the routes, and the speaker's count of changes to its
     * originated routes after the last of them. While the count stays, nobody else changed them, and the next plan is
     * diffed against these (two plans share what did not change, so that costs the size of the change) instead of
     * every route read back from the speaker.
     */
    private record Held(BgpSpeaker speaker, long originations, Map<IpPrefix, Announcement> routes) {}

    private volatile Held held;

    /** The routes to withdraw and to (re)originate, from what this adapter left in the speaker. */
    private static RouteChanges sinceHeld(Plan plan, Map<IpPrefix, Announcement> held) {
        List<IpPrefix> withdraw = new ArrayList<>();
        List<Announcement> announce = new ArrayList<>();
        ChunkedMap.diff(held, plan.announcements(), (prefix, was, now) -> {
            if (now == null) {
                withdraw.add(prefix);
            } else if (was == null || !was.communities().equals(now.communities())) {
                announce.add(now);
            }
        });
        return new RouteChanges(withdraw, announce);
    }

    /** The routes to withdraw and to (re)originate: one pass over the plan and one over what the speaker holds. */
    private static RouteChanges announcements(Plan plan, Map<Prefix, RouteAttributes> originated) {
        Map<IpPrefix, RouteAttributes> held = new LinkedHashMap<>();
        originated.forEach((p, a) -> held.put(SpeakerRoutes.prefix(p), a));
        List<IpPrefix> withdraw = new ArrayList<>();
        for (IpPrefix p : held.keySet()) {
            if (!plan.announcements().containsKey(p)) {
                withdraw.add(p);
            }
        }
        List<Announcement> announce = new ArrayList<>();
        for (Announcement a : plan.announcements().values()) {
            RouteAttributes now = held.get(a.prefix());
            if (now == null || !SpeakerRoutes.communities(now).equals(a.communities())) {
                announce.add(a);
            }
        }
        return new RouteChanges(withdraw, announce);
    }

    /**
     * Sessions to remove, add, move to another address, and update in place; peers configured in properties are not the
     * plan's to change. The speaker
     * runs one session per peer address, so a plan's peer on an address a properties peer or an earlier peer of the
     * plan has is left out, with an error.
     */
    private PeerChanges peers(Plan plan, Map<String, PeerConfig> running) {
        Set<String> fromProperties = propertyPeers.get();
        Map<InetAddress, String> addresses = new HashMap<>();
        running.forEach((name, config) -> {
            if (fromProperties.contains(name)) {
                addresses.put(config.address(), name);
            }
        });
        Map<String, PeerConfig> wanted = new LinkedHashMap<>();
        for (var peer : plan.peers().values()) {
            String name = peer.peer().toString();
            if (fromProperties.contains(name)) {
                LOG.errorf("BgpPeer %s: a peer of that name is configured in meshgw.bgp.peers; skipped", name);
                continue;
            }
            PeerConfig config;
            try {
                config = SpeakerPeers.of(peer, localAsn.getAsLong());
            } catch (IllegalArgumentException e) {
                LOG.errorf("BgpPeer %s not applied: %s", name, e.getMessage());
                continue;
            }
            String other = addresses.putIfAbsent(config.address(), name);
            if (other != null) {
                LOG.errorf(
                        "BgpPeer %s not applied: %s already peers with %s, and the speaker runs one session per peer"
                                + " address",
                        name, other, config.address().getHostAddress());
                continue;
            }
            wanted.put(name, config);
        }
        List<String> remove = new ArrayList<>();
        for (String name : running.keySet()) {
            if (!fromProperties.contains(name) && !wanted.containsKey(name)) {
                remove.add(name);
            }
        }
        List<PeerConfig> add = new ArrayList<>();
        List<PeerConfig> move = new ArrayList<>();
        List<PeerConfig> update = new ArrayList<>();
        wanted.forEach((name, config) -> {
            PeerConfig now = running.get(name);
            if (now == null) {
                add.add(config);
            } else if (!now.address().equals(config.address())) {
                move.add(config);
            } else if (!now.equals(config)) {
                update.add(config);
            }
        });
        return new PeerChanges(remove, add, move, update);
    }

    /** The first few of a long list, for one log line per step rather than one per route. */
    static String sample(List<?> items) {
        int shown = Math.min(items.size(), 5);
        String first = items.subList(0, shown).toString();
        return items.size() > shown ? first + " and " + (items.size() - shown) + " more" : first;
    }

    private record RouteChanges(List<IpPrefix> withdraw, List<Announcement> announce) {}

    /**
     * @param move sessions whose peer address changed: new sessions, after every old one is gone
     * @param update sessions changed otherwise: the speaker keeps each running where the change allows
     */
    private record PeerChanges(
            List<String> remove, List<PeerConfig> add, List<PeerConfig> move, List<PeerConfig> update) {}

    private final class Changes implements BgpChanges {
        private final BgpSpeaker speaker;
        private final long countBefore;
        private final RouteChanges routes;
        private final PeerChanges peers;
        private final Map<IpPrefix, Announcement> wanted;
        private boolean withdrawn;
        private int calls;

        Changes(
                BgpSpeaker speaker,
                long countBefore,
                RouteChanges routes,
                PeerChanges peers,
                Map<IpPrefix, Announcement> wanted) {
            this.speaker = speaker;
            this.countBefore = countBefore;
            this.routes = routes;
            this.peers = peers;
            this.wanted = wanted;
        }

        @Override
        public void withdraw() {
            held = null; // unknown until the announcements are done too
            withdrawn = true;
            if (routes.withdraw().isEmpty()) return;
            speaker.withdraw(
                    routes.withdraw().stream().map(SpeakerRoutes::prefix).toList());
            calls++;
            routes.withdraw().forEach(p -> LOG.debugf("withdrew %s", p));
            LOG.infof("withdrew %d route(s): %s", routes.withdraw().size(), sample(routes.withdraw()));
        }

        @Override
        public void announce() {
            held = null;
            if (!routes.announce().isEmpty()) {
                originate();
                calls++;
            }
            // The speaker now originates exactly the plan's routes, if nobody else changed them meanwhile.
            long count = countBefore + calls;
            held = withdrawn && speaker.originations() == count ? new Held(speaker, count, wanted) : null;
        }

        private void originate() {
            Map<Prefix, List<PathAttribute>> originate = new LinkedHashMap<>();
            for (Announcement a : routes.announce()) {
                originate.put(
                        SpeakerRoutes.prefix(a.prefix()),
                        a.communities().isEmpty()
                                ? List.of()
                                : List.of(new PathAttribute.Communities(a.communities().stream()
                                        .map(Community::value)
                                        .toList())));
                LOG.debugf(
                        "announcing %s for %s%s",
                        a.prefix(), a.owner(), a.communities().isEmpty() ? "" : " " + a.communities());
            }
            speaker.originate(originate);
            LOG.infof(
                    "announcing %d route(s): %s",
                    routes.announce().size(),
                    sample(routes.announce().stream()
                            .map(a -> a.prefix() + " for " + a.owner())
                            .toList()));
        }

        @Override
        public void applyPeers() {
            for (String name : peers.remove()) {
                speaker.removePeer(name);
                LOG.infof("BGP peer %s removed", name);
            }
            // A session moved to another address is a new one. Every old session goes before a new one starts, so
            // sessions that trade addresses in one plan both run.
            for (PeerConfig config : peers.move()) {
                speaker.removePeer(config.name());
            }
            for (PeerConfig config : peers.update()) {
                PeerChange change = speaker.updatePeer(config);
                if (change.resetsSession()) {
                    LOG.warnf("BGP peer %s reconfigured, its session was reset: %s", config.name(), change.describe());
                } else {
                    LOG.infof("BGP peer %s reconfigured without a session reset: %s", config.name(), change.describe());
                }
            }
            for (PeerConfig config : peers.move()) {
                speaker.addPeer(config);
                LOG.infof(
                        "BGP peer %s moved to %s: a new session",
                        config.name(), config.address().getHostAddress());
            }
            for (PeerConfig config : peers.add()) {
                speaker.addPeer(config);
                LOG.infof(
                        "BGP peer %s added: %s AS%d",
                        config.name(), config.address().getHostAddress(), config.peerAsn());
            }
        }

        @Override
        public boolean isEmpty() {
            return routes.withdraw().isEmpty()
                    && routes.announce().isEmpty()
                    && peers.remove().isEmpty()
                    && peers.add().isEmpty()
                    && peers.move().isEmpty()
                    && peers.update().isEmpty();
        }
    }

    @Override
    public Map<ObjectKey, PeerSession> sessions() {
        Set<String> fromProperties = propertyPeers.get();
        Map<ObjectKey, PeerSession> out = new TreeMap<>();
        for (PeerStatus st : speaker.get().map(BgpSpeaker::peers).orElse(List.of())) {
            if (fromProperties.contains(st.name())) {
                continue;
            }
            out.put(
                    ObjectKey.parse(st.name()),
                    new PeerSession(
                            state(st.state()),
                            st.establishedSince(),
                            st.prefixesReceived(),
                            st.prefixesAccepted(),
                            st.prefixesAdvertised(),
                            st.lastError(),
                            droppedAttributes(st),
                            acceptedByFamily(st),
                            withoutNextHop(st)));
        }
        return out;
    }

    private static Map<AddressFamily, String> withoutNextHop(PeerStatus st) {
        Map<AddressFamily, String> out = new EnumMap<>(AddressFamily.class);
        st.familiesWithoutNextHop()
                .forEach((afi, why) -> out.put(
                        switch (afi) {
                            case IPV4 -> AddressFamily.IPV4_UNICAST;
                            case IPV6 -> AddressFamily.IPV6_UNICAST;
                        },
                        why));
        return out;
    }

    private static Map<AddressFamily, Long> acceptedByFamily(PeerStatus st) {
        Map<AddressFamily, Long> out = new EnumMap<>(AddressFamily.class);
        st.prefixesAcceptedByFamily()
                .forEach((afi, n) -> out.put(
                        switch (afi) {
                            case IPV4 -> AddressFamily.IPV4_UNICAST;
                            case IPV6 -> AddressFamily.IPV6_UNICAST;
                        },
                        n));
        return out;
    }

    /** The session's dropped attributes in a stable order (type, action, cause), as status and the API show them. */
    public static List<PeerSession.DroppedAttribute> droppedAttributes(PeerStatus st) {
        return st.attributeDrops().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(AttributeDrop::type)
                        .thenComparing(AttributeDrop::action)
                        .thenComparing(AttributeDrop::cause)))
                .map(e -> new PeerSession.DroppedAttribute(
                        e.getKey().type(),
                        e.getKey().typeName(),
                        e.getKey().action() == AttributeDrop.Action.DISCARD ? "discard" : "treat-as-withdraw",
                        e.getKey().cause().name().toLowerCase(Locale.ROOT),
                        e.getValue()))
                .toList();
    }

    static PeerSession.State state(io.meshgw.bgp.fsm.State s) {
        return switch (s) {
            case IDLE -> PeerSession.State.Idle;
            case CONNECT -> PeerSession.State.Connect;
            case ACTIVE -> PeerSession.State.Active;
            case OPEN_SENT -> PeerSession.State.OpenSent;
            case OPEN_CONFIRM -> PeerSession.State.OpenConfirm;
            case ESTABLISHED -> PeerSession.State.Established;
        };
    }

    /**
     * Runs {@code listener} (which must only hand off, as it runs on the speaker's thread) when a session of the
     * plan changes state or a best route the last pass selected, or one its selectors select, changes.
     */
    public synchronized void onChange(Runnable listener) {
        listeners.add(listener);
        if (!subscribed) {
            speaker.get().ifPresent(s -> s.subscribe(this));
            subscribed = true;
        }
    }

    @Override
    public void sessionChanged(PeerStatus status) {
        if (!propertyPeers.get().contains(status.name())) {
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public void bestRoutesChanged(List<BestRouteChange> changes) {
        Interest now = interest;
        if (now.selectors().isEmpty() && now.selected().isEmpty()) {
            return;
        }
        for (BestRouteChange c : changes) {
            if (now.concerns(c)) {
                listeners.forEach(Runnable::run);
                return;
            }
        }
    }

    /** What the last pass took from the Loc-RIB: its selectors and the prefixes they selected then. */
    record Interest(List<RouteSelector> selectors, Set<IpPrefix> selected) {
        static final Interest NONE = new Interest(List.of(), Set.of());

        boolean concerns(BestRouteChange change) {
            IpPrefix prefix = SpeakerRoutes.prefix(change.prefix());
            if (selected.contains(prefix)) {
                return true; // changed or gone: the LegacyService that selected it must know
            }
            return change.best()
                    .map(b -> {
                        var communities = SpeakerRoutes.communities(b.attributes());
                        var large = SpeakerRoutes.largeCommunities(b.attributes());
                        return selectors.stream().anyMatch(s -> s.selects(prefix, communities, large));
                    })
                    .orElse(false);
        }
    }

    @Override
    public List<LearnedRoute> learnedRoutes(Collection<RouteSelector> selectors) {
        List<LearnedRoute> routes = selectedRoutes(selectors);
        Set<IpPrefix> selected = new java.util.HashSet<>();
        routes.forEach(r -> selected.add(r.prefix()));
        interest = new Interest(List.copyOf(selectors), selected);
        return routes;
    }

    private List<LearnedRoute> selectedRoutes(Collection<RouteSelector> selectors) {
        Optional<BgpSpeaker> running = speaker.get();
        if (selectors.isEmpty() || running.isEmpty()) {
            return List.of();
        }
        Set<String> fromProperties = propertyPeers.get();
        List<BestRoute> routes = running.get().bestRoutesMatching((prefix, attributes) -> {
            var p = SpeakerRoutes.prefix(prefix);
            var communities = SpeakerRoutes.communities(attributes);
            var large = SpeakerRoutes.largeCommunities(attributes);
            return selectors.stream().anyMatch(s -> s.selects(p, communities, large));
        });
        List<LearnedRoute> out = new ArrayList<>();
        for (BestRoute r : routes) {
            if ("local".equals(r.from()) || fromProperties.contains(r.from())) {
                continue; // originated here, or from a peer the plan does not configure
            }
            out.add(new LearnedRoute(
                    SpeakerRoutes.prefix(r.prefix()),
                    SpeakerRoutes.nextHop(r.attributes()),
                    ObjectKey.parse(r.from()),
                    SpeakerRoutes.communities(r.attributes()),
                    SpeakerRoutes.largeCommunities(r.attributes())));
        }
        return out;
    }
}
