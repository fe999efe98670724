package io.meshgw.mesh.view;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Why an address another cluster published is never used here. A remote endpoint or gateway at one of these would
 * send this gateway's traffic to itself, to the node's metadata service (169.254.169.254), to a multicast group, or
 * back into its own VIPs, which loops packets between the gateway and the routers.
 */
public enum ForbiddenAddress {
    /** 0.0.0.0/8, {@code ::}. */
    UNSPECIFIED,
    /** 127.0.0.0/8, {@code ::1}. */
    LOOPBACK,
    /** 169.254.0.0/16 (cloud metadata lives here), fe80::/10. */
    LINK_LOCAL,
    /** 224.0.0.0/4, ff00::/8. */
    MULTICAST,
    /** 255.255.255.255. */
    BROADCAST,
    /** Inside one of this gateway's own VIPs or VIP pools. */
    LOCAL_VIP;

    /** The metric label: {@code link-local}, {@code local-vip}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What is wrong with {@code a} as a remote address, if anything; {@code local} are this gateway's VIPs. */
    public static Optional<ForbiddenAddress> of(InetAddress a, Collection<IpPrefix> local) {
        // Every remote endpoint's address passes here: its bytes are copied out once, not once per check.
        byte[] bytes = a.getAddress();
        if (a.isAnyLocalAddress() || (a instanceof Inet4Address && (bytes[0] == 0))) {
            return Optional.of(UNSPECIFIED); // RFC 1122 §3.2.1.3: 0/8 is "this network", never a destination
        }
        if (a.isLoopbackAddress()) {
            return Optional.of(LOOPBACK);
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of(LINK_LOCAL);
        }
        if (a.isMulticastAddress()) {
            return Optional.of(MULTICAST);
        }
        if (a instanceof Inet4Address && bytes[0] == (byte) 255 && allOnes(bytes)) {
            return Optional.of(BROADCAST);
        }
        if (!local.isEmpty()) {
            IpAddress ip = IpAddress.of(bytes);
            for (IpPrefix p : local) {
                if (p.contains(ip)) {
                    return Optional.of(LOCAL_VIP);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean allOnes(byte[] b) {
        for (byte x : b) {
            if (x != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }
}
