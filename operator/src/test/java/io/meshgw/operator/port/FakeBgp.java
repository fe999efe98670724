package io.meshgw.operator.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory BGP speaker that records every call, and whose sessions and routes tests set. */
public final class FakeBgp implements BgpControl, BgpSessions {
    public FakeBgp(CallLog calls) {
        this.calls = calls;
    }

    private final CallLog calls;
    private final Map<ObjectKey, PeerConfig> peers = new TreeMap<>();
    private final Map<String, Announcement> announcements = new TreeMap<>();
    private final Map<ObjectKey, PeerSession> sessions = new TreeMap<>();
    private final List<LearnedRoute> routes = new ArrayList<>();

    @Override
    public synchronized void applyPeer(PeerConfig peer) {
        calls.add("applyPeer " + peer.peer());
        peers.put(peer.peer(), peer);
    }

    @Override
    public synchronized void removePeer(ObjectKey peer) {
        calls.add("removePeer " + peer);
        peers.remove(peer);
        sessions.remove(peer);
    }

    @Override
    public synchronized Map<ObjectKey, PeerConfig> appliedPeers() {
        return Map.copyOf(peers);
    }

    @Override
    public synchronized void announce(Announcement announcement) {
        calls.add("announce " + announcement.prefix());
        announcements.put(announcement.prefix(), announcement);
    }

    @Override
    public synchronized void withdraw(String prefix) {
        calls.add("withdraw " + prefix);
        announcements.remove(prefix);
    }

    @Override
    public synchronized Map<String, Announcement> announcements() {
        return Map.copyOf(announcements);
    }

    @Override
    public synchronized Map<ObjectKey, PeerSession> sessions() {
        return Map.copyOf(sessions);
    }

    @Override
    public synchronized List<LearnedRoute> learnedRoutes() {
        return List.copyOf(routes);
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
