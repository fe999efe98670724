package io.meshgw.types;

import java.util.Locale;

/** The L4 protocols a Kubernetes Service port can name, with their IANA protocol numbers. */
public enum Protocol {
    TCP(6),
    UDP(17),
    SCTP(132);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number (IANA): what a packet header and the datapath's maps carry. */
    public int number() {
        return number;
    }

    /** The protocol of an IP protocol number. */
    public static Protocol ofNumber(int number) {
        for (Protocol p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("IP protocol " + number + " is none of TCP, UDP, SCTP");
    }

    /**
     * A protocol by its Kubernetes name ({@code TCP}, {@code UDP}, {@code SCTP}); null or empty is TCP, the Kubernetes
     * default.
     */
    public static Protocol parse(String name) {
        if (name == null || name.isEmpty()) {
            return TCP;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            String upper = name.toUpperCase(Locale.ROOT);
            String hint =
                    upper.equals(name) ? "" : " (protocol names are upper case: " + NameRules.abbreviate(upper) + ")";
            throw new IllegalArgumentException(
                    "protocol '" + NameRules.abbreviate(name) + "' is none of TCP, UDP, SCTP" + hint);
        }
    }
}
