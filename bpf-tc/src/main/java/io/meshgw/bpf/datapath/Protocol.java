package io.meshgw.bpf.datapath;

/** The L4 protocols the datapath translates, with their IP protocol numbers. */
public enum Protocol {
    TCP(6),
    UDP(17);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static Protocol of(int number) {
        for (Protocol p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("IP protocol " + number + " is not translated (TCP and UDP are)");
    }
}
