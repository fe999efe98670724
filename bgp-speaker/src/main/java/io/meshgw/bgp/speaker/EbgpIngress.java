package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import io.meshgw.bgp.wire.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks an eBGP neighbor's announcements pass before import: an AS_PATH that starts with the neighbor's AS and
 * holds no confederation segments, and the Only-to-Customer procedure of the neighbor's role. A failed check turns
 * the UPDATE's announcements into withdrawals, never resets the session.
 */
final class EbgpIngress {

    /**
     * What becomes of an UPDATE.
     *
     * @param update the UPDATE to import, OTC added where RFC 9234 wants it
     * @param withdraw why its announcements are withdrawn instead, if they are
     * @param leak the withdrawal is a route leak RFC 9234 §5 detected
     */
    record Verdict(Update update, Optional<String> withdraw, boolean leak) {
        static Verdict accept(Update u) {
            return new Verdict(u, Optional.empty(), false);
        }
    }

    private final long peerAsn;
    private final Optional<BgpRole> role;

    EbgpIngress(long peerAsn, Optional<BgpRole> role) {
        this.peerAsn = peerAsn;
        this.role = role;
    }

    /** Checks an UPDATE that announces routes and is not already treat-as-withdraw. */
    Verdict check(Update u) {
        Optional<PathAttribute.AsPath> asPath = u.attribute(PathAttribute.AsPath.class);
        if (asPath.isEmpty()) {
            return Verdict.accept(u); // the decoder withdrew it already (RFC 7606 §3 d)
        }
        Optional<String> malformed = malformed(asPath.get());
        if (malformed.isPresent()) {
            return new Verdict(u, malformed, false);
        }
        return role.map(r -> onlyToCustomer(u, r)).orElse(Verdict.accept(u));
    }

    /**
     * RFC 4271 §6.3 and RFC 7606 §7.2: the leftmost AS of a path from an external peer must be the peer's, and RFC
     * 5065 §5: confederation segments from outside our confederation (we are in none) make the AS_PATH malformed;
     * either is treat-as-withdraw. A route server does not prepend its AS (RFC 7947 §2.2.2.1), so with one the first
     * AS is its client's; the path must still not be empty.
     */
    private Optional<String> malformed(PathAttribute.AsPath p) {
        for (Segment s : p.segments()) {
            if (s.segmentType() == Segment.AS_CONFED_SEQUENCE || s.segmentType() == Segment.AS_CONFED_SET) {
                return Optional.of(
                        "AS_PATH from external peer AS " + peerAsn + " has a confederation segment" + " (RFC 5065 §5)");
            }
        }
        List<Segment> segments = p.segments();
        if (segments.isEmpty() || segments.getFirst().asns().isEmpty()) {
            return Optional.of("empty AS_PATH from external peer AS " + peerAsn + " (RFC 4271 §6.3)");
        }
        Segment first = segments.getFirst();
        boolean routeServer = role.orElse(null) == BgpRole.RS_CLIENT;
        if (!routeServer
                && (first.segmentType() != Segment.AS_SEQUENCE || first.asns().getFirst() != peerAsn)) {
            return Optional.of("AS_PATH from external peer AS " + peerAsn + " starts with "
                    + (first.segmentType() == Segment.AS_SEQUENCE
                            ? "AS " + first.asns().getFirst()
                            : "an AS_SET")
                    + ", not the peer's AS (RFC 4271 §6.3)");
        }
        return Optional.empty();
    }

    /** RFC 9234 §5, the ingress procedure. */
    private Verdict onlyToCustomer(Update u, BgpRole ours) {
        Optional<PathAttribute.OnlyToCustomer> otc = u.attribute(PathAttribute.OnlyToCustomer.class);
        if (otc.isPresent()) {
            long marked = otc.get().asn();
            if (ours.neighborIsCustomerOrRsClient()) {
                return new Verdict(
                        u,
                        Optional.of("route leak: OTC " + marked + " on a route from a "
                                + (ours == BgpRole.PROVIDER ? "customer" : "route-server client") + " (RFC 9234 §5)"),
                        true);
            }
            if (ours == BgpRole.PEER && marked != peerAsn) {
                return new Verdict(
                        u,
                        Optional.of("route leak: OTC " + marked + " on a route from lateral peer AS " + peerAsn
                                + " (RFC 9234 §5)"),
                        true);
            }
            return Verdict.accept(u);
        }
        if (ours.neighborIsProviderPeerOrRs()) {
            // from a provider, a peer or a route server: it may only go down to our customers from here
            List<PathAttribute> attrs = new ArrayList<>(u.attributes());
            attrs.add(new PathAttribute.OnlyToCustomer(peerAsn));
            return Verdict.accept(new Update(u.withdrawn(), attrs, u.nlri()));
        }
        return Verdict.accept(u);
    }
}
