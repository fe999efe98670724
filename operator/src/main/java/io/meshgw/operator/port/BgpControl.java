package io.meshgw.operator.port;

import java.util.Map;

/**
 * The BGP speaker's configuration as the operator drives it. Calls are idempotent; the operator calls only for
 * differences between its desired state and what {@link #appliedPeers} and {@link #announcements} report.
 */
public interface BgpControl {
    /** Creates the session or replaces its configuration; the speaker resets it only when a change needs that. */
    void applyPeer(PeerConfig peer);

    /** Closes the session (NOTIFICATION Cease, RFC 4486 subcode 3 "Peer De-configured") and forgets the peer. */
    void removePeer(ObjectKey peer);

    /** The peers as last applied, by BgpPeer key. */
    Map<ObjectKey, PeerConfig> appliedPeers();

    /** Starts (or updates the communities of) a host route toward every peer's export policy. */
    void announce(Announcement announcement);

    /** Withdraws the host route {@code prefix} from every peer. */
    void withdraw(String prefix);

    /** What is announced now, by prefix. */
    Map<String, Announcement> announcements();
}
