package io.meshgw.operator.port;

import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.SessionRole;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.PolicyConfig;
import io.meshgw.types.IpAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A plan's session for tests, with the planner's defaults for what a test leaves out: IPv4 unicast, RFC 4271 timers,
 * no password, no GTSM, no graceful restart, no limits, no policies.
 */
public final class PeerConfigs {
    private final ObjectKey peer;
    private final IpAddress address;
    private long peerAsn = 65001;
    private long localAsn = 65000;
    private Optional<IpAddress> localAddress = Optional.empty();
    private Set<AddressFamily> families = Set.of(AddressFamily.IPV4_UNICAST);
    private PeerConfig.Timers timers = PeerConfig.Timers.DEFAULTS;
    private Optional<String> password = Optional.empty();
    private OptionalInt multihopTtl = OptionalInt.empty();
    private boolean gtsm;
    private OptionalInt gracefulRestart = OptionalInt.empty();
    private List<PeerConfig.MaxPrefix> maxPrefix = List.of();
    private Optional<PolicyConfig> importPolicy = Optional.empty();
    private Optional<PolicyConfig> exportPolicy = Optional.empty();
    private PeerConfig.PathAttributes pathAttributes = PeerConfig.PathAttributes.DEFAULT;
    private Optional<SessionRole> localRole = Optional.empty();
    private boolean strictRole;

    private PeerConfigs(ObjectKey peer, String address) {
        this.peer = peer;
        this.address = IpAddress.parse(address);
    }

    /** The BgpPeer {@code net/<name>} toward {@code address}, AS 65001, from AS 65000. */
    public static PeerConfigs peer(String name, String address) {
        return new PeerConfigs(new ObjectKey("net", name), address);
    }

    public PeerConfigs peerAsn(long v) {
        peerAsn = v;
        return this;
    }

    public PeerConfigs localAsn(long v) {
        localAsn = v;
        return this;
    }

    public PeerConfigs localAddress(String v) {
        localAddress = Optional.of(IpAddress.parse(v));
        return this;
    }

    public PeerConfigs families(AddressFamily... v) {
        families = Set.of(v);
        return this;
    }

    /** Hold time in seconds, keepalive a third of it, connect retry 120 s. */
    public PeerConfigs hold(int seconds) {
        timers = new PeerConfig.Timers(seconds, seconds / 3, 120);
        return this;
    }

    public PeerConfigs timers(PeerConfig.Timers v) {
        timers = v;
        return this;
    }

    public PeerConfigs password(String v) {
        password = Optional.of(v);
        return this;
    }

    private Optional<io.meshgw.types.IpAddress> ipv6NextHop = Optional.empty();
    private boolean extendedNextHop;

    public PeerConfigs gtsm(int ttl) {
        gtsm = true;
        multihopTtl = OptionalInt.of(ttl);
        return this;
    }

    /** eBGP multihop without GTSM, with this TTL. */
    public PeerConfigs multihop(int ttl) {
        gtsm = false;
        multihopTtl = OptionalInt.of(ttl);
        return this;
    }

    public PeerConfigs gracefulRestart(int seconds) {
        gracefulRestart = OptionalInt.of(seconds);
        return this;
    }

    public PeerConfigs maxPrefix(PeerConfig.MaxPrefix... v) {
        maxPrefix = List.of(v);
        return this;
    }

    public PeerConfigs importPolicy(PolicyConfig v) {
        importPolicy = Optional.of(v);
        return this;
    }

    public PeerConfigs pathAttributes(PeerConfig.PathAttributes v) {
        pathAttributes = v;
        return this;
    }

    public PeerConfigs exportPolicy(Optional<PolicyConfig> v) {
        exportPolicy = v;
        return this;
    }

    public PeerConfigs ipv6NextHop(String v) {
        ipv6NextHop = Optional.of(io.meshgw.types.IpAddress.parse(v));
        return this;
    }

    public PeerConfigs extendedNextHop(boolean v) {
        extendedNextHop = v;
        return this;
    }

    public PeerConfigs localRole(SessionRole v, boolean strict) {
        localRole = Optional.of(v);
        strictRole = strict;
        return this;
    }

    public PeerConfig build() {
        return new PeerConfig(
                peer,
                address,
                peerAsn,
                localAsn,
                localAddress,
                families,
                timers,
                password,
                multihopTtl,
                gtsm,
                gracefulRestart,
                maxPrefix,
                importPolicy,
                exportPolicy,
                localRole,
                strictRole,
                pathAttributes,
                ipv6NextHop,
                extendedNextHop);
    }
}
