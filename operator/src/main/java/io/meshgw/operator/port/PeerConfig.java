package io.meshgw.operator.port;

import java.util.List;

/**
 * Everything the BGP speaker needs for one session, with referenced policies and the TCP-MD5 password resolved.
 *
 * @param localAddress null for the node's address
 * @param holdTime seconds, null for the speaker's default
 * @param tcpMd5Password null for none; never logged (see {@link #toString})
 * @param importPolicy null accepts every route
 * @param exportPolicy null announces every route the gateway originates
 */
public record PeerConfig(
        ObjectKey peer,
        String peerAddress,
        long peerAsn,
        long localAsn,
        String localAddress,
        List<String> families,
        Integer holdTime,
        Integer keepalive,
        Integer connectRetry,
        String tcpMd5Password,
        Integer multihopTtl,
        boolean gtsm,
        Integer gracefulRestartTime,
        List<MaxPrefix> maxPrefix,
        PolicyConfig importPolicy,
        PolicyConfig exportPolicy) {

    public PeerConfig {
        families = List.copyOf(families);
        maxPrefix = List.copyOf(maxPrefix);
    }

    /**
     * @param restartAfterMinutes null stays down after the limit tripped
     */
    public record MaxPrefix(String family, long limit, Integer warningPercent, Integer restartAfterMinutes) {}

    @Override
    public String toString() {
        return "PeerConfig[" + peer + " " + peerAddress + " AS" + peerAsn + " local AS" + localAsn + " families="
                + families + (tcpMd5Password == null ? "" : " tcp-md5=<redacted>") + "]";
    }
}
