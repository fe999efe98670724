package io.meshgw.bgp.policy;

/**
 * One line of a prefix list, with the usual router semantics: without {@code ge}/{@code le} it
 * matches the prefix exactly; {@code ge} alone means lengths ge..max; {@code le} alone means
 * length..le.
 *
 * @param permit whether a match permits (true) or denies (false)
 * @param prefix the covering prefix
 * @param ge the minimum matched length, or -1
 * @param le the maximum matched length, or -1
 */
public record PrefixListEntry(boolean permit, RoutePrefix prefix, int ge, int le) {

    public PrefixListEntry {
        int max = prefix.ipv6() ? 128 : 32;
        int lo = ge < 0 ? prefix.length() : ge;
        int hi = le < 0 ? (ge < 0 ? prefix.length() : max) : le;
        if (lo < prefix.length() || hi > max || lo > hi) {
            throw new IllegalArgumentException("prefix-list entry " + prefix + (ge >= 0 ? " ge " + ge : "")
                    + (le >= 0 ? " le " + le : "") + " is invalid: need " + prefix.length() + " <= ge <= le <= "
                    + max);
        }
    }

    public static PrefixListEntry permit(String cidr) {
        return new PrefixListEntry(true, RoutePrefix.parse(cidr), -1, -1);
    }

    public static PrefixListEntry permit(String cidr, int ge, int le) {
        return new PrefixListEntry(true, RoutePrefix.parse(cidr), ge, le);
    }

    public static PrefixListEntry deny(String cidr, int ge, int le) {
        return new PrefixListEntry(false, RoutePrefix.parse(cidr), ge, le);
    }

    boolean matches(RoutePrefix p) {
        int max = prefix.ipv6() ? 128 : 32;
        int lo = ge < 0 ? prefix.length() : ge;
        int hi = le < 0 ? (ge < 0 ? prefix.length() : max) : le;
        return prefix.covers(p) && p.length() >= lo && p.length() <= hi;
    }
}
