package io.meshgw.bpf.datapath;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A change to the table a datapath last applied, for {@link Datapath#apply(TableChange)}: the services that go and
 * those that come or change (a service is named by VIP, port and protocol), and everything else whole in
 * {@code others}, which is small. A caller that knows what changed hands over that much instead of a table of every
 * service, which the datapath would walk to find the same change.
 *
 * @param removed services that go; one also in {@code put} is replaced, not removed
 * @param put services new or changed, each VIP, port and protocol once
 * @param others the identities, egress translations, policies and default verdicts, with no services
 */
public record TableChange(List<ServiceTranslation> removed, List<ServiceTranslation> put, TranslationTable others) {

    public TableChange {
        removed = List.copyOf(removed);
        put = List.copyOf(put);
        if (!others.services().isEmpty()) {
            throw new IllegalArgumentException("a table change carries its services in removed and put, not in others ("
                    + others.services().size() + " given)");
        }
        Set<String> keys = new HashSet<>();
        for (ServiceTranslation s : put) {
            if (!keys.add(s.key())) {
                throw new IllegalArgumentException("VIP " + s.key() + " appears twice in the change");
            }
        }
    }

    public boolean isEmpty() {
        return removed.isEmpty() && put.isEmpty();
    }
}
