package io.meshgw.bpf.datapath;

/** A policy verdict; the numbers are the map values (enum verdict in mgw_maps.h). */
public enum Verdict {
    ALLOW(1),
    DENY(2);

    private final int value;

    Verdict(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Verdict of(int value) {
        return value == DENY.value ? DENY : ALLOW;
    }
}
