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
 * sessions and learned routes tests set. It keeps {@link BgpTargetContract} as the gateway's adapter over the real
 * speaker does: it holds routes with their communities (not which object they are for), reports only the sessions
 * and routes of the peers the plans configured, and a peer that is removed or reconfigured loses its session and its
 * routes with the step that does it.
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
                .filter(a -> !announcements.containsKey(a.prefix())
                        || !announcements.get(a.prefix()).communities().equals(a.communities()))
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
                        stopSession(key);
                    }
                    for (var peer : applied) {
                        calls.add("applyPeer " + peer.peer());
                        if (peers.put(peer.peer(), peer) != null) {
                            stopSession(peer.peer()); // a changed session starts again
                        }
                    }
                }
            }

            @Override
            public boolean isEmpty() {
                return withdrawn.isEmpty() && announced.isEmpty() && removed.isEmpty() && applied.isEmpty();
            }
        };
    }

    /** The session stops: the speaker forgets its state and withdraws what the peer sent. */
    private void stopSession(ObjectKey peer) {
        sessions.remove(peer);
        routes.removeIf(r -> r.peer().equals(peer));
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
                .filter(r -> peers.containsKey(r.peer()))
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

    /** What the speaker reports for the session of {@code peer}, which a plan must have configured. */
    public synchronized void session(ObjectKey peer, PeerSession session) {
        if (!peers.containsKey(peer)) {
            throw new IllegalStateException("no plan configured a session with " + peer);
        }
        sessions.put(peer, session);
    }

    /**
     * The routes the datacenter peers send; the speaker learns those whose peer a plan configured, and drops a peer's
     * routes when its session stops.
     */
    public synchronized void routes(List<LearnedRoute> learned) {
        routes.clear();
        routes.addAll(learned);
    }

    public List<String> calls() {
        return calls.all();
    }
}
