package io.meshgw.operator.model;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;

/**
 * A CIDR as the custom resources write it: {@code address/length} with the host bits zero. Stricter than
 * {@link IpPrefix#parse}, which takes a bare address as its host prefix: in a pool or a destination list a bare
 * address is more likely a missing length than a deliberate /32, so it is refused with a reason.
 */
public final class CidrText {
    private CidrText() {}

    /** Parse result: either a prefix or the reason the text is not one. */
    public sealed interface Parsed permits Ok, Invalid {}

    public record Ok(IpPrefix prefix) implements Parsed {}

    public record Invalid(String reason) implements Parsed {}

    public static Parsed parse(String text) {
        if (text == null) return new Invalid("is not a CIDR (address/length)");
        int slash = text.indexOf('/');
        if (slash < 0) return new Invalid("'" + text + "' is not a CIDR (address/length)");
        var address = IpAddress.tryParse(text.substring(0, slash));
        if (address.isEmpty()) return new Invalid("'" + text + "' has an invalid address");
        int bits = address.get().bits();
        var lengthText = text.substring(slash + 1);
        if (!lengthText.matches("\\d{1,3}") || Integer.parseInt(lengthText) > bits) {
            return new Invalid("'" + text + "' has an invalid prefix length (0.." + bits + ")");
        }
        int length = Integer.parseInt(lengthText);
        if (!address.get().masked(length).equals(address.get())) {
            return new Invalid("'" + text + "' has host bits set");
        }
        return new Ok(IpPrefix.of(address.get(), length));
    }

    /** The prefix of text {@link #parse} accepted; for fields validated earlier in the same pass. */
    public static IpPrefix valid(String text) {
        return switch (parse(text)) {
            case Ok(IpPrefix prefix) -> prefix;
            case Invalid(String reason) -> throw new IllegalArgumentException(reason);
        };
    }
}
