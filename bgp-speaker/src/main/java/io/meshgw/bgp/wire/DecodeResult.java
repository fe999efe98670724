package io.meshgw.bgp.wire;

import java.util.List;

/** What decoding one message gives: the message (perhaps repaired per RFC 7606), or an error. */
public sealed interface DecodeResult {

    /**
     * A message. {@code repairs} lists the RFC 7606 actions taken on its malformed attributes, {@code screened} what
     * the session's {@link AttributeScreen} did to well-formed ones; when one of either is treat-as-withdraw, every
     * NLRI of the UPDATE must be handled as withdrawn.
     */
    record Ok(BgpMessage message, List<BgpError> repairs, List<Screened> screened) implements DecodeResult {
        public Ok {
            repairs = List.copyOf(repairs);
            screened = List.copyOf(screened);
        }

        public Ok(BgpMessage message, List<BgpError> repairs) {
            this(message, repairs, List.of());
        }

        public boolean treatAsWithdraw() {
            return repairs.stream().anyMatch(e -> e.handling() == BgpError.Handling.TREAT_AS_WITHDRAW)
                    || screened.stream().anyMatch(s -> s.action() == AttributeScreen.Action.TREAT_AS_WITHDRAW);
        }
    }

    /** An attribute of type {@code type} that the session's screen discarded or withdrew on, well-formed or not. */
    record Screened(int type, AttributeScreen.Action action) {}

    /** The message cannot be used; the session reacts as {@link BgpError#handling()} says. */
    record Failed(BgpError error) implements DecodeResult {}
}
