package io.meshgw.bgp.speaker;

import java.net.InetAddress;

/**
 * The speaker's own identity and where it listens.
 *
 * @param localAsn our AS number (4-octet allowed)
 * @param routerId our BGP identifier, an IPv4 address as unsigned 32 bits (must not be 0)
 * @param listenAddress where to accept sessions; null or the wildcard address for all
 * @param port the BGP port, 179 unless a test or a lab needs another; 0 to not listen at all
 */
public record SpeakerConfig(long localAsn, long routerId, InetAddress listenAddress, int port) {

    public SpeakerConfig {
        if (localAsn < 1 || localAsn > 0xFFFFFFFFL || localAsn == 23456) {
            throw new IllegalArgumentException(
                    "localAsn " + localAsn + " is not a usable AS number (1..4294967295, not 23456)");
        }
        if (routerId <= 0 || routerId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("routerId must be a non-zero IPv4 address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /** Parses a dotted IPv4 router id. */
    public static long routerId(String dotted) {
        byte[] b = InetAddress.ofLiteral(dotted).getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException("router id " + dotted + " must be an IPv4 address");
        }
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
