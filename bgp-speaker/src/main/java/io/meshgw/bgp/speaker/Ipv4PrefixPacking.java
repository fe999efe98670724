package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.KeyPacking;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Prefix;

/** IPv4 prefixes as {@link Prefix#packedIpv4} numbers in the speaker's large tables; IPv6 ones stay objects. */
final class Ipv4PrefixPacking implements KeyPacking<Prefix> {

    static final Ipv4PrefixPacking INSTANCE = new Ipv4PrefixPacking();

    private Ipv4PrefixPacking() {}

    @Override
    public long pack(Prefix p) {
        return p.afi() == Afi.IPV4 ? p.packedIpv4() : NONE;
    }

    @Override
    public Prefix unpack(long packed) {
        return Prefix.ofPackedIpv4(packed);
    }
}
