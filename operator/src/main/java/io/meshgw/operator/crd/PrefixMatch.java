package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A prefix-list entry: the prefix, optionally widened to lengths ge..le (both inclusive). */
@ValidationRule(
        value = "!has(self.ge) || !isCIDR(self.prefix) || self.ge >= cidr(self.prefix).prefixLength()",
        message = "ge must be at least the prefix's length",
        fieldPath = ".ge")
@ValidationRule(
        value = "!has(self.ge) || !isCIDR(self.prefix)"
                + " || self.ge <= (cidr(self.prefix).ip().family() == 4 ? 32 : 128)",
        message = "ge must be at most 32 for an IPv4 prefix and 128 for an IPv6 one",
        fieldPath = ".ge")
@ValidationRule(
        value = "!has(self.le) || !isCIDR(self.prefix)"
                + " || self.le <= (cidr(self.prefix).ip().family() == 4 ? 32 : 128)",
        message = "le must be at most 32 for an IPv4 prefix and 128 for an IPv6 one",
        fieldPath = ".le")
@ValidationRule(
        value = "!has(self.le) || !isCIDR(self.prefix)"
                + " || self.le >= (has(self.ge) ? self.ge : cidr(self.prefix).prefixLength())",
        message = "le must be at least ge (the prefix's length when ge is absent)",
        fieldPath = ".le")
public class PrefixMatch {
    @JsonPropertyDescription(
            "A CIDR, address/length with the host bits zero, IPv4 or IPv6. Alone it matches exactly" + " this prefix.")
    @Required
    @Size(max = Crds.MAX_CIDR_LENGTH)
    @ValidationRule(
            value = "isCIDR(self) && cidr(self) == cidr(self).masked()",
            message = "prefix must be a CIDR, address/length with the host bits zero (e.g. 10.50.0.0/16)")
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
