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
        int lo = minLength(prefix, ge);
        int hi = maxLength(prefix, ge, le);
        if (lo < prefix.length() || hi > prefix.maxLength() || lo > hi) {
            throw new IllegalArgumentException("prefix-list entry " + prefix + (ge >= 0 ? " ge " + ge : "")
                    + (le >= 0 ? " le " + le : "") + " is invalid: need " + prefix.length() + " <= ge <= le <= "
                    + prefix.maxLength());
        }
    }

    /** The shortest matched length: {@code ge}, or the prefix's own length. */
    public int minLength() {
        return minLength(prefix, ge);
    }

    /** The longest matched length: {@code le}; without it the family's maximum after {@code ge}, else exact. */
    public int maxLength() {
        return maxLength(prefix, ge, le);
    }

    private static int minLength(RoutePrefix prefix, int ge) {
        return ge < 0 ? prefix.length() : ge;
    }

    private static int maxLength(RoutePrefix prefix, int ge, int le) {
        if (le >= 0) {
            return le;
        }
        return ge < 0 ? prefix.length() : prefix.maxLength();
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
        return prefix.covers(p) && p.length() >= minLength() && p.length() <= maxLength();
    }
}
