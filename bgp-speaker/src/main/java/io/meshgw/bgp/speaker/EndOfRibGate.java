package io.meshgw.bgp.speaker;

/**
 * Whether the speaker's own routes are complete, so that sessions may send End-of-RIB. A restarted gateway's sessions
 * come up before its control plane has originated the VIPs again; End-of-RIB then would tell a graceful-restart helper
 * that routes it holds as stale are gone, and it would drop them until the next pass announces them again (RFC 4724
 * §4.1: the restarting speaker sends End-of-RIB once its routes are sent). Open unless the speaker was asked to hold
 * it. Confined to the speaker's thread.
 */
final class EndOfRibGate {
    private boolean open = true;

    boolean open() {
        return open;
    }

    void hold() {
        open = false;
    }

    /** Opens the gate; true when it was closed (the sessions now send what they held back). */
    boolean release() {
        boolean wasClosed = !open;
        open = true;
        return wasClosed;
    }
}
