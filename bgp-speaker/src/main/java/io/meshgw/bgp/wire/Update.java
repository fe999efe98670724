package io.meshgw.bgp.wire;

import java.util.List;
import java.util.Optional;

/**
 * UPDATE (RFC 4271 §4.3): IPv4 withdrawals and NLRI in the body, other families inside
 * MP_REACH_NLRI / MP_UNREACH_NLRI.
 */
public record Update(List<Prefix> withdrawn, List<PathAttribute> attributes, List<Prefix> nlri) implements BgpMessage {

    public Update {
        withdrawn = List.copyOf(withdrawn);
        attributes = List.copyOf(attributes);
        nlri = List.copyOf(nlri);
    }

    /** End-of-RIB for IPv4 unicast (RFC 4724 §2): an empty UPDATE. */
    public static Update endOfRib() {
        return new Update(List.of(), List.of(), List.of());
    }

    /** End-of-RIB for another family: an UPDATE with an empty MP_UNREACH_NLRI only. */
    public static Update endOfRib(Afi afi) {
        return afi == Afi.IPV4
                ? endOfRib()
                : new Update(List.of(), List.of(new PathAttribute.MpUnreachNlri(afi, 1, List.of())), List.of());
    }

    /** The family this UPDATE marks as complete, when it is an End-of-RIB. */
    public Optional<Afi> endOfRibFamily() {
        if (!withdrawn.isEmpty() || !nlri.isEmpty()) {
            return Optional.empty();
        }
        if (attributes.isEmpty()) {
            return Optional.of(Afi.IPV4);
        }
        if (attributes.size() == 1
                && attributes.getFirst() instanceof PathAttribute.MpUnreachNlri u
                && u.withdrawn().isEmpty()) {
            return Optional.of(u.afi());
        }
        return Optional.empty();
    }

    public <A extends PathAttribute> Optional<A> attribute(Class<A> kind) {
        return attributes.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    @Override
    public int type() {
        return UPDATE;
    }
}
