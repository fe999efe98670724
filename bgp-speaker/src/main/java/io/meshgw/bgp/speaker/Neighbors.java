package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.LocRib;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured neighbors by name, by Loc-RIB index and by address. Indexes are never reused,
 * so a path's index names one neighbor for the speaker's whole life.
 */
final class Neighbors {

    private final Map<String, Peer> byName = new LinkedHashMap<>();
    private final Map<Integer, Peer> byIndex = new HashMap<>();
    private int nextIndex = LocRib.LOCAL + 1;

    /** Checks that {@code config} can join: its name and address must be new. */
    void checkNew(PeerConfig config) {
        if (byName.containsKey(config.name())) {
            throw new IllegalArgumentException("a peer named " + config.name() + " exists already");
        }
        for (Peer p : byName.values()) {
            if (p.config().address().equals(config.address())) {
                throw new IllegalArgumentException(
                        "peer " + p.name() + " already uses " + config.address().getHostAddress());
            }
        }
    }

    /** Checks that {@code config} can take the place of the neighbor of its name: no other one may use its address. */
    void checkReplacement(PeerConfig config) {
        for (Peer p : byName.values()) {
            if (!p.name().equals(config.name()) && p.config().address().equals(config.address())) {
                throw new IllegalArgumentException(
                        "peer " + p.name() + " already uses " + config.address().getHostAddress());
            }
        }
    }

    /** The Loc-RIB index for the next neighbor. */
    int allocateIndex() {
        return nextIndex++;
    }

    void add(Peer p) {
        byName.put(p.name(), p);
        byIndex.put(p.index(), p);
    }

    Optional<Peer> remove(String name) {
        Peer p = byName.remove(name);
        if (p != null) {
            byIndex.remove(p.index());
        }
        return Optional.ofNullable(p);
    }

    Optional<Peer> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** In the order they were added. */
    Collection<Peer> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /** The neighbor a connection from {@code remote} belongs to. */
    Optional<Peer> forRemote(InetAddress remote) {
        return byName.values().stream()
                .filter(p ->
                        p.config().address().equals(remote) || mapped(p.config().address(), remote))
                .findFirst();
    }

    /** The name of a path's source: a neighbor's, {@code local} for our own routes, {@code ?} for one gone. */
    String nameOf(int index) {
        if (index == LocRib.LOCAL) {
            return "local";
        }
        Peer p = byIndex.get(index);
        return p == null ? "?" : p.name();
    }

    /** Whether the path source {@code index} is a configured internal neighbor. */
    boolean internal(int index) {
        Peer p = byIndex.get(index);
        return p != null && !p.ebgp();
    }

    /** An IPv4 neighbor connecting to a dual-stack socket shows up as ::ffff:a.b.c.d. */
    private static boolean mapped(InetAddress configured, InetAddress remote) {
        byte[] r = remote.getAddress();
        byte[] c = configured.getAddress();
        if (r.length != 16 || c.length != 4) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (r[i] != 0) {
                return false;
            }
        }
        return r[10] == (byte) 0xFF
                && r[11] == (byte) 0xFF
                && r[12] == c[0]
                && r[13] == c[1]
                && r[14] == c[2]
                && r[15] == c[3];
    }
}
