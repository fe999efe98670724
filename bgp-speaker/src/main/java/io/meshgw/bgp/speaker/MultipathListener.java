package io.meshgw.bgp.speaker;

import java.util.List;

/**
 * Told which prefixes are forwarded over which learned paths (for a FIB: the kernel's routing table). Called on the
 * speaker's thread like {@link SpeakerListener}, and under the same rule: hand off and return.
 */
public interface MultipathListener {

    /**
     * The paths of these prefixes may have changed since the last call (each prefix once, with its paths now). The
     * first call holds every prefix the speaker has. A prefix may come again with the paths it had: compare with
     * what was installed.
     */
    void multipathChanged(List<MultipathChange> changes);
}
