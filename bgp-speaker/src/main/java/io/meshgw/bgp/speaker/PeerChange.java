package io.meshgw.bgp.speaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * What a new configuration of a neighbor changes, and so what applying it takes. A setting the TCP connection or the
 * OPEN exchange settled (addresses, port, AS, TCP-MD5 key, GTSM and TTL, families and capabilities, timers, passive)
 * takes a new session; every other setting applies to the running one.
 *
 * @param resetReasons why the session must start again, one entry per setting; empty when it need not
 * @param importPolicy the import policy changed: what the neighbor sent is evaluated again
 * @param export the export policy or the configured IPv6 next hop changed: what the neighbor is sent is evaluated again
 * @param prefixLimit the prefix limit, its warning share or its restart time changed
 * @param keepPrePolicy whether the pre-policy Adj-RIB-In is kept changed
 */
public record PeerChange(
        List<String> resetReasons, boolean importPolicy, boolean export, boolean prefixLimit, boolean keepPrePolicy) {

    public PeerChange {
        resetReasons = List.copyOf(resetReasons);
    }

    /** What applying {@code now} to a neighbor configured with {@code was} takes. */
    static PeerChange between(PeerConfig was, PeerConfig now) {
        if (!was.name().equals(now.name())) {
            throw new IllegalArgumentException("peer " + was.name() + " cannot be renamed to " + now.name());
        }
        List<String> reasons = new ArrayList<>();
        differs(reasons, "address", was, now, c -> c.address().getHostAddress());
        differs(reasons, "port", was, now, PeerConfig::port);
        differs(reasons, "peer AS", was, now, PeerConfig::peerAsn);
        differs(
                reasons,
                "local address",
                was,
                now,
                c -> c.localAddress().map(a -> a.getHostAddress()).orElse("none"));
        if (!was.md5Password().equals(now.md5Password())) {
            reasons.add("TCP-MD5 key changed"); // never the key itself
        }
        differs(reasons, "GTSM hops", was, now, c -> hops(c.gtsmHops()));
        differs(reasons, "multihop TTL", was, now, c -> hops(c.multihopTtl()));
        differs(reasons, "families", was, now, c -> NegotiatedSession.inOrder(c.families()));
        differs(
                reasons,
                "graceful restart",
                was,
                now,
                c -> c.gracefulRestartSeconds().isPresent()
                        ? c.gracefulRestartSeconds().getAsInt() + " s"
                        : "off");
        // RFC 4271 §4.2: the hold time is offered in the OPEN, so only a new OPEN changes it
        if (!was.timers().equals(now.timers())) {
            reasons.add("timers " + timers(was) + " -> " + timers(now));
        }
        differs(reasons, "passive", was, now, PeerConfig::passive);
        // RFC 9234 §4: the role is a capability of the OPEN
        differs(
                reasons,
                "role",
                was,
                now,
                c -> c.localRole().map(Object::toString).orElse("none"));
        differs(reasons, "strict role", was, now, PeerConfig::strictRole);
        // RFC 8950 §3: a capability of the OPEN
        differs(reasons, "extended next hop", was, now, PeerConfig::extendedNextHop);
        // the session screens attributes as it decodes, and what it dropped is gone from the Adj-RIB-In too: only a
        // new session relearns the routes under the new screen
        differs(reasons, "path attributes", was, now, PeerConfig::attributeScreen);
        return new PeerChange(
                reasons,
                !was.importPolicy().equals(now.importPolicy()),
                !was.exportPolicy().equals(now.exportPolicy())
                        || !was.ipv6NextHop().equals(now.ipv6NextHop()),
                !was.maxPrefix().equals(now.maxPrefix()),
                was.keepPrePolicy() != now.keepPrePolicy());
    }

    private static String hops(OptionalInt value) {
        return value.isPresent() ? String.valueOf(value.getAsInt()) : "off";
    }

    private static String timers(PeerConfig c) {
        var t = c.timers();
        return "hold " + t.holdTime().toSeconds() + " s, keepalive "
                + t.keepalive().toSeconds()
                + " s, connect retry " + t.connectRetry().toSeconds() + " s, idle hold "
                + t.idleHoldBase().toMillis()
                + ".." + t.idleHoldMax().toMillis() + " ms, send hold "
                + t.sendHoldTime().map(d -> d.toSeconds() + " s").orElse("default");
    }

    private static void differs(
            List<String> reasons, String setting, PeerConfig was, PeerConfig now, Function<PeerConfig, ?> value) {
        Object before = value.apply(was);
        Object after = value.apply(now);
        if (!Objects.equals(before, after)) {
            reasons.add(setting + " " + before + " -> " + after);
        }
    }

    /** The same change, but the session must start again for {@code reason} too. */
    PeerChange resetFor(String reason) {
        List<String> reasons = new ArrayList<>(resetReasons);
        reasons.add(reason);
        return new PeerChange(reasons, importPolicy, export, prefixLimit, keepPrePolicy);
    }

    /** Nothing changed. */
    public boolean none() {
        return resetReasons.isEmpty() && !importPolicy && !export && !prefixLimit && !keepPrePolicy;
    }

    /** Applying it ends the running session and starts a new one. */
    public boolean resetsSession() {
        return !resetReasons.isEmpty();
    }

    /** What changed, for a log line or a status: the reasons for a reset, or the settings applied live. */
    public String describe() {
        if (resetsSession()) {
            return String.join("; ", resetReasons);
        }
        List<String> live = new ArrayList<>();
        if (importPolicy) live.add("import policy");
        if (export) live.add("export");
        if (prefixLimit) live.add("prefix limit");
        if (keepPrePolicy) live.add("keepPrePolicy");
        return live.isEmpty() ? "nothing" : String.join(", ", live);
    }
}
