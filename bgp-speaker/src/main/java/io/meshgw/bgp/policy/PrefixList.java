package io.meshgw.bgp.policy;

import java.util.List;

/** An ordered prefix list: the first matching entry decides; no match denies. */
public record PrefixList(String name, List<PrefixListEntry> entries) {

    public PrefixList {
        entries = List.copyOf(entries);
    }

    public boolean permits(RoutePrefix p) {
        for (PrefixListEntry e : entries) {
            if (e.matches(p)) {
                return e.permit();
            }
        }
        return false;
    }
}
