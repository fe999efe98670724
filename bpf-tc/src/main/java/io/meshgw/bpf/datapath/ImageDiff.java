package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.ConfigValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyValue;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SnatValue;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.util.Optional;

/**
 * The writes of one apply, map by map; {@code config} is present when the config entry changes.
 * Removed backends are not deleted (the backend map is an array) but zeroed.
 */
record ImageDiff(
        MapDiff<ServiceKey, SvcValue> services,
        MapDiff<SlotKey, Integer> slots,
        MapDiff<Integer, MaglevValue> maglev,
        MapDiff<Integer, BackendEntry> backends,
        MapDiff<IdentKey, Integer> identities,
        MapDiff<Integer, SnatValue> snat,
        MapDiff<EgressDstKey, Integer> egressDestinations,
        MapDiff<PolicyKey, Integer> policies,
        Optional<ConfigValue> config,
        MapDiff<ReplyKey, ReplyValue> replies) {

    static ImageDiff between(MapImage current, MapImage desired) {
        return new ImageDiff(
                MapDiff.of(current.services(), desired.services()),
                MapDiff.of(current.slots(), desired.slots()),
                MapDiff.of(current.maglev(), desired.maglev()),
                MapDiff.of(current.backends(), desired.backends()),
                MapDiff.of(current.identities(), desired.identities()),
                MapDiff.of(current.snat(), desired.snat()),
                MapDiff.of(current.egressDestinations(), desired.egressDestinations()),
                MapDiff.of(current.policies(), desired.policies()),
                desired.config().equals(current.config()) ? Optional.empty() : Optional.of(desired.config()),
                MapDiff.of(current.replies(), desired.replies()));
    }

    int upserts() {
        return services.upserts().size()
                + slots.upserts().size()
                + maglev.upserts().size()
                + backends.upserts().size()
                + identities.upserts().size()
                + snat.upserts().size()
                + egressDestinations.upserts().size()
                + policies.upserts().size()
                + replies.upserts().size()
                + (config.isPresent() ? 1 : 0);
    }

    int removals() {
        return services.removals().size()
                + slots.removals().size()
                + maglev.removals().size()
                + backends.removals().size()
                + identities.removals().size()
                + snat.removals().size()
                + egressDestinations.removals().size()
                + policies.removals().size()
                + replies.removals().size();
    }

    /** The image {@code current} becomes once these writes are made; {@code current} is not changed. */
    MapImage applyTo(MapImage current) {
        return new MapImage(
                services.applyTo(current.services()),
                slots.applyTo(current.slots()),
                maglev.applyTo(current.maglev()),
                backends.applyTo(current.backends()),
                identities.applyTo(current.identities()),
                snat.applyTo(current.snat()),
                egressDestinations.applyTo(current.egressDestinations()),
                policies.applyTo(current.policies()),
                config.orElse(current.config()),
                replies.applyTo(current.replies()));
    }

    /** As {@link #applyTo}, writing into {@code current}'s own maps (which must be mutable). */
    MapImage applyInPlace(MapImage current) {
        services.applyInPlace(current.services());
        slots.applyInPlace(current.slots());
        maglev.applyInPlace(current.maglev());
        backends.applyInPlace(current.backends());
        identities.applyInPlace(current.identities());
        snat.applyInPlace(current.snat());
        egressDestinations.applyInPlace(current.egressDestinations());
        policies.applyInPlace(current.policies());
        replies.applyInPlace(current.replies());
        return current.withConfig(config.orElse(current.config()));
    }
}
