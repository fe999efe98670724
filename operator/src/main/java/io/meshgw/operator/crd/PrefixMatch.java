package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A prefix-list entry: the prefix, optionally widened to lengths ge..le (both inclusive). */
public class PrefixMatch {
    @Required
    public String prefix;

    @Min(0)
    @Max(128)
    public Integer ge;

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
