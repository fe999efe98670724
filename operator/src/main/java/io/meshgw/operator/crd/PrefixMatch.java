package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A prefix-list entry: the prefix, optionally widened to lengths ge..le (both inclusive). */
public class PrefixMatch {
    @JsonPropertyDescription(
            "A CIDR, address/length with the host bits zero, IPv4 or IPv6. Alone it matches exactly" + " this prefix.")
    @Required
    public String prefix;

    @JsonPropertyDescription("Also match longer prefixes inside prefix, from this length (inclusive): at least the"
            + " prefix's length. Alone, lengths run to the family's full length (32 or 128).")
    @Min(0)
    @Max(128)
    public Integer ge;

    @JsonPropertyDescription("Also match longer prefixes inside prefix, up to this length (inclusive): at least ge (or"
            + " the prefix's length), at most 32 for IPv4 and 128 for IPv6.")
    @Min(0)
    @Max(128)
    public Integer le;

    public PrefixMatch() {}

    public PrefixMatch(String prefix, Integer ge, Integer le) {
        this.prefix = prefix;
        this.ge = ge;
        this.le = le;
    }
}
