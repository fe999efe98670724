package io.meshgw.operator.port;

import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.Plan;
import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An in-memory BGP speaker that diffs each plan against what it holds, records every change it makes, and whose
 * sessions and learned routes tests set.
 */
public final class FakeBgp implements BgpTarget {
    private final CallLog calls;
    private final Map<ObjectKey, PeerConfig> peers = new TreeMap<>();
    private final Map<IpPrefix, Announcement> announcements = new TreeMap<>();
    private final Map<ObjectKey, PeerSession> sessions = new TreeMap<>();
    private final List<LearnedRoute> routes = new ArrayList<>();
    private final List<RouteSelector> askedFor = new ArrayList<>();

    public FakeBgp(CallLog calls) {
        this.calls = calls;
    }

    @Override
    public synchronized BgpChanges changesFor(Plan plan) {
        var withdrawn = announcements.keySet().stream()
                .filter(p -> !plan.announcements().containsKey(p))
                .toList();
        var announced = plan.announcements().values().stream()
                .filter(a -> !Objects.equals(announcements.get(a.prefix()), a))
                .toList();
        var removed = peers.keySet().stream()
                .filter(p -> !plan.peers().containsKey(p))
                .toList();
        var applied = plan.peers().values().stream()
                .filter(p -> !Objects.equals(peers.get(p.peer()), p))
                .toList();
        return new BgpChanges() {
            @Override
            public void withdraw() {
                synchronized (FakeBgp.this) {
                    for (var prefix : withdrawn) {
                        calls.add("withdraw " + prefix);
                        announcements.remove(prefix);
                    }
                }
            }

            @Override
            public void announce() {
                synchronized (FakeBgp.this) {
                    for (var a : announced) {
                        calls.add("announce " + a.prefix());
                        announcements.put(a.prefix(), a);
                    }
                }
            }

            @Override
            public void applyPeers() {
                synchronized (FakeBgp.this) {
                    for (var key : removed) {
                        calls.add("removePeer " + key);
                        peers.remove(key);
                        sessions.remove(key);
                    }
                    for (var peer : applied) {
                        calls.add("applyPeer " + peer.peer());
                        peers.put(peer.peer(), peer);
                    }
                }
            }

            @Override
            public boolean isEmpty() {
                return withdrawn.isEmpty() && announced.isEmpty() && removed.isEmpty() && applied.isEmpty();
            }
        };
    }

    @Override
    public synchronized Map<ObjectKey, PeerSession> sessions() {
        return Map.copyOf(sessions);
    }

    @Override
    public synchronized List<LearnedRoute> learnedRoutes(Collection<RouteSelector> selectors) {
        askedFor.clear();
        askedFor.addAll(selectors);
        return routes.stream()
                .filter(r -> selectors.stream().anyMatch(s -> s.selects(r)))
                .toList();
    }

    /** The peers as last applied. */
    public synchronized Map<ObjectKey, PeerConfig> appliedPeers() {
        return Map.copyOf(peers);
    }

    /** What is announced now. */
    public synchronized Map<IpPrefix, Announcement> announcements() {
        return Map.copyOf(announcements);
    }

    public synchronized boolean announces(String prefix) {
        return announcements.containsKey(IpPrefix.parse(prefix));
    }

    /** The selectors the last pass asked routes for. */
    public synchronized List<RouteSelector> askedFor() {
        return List.copyOf(askedFor);
    }

    public synchronized void session(ObjectKey peer, PeerSession session) {
        sessions.put(peer, session);
    }

    public synchronized void routes(List<LearnedRoute> learned) {
        routes.clear();
        routes.addAll(learned);
    }

    public List<String> calls() {
        return calls.all();
    }
}
