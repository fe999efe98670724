package io.meshgw.gateway.dns;

import java.util.List;

/**
 * A well-formed DNS query with exactly one question (RFC 1035 §4.1).
 *
 * @param id the client's transaction id, echoed in the answer
 * @param opcode 0 is a standard query; anything else is answered NOTIMP
 * @param recursionDesired echoed in the answer (RFC 1035 §4.1.1), although this server never recurses
 * @param labels the question name's labels, lower-cased for lookup
 * @param questionEnd offset just past QCLASS: the question is echoed byte for byte, letter case included
 * @param type QTYPE
 * @param qclass QCLASS
 * @param edns the OPT record of the query (RFC 6891), or null when the client did not send one
 */
public record DnsQuery(
        int id,
        int opcode,
        boolean recursionDesired,
        List<String> labels,
        int questionEnd,
        int type,
        int qclass,
        Edns edns) {

    public DnsQuery {
        labels = List.copyOf(labels);
    }

    /** The question name in presentation form, lower-case, without the final dot. */
    public String name() {
        return String.join(".", labels);
    }

    /**
     * The client's EDNS(0) options that matter here.
     *
     * @param payloadSize the largest UDP answer the client accepts
     * @param version the EDNS version the client speaks; only 0 exists
     */
    public record Edns(int payloadSize, int version) {}
}
