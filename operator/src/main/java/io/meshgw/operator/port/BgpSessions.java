package io.meshgw.operator.port;

import java.util.List;
import java.util.Map;

/** Read side of the BGP speaker, for status: session state and counters, and what the peers sent. */
public interface BgpSessions {
    /** Sessions of the applied peers by BgpPeer key; a peer without an entry has not been started yet. */
    Map<ObjectKey, PeerSession> sessions();

    /** Routes in the Loc-RIB learned from datacenter peers (post import policy). */
    List<LearnedRoute> learnedRoutes();
}
