package io.meshgw.bgp.wire;

/** KEEPALIVE (RFC 4271 §4.4): the header alone. */
public record Keepalive() implements BgpMessage {
    @Override
    public int type() {
        return KEEPALIVE;
    }
}
