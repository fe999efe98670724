package io.meshgw.bgp.wire;

import java.util.List;

/** What decoding one message gives: the message (perhaps repaired per RFC 7606), or an error. */
public sealed interface DecodeResult {

    /**
     * A message. {@code repairs} lists the RFC 7606 actions taken on its attributes; when one of
     * them is treat-as-withdraw, every NLRI of the UPDATE must be handled as withdrawn.
     */
    record Ok(BgpMessage message, List<BgpError> repairs) implements DecodeResult {
        public Ok {
            repairs = List.copyOf(repairs);
        }

        public boolean treatAsWithdraw() {
            return repairs.stream().anyMatch(e -> e.handling() == BgpError.Handling.TREAT_AS_WITHDRAW);
        }
    }

    /** The message cannot be used; the session reacts as {@link BgpError#handling()} says. */
    record Failed(BgpError error) implements DecodeResult {}
}
