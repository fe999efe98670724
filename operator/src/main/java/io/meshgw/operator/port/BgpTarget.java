package io.meshgw.operator.port;

import io.meshgw.operator.plan.Plan;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The BGP speaker: the plan's announcements and sessions go in; sessions and selected routes come out. */
public interface BgpTarget {

    /**
     * What the speaker must change to hold {@code plan}'s announcements and sessions, diffed once against what it
     * originates and runs now. Applying the changes is split in steps so the pass can order them around the
     * datapath.
     */
    BgpChanges changesFor(Plan plan);

    /** Sessions of the peers the plans configured, by BgpPeer; a peer without an entry has no session yet. */
    Map<ObjectKey, PeerSession> sessions();

    /** The learned best routes that one of {@code selectors} selects. */
    List<LearnedRoute> learnedRoutes(Collection<RouteSelector> selectors);

    /** The steps of one plan's BGP changes; each runs at most once, in this order. */
    interface BgpChanges {
        /** Withdraws the routes the plan no longer has. */
        void withdraw();

        /** Originates the plan's new routes and changes the communities of changed ones. */
        void announce();

        /** Removes, adds and reconfigures sessions. */
        void applyPeers();

        /** Nothing to do: the speaker already holds the plan. */
        boolean isEmpty();
    }

    /** The plan's changes for a gateway whose speaker is off. */
    BgpChanges NONE = new BgpChanges() {
        @Override
        public void withdraw() {}

        @Override
        public void announce() {}

        @Override
        public void applyPeers() {}

        @Override
        public boolean isEmpty() {
            return true;
        }
    };
}
