package io.meshgw.operator.plan;

/**
 * An RFC 1997 community: a 32-bit value written {@code <high 16 bits>:<low 16 bits>}, e.g. {@code 65000:100}.
 *
 * @param value the unsigned 32-bit value
 */
public record Community(long value) implements Comparable<Community> {

    public Community {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("a community is a 32-bit value, not " + value);
        }
    }

    /**
     * Parses {@code asn:value}, each part 0..65535.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static Community parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("community '" + text + "' is not <0..65535>:<0..65535>");
        }
        return new Community(part(text, text.substring(0, colon)) << 16 | part(text, text.substring(colon + 1)));
    }

    private static long part(String text, String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("community '" + text + "' is not <0..65535>:<0..65535>");
        }
        long v = Long.parseLong(digits);
        if (v > 0xffff) {
            throw new IllegalArgumentException("community '" + text + "' has a part outside 0..65535");
        }
        return v;
    }

    @Override
    public int compareTo(Community other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return (value >>> 16) + ":" + (value & 0xffff);
    }
}
