package io.meshgw.bgp.fsm;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/** What the FSM asks its owner (the session) to do, in order. */
public sealed interface FsmAction {

    /** Initiate the outgoing TCP connection. */
    record Connect() implements FsmAction {}

    /** Close the TCP connection (after flushing anything queued before this action). */
    record Disconnect() implements FsmAction {}

    record SendOpen() implements FsmAction {}

    record SendKeepalive() implements FsmAction {}

    record SendNotification(int code, int subcode, byte[] data) implements FsmAction {
        public SendNotification {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SendNotification n
                    && n.code == code
                    && n.subcode == subcode
                    && Arrays.equals(n.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * code + subcode) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SendNotification[" + code + "/" + subcode + ", "
                    + HexFormat.of().formatHex(data) + "]";
        }
    }

    record StartTimer(Timer timer, Duration after) implements FsmAction {}

    record StopTimer(Timer timer) implements FsmAction {}

    /** The session reached Established with the negotiated timers. */
    record Established(Duration holdTime, Duration keepalive) implements FsmAction {}

    /** The session left Established or failed to reach it; routes from the peer must go. */
    record Down(String reason) implements FsmAction {}
}
