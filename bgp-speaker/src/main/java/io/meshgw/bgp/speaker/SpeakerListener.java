package io.meshgw.bgp.speaker;

import java.util.List;

/**
 * Told what changed in the speaker, so its user reacts to events instead of polling. Calls come
 * on the speaker's thread once the speaker has finished a batch of work (the UPDATEs it caused
 * are sent by then): a listener must hand the news off and return, never block or call back
 * into the speaker and wait, or every session of the speaker stalls with it.
 */
public interface SpeakerListener {

    /**
     * A configured neighbor's session changed state (RFC 4271 §8.2.2), including reaching and
     * leaving Established. One call per change, in order, each with the neighbor as it was just
     * after that change.
     */
    void sessionChanged(PeerStatus status);

    /**
     * The best paths of these prefixes changed since the last call: each once, with its best path
     * now or none when it is gone. Changes that came and went within the batch are left out.
     */
    void bestRoutesChanged(List<BestRouteChange> changes);
}
