package io.meshgw.bgp.wire;

import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded generators of valid messages, for round-trip properties and fuzzing. */
final class RandomMessages {

    private final Random rnd;

    RandomMessages(long seed) {
        this.rnd = new Random(seed);
    }

    Prefix prefix(Afi afi) {
        byte[] a = new byte[afi.addressBytes];
        rnd.nextBytes(a);
        return new Prefix(afi, a, rnd.nextInt(afi.addressBytes * 8 + 1));
    }

    List<Prefix> prefixes(Afi afi, int max) {
        List<Prefix> out = new ArrayList<>();
        int n = rnd.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            out.add(prefix(afi));
        }
        return out.stream().distinct().toList();
    }

    long asn() {
        return rnd.nextBoolean() ? 1 + rnd.nextInt(65534) : 65536 + (rnd.nextLong() & 0x7FFFFFFFL);
    }

    Update update() {
        List<PathAttribute> attrs = new ArrayList<>();
        List<Prefix> nlri = prefixes(Afi.IPV4, 20);
        boolean mp = rnd.nextBoolean();
        if (!nlri.isEmpty() || mp) {
            attrs.add(new PathAttribute.Origin(rnd.nextInt(3)));
            List<Long> path = new ArrayList<>();
            for (int i = rnd.nextInt(6); i > 0; i--) {
                path.add(asn());
            }
            attrs.add(new PathAttribute.AsPath(
                    path.isEmpty() ? List.of() : List.of(new Segment(Segment.AS_SEQUENCE, path))));
        }
        if (!nlri.isEmpty()) {
            byte[] nh = new byte[4];
            rnd.nextBytes(nh);
            attrs.add(new PathAttribute.NextHop(nh));
        }
        if (rnd.nextBoolean()) {
            attrs.add(new PathAttribute.MultiExitDisc(rnd.nextLong() & 0xFFFFFFFFL));
        }
        if (rnd.nextBoolean()) {
            attrs.add(new PathAttribute.Communities(List.of(rnd.nextLong() & 0xFFFFFFFFL, 0xFFFF029AL)));
        }
        if (rnd.nextBoolean()) {
            attrs.add(new PathAttribute.LargeCommunities(
                    List.of(new PathAttribute.LargeCommunities.Large(asn(), rnd.nextInt(1000), rnd.nextInt(1000)))));
        }
        if (rnd.nextBoolean()) {
            attrs.add(new PathAttribute.ExtendedCommunities(List.of(rnd.nextLong())));
        }
        if (rnd.nextInt(4) == 0) {
            attrs.add(new PathAttribute.AtomicAggregate());
            attrs.add(new PathAttribute.Aggregator(asn(), new byte[] {10, 0, 0, 1}, false));
        }
        if (mp) {
            byte[] nh = new byte[rnd.nextBoolean() ? 16 : 32];
            rnd.nextBytes(nh);
            attrs.add(new PathAttribute.MpReachNlri(Afi.IPV6, 1, nh, prefixes(Afi.IPV6, 10)));
        }
        if (rnd.nextInt(3) == 0) {
            attrs.add(new PathAttribute.MpUnreachNlri(Afi.IPV6, 1, prefixes(Afi.IPV6, 5)));
        }
        if (rnd.nextInt(4) == 0) {
            byte[] v = new byte[rnd.nextInt(300)];
            rnd.nextBytes(v);
            attrs.add(new PathAttribute.Unknown(
                    PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE | PathAttribute.PARTIAL, 200, v));
        }
        return new Update(prefixes(Afi.IPV4, 20), attrs, nlri);
    }

    BgpMessage message() {
        return switch (rnd.nextInt(5)) {
            case 0 ->
                new Open(
                        (int) (1 + rnd.nextInt(65534)),
                        rnd.nextBoolean() ? 0 : 3 + rnd.nextInt(200),
                        1 + (rnd.nextLong() & 0x7FFFFFFFL),
                        List.of(new Capability.FourOctetAs(asn()), new Capability.MultiProtocol(1, 1)));
            case 1 -> update();
            case 2 -> {
                byte[] d = new byte[rnd.nextInt(40)];
                rnd.nextBytes(d);
                yield new Notification(1 + rnd.nextInt(7), rnd.nextInt(12), d);
            }
            case 3 -> new Keepalive();
            default -> new RouteRefresh(1 + rnd.nextInt(2), 1, rnd.nextInt(3));
        };
    }
}
