package io.meshgw.gateway.dns;

/** What a received datagram or TCP message turned out to be; decoding never throws. */
public sealed interface DecodedMessage {

    /** A query to answer. */
    record Query(DnsQuery query) implements DecodedMessage {}

    /**
     * A query whose header was readable but whose body was not: answered FORMERR with the client's id, so it
     * fails fast instead of timing out (RFC 1035 §4.1.1).
     */
    record Malformed(int id, int opcode, boolean recursionDesired, String reason) implements DecodedMessage {}

    /**
     * Not answered at all: too short to carry a header, or a response rather than a query (answering responses
     * would let two servers bounce packets between them forever).
     */
    record Dropped(String reason) implements DecodedMessage {}
}
