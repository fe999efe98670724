package io.meshgw.bpf.datapath;

/** Source addresses in {@code prefix} belong to {@code identity} (longest prefix wins). */
public record IdentityPrefix(Ipv4Prefix prefix, int identity) {
    public IdentityPrefix {
        if (identity <= 0) {
            throw new IllegalArgumentException(
                    "prefix " + prefix + " maps to identity " + identity + "; identities are positive");
        }
    }
}
