package io.meshgw.operator.desired;

import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.port.ResourceRef;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stable allocation of single addresses from the pools of one kind. Three passes, each over the claims oldest first:
 *
 * <ol>
 *   <li>keep: an address already in a claim's status stays with it while it is still allowed, so a VIP never moves
 *       because another object came or went;
 *   <li>requested: a specific address is granted unless it is outside every pool, in another pool than required, or
 *       taken (a conflict);
 *   <li>first free: the lowest free address of the pool, or of the ready pools in name order.
 * </ol>
 */
public final class AddressAllocator {
    private final String poolKind;
    private final List<PoolView> pools;
    private final Map<InetAddress, ResourceRef> taken = new HashMap<>();

    /** A pool with whether it passed validation; claims are served from ready pools only. */
    public record PoolView(AddressPool pool, boolean ready) {
        String name() {
            return pool.name();
        }

        boolean contains(InetAddress address) {
            return pool.entries().stream().anyMatch(e -> e.range().contains(address));
        }
    }

    private AddressAllocator(String poolKind, List<PoolView> pools) {
        this.poolKind = poolKind;
        this.pools = pools.stream().sorted(Comparator.comparing(PoolView::name)).toList();
    }

    /** @param poolKind the pool kind's name for messages, e.g. LegacyVipPool */
    public static Map<ResourceRef, Allocation> allocate(
            String poolKind, List<PoolView> pools, List<AddressClaim> claims) {
        var ordered = claims.stream()
                .sorted(Comparator.comparing(AddressClaim::createdAt).thenComparing(AddressClaim::owner))
                .toList();
        var allocator = new AddressAllocator(poolKind, pools);
        var out = new LinkedHashMap<ResourceRef, Allocation>();
        for (var claim : ordered) allocator.keep(claim).ifPresent(a -> out.put(claim.owner(), a));
        for (var claim : ordered) {
            if (!out.containsKey(claim.owner()) && claim.requested() != null)
                out.put(claim.owner(), allocator.requested(claim));
        }
        for (var claim : ordered) {
            if (!out.containsKey(claim.owner())) out.put(claim.owner(), allocator.firstFree(claim));
        }
        return out;
    }

    private Optional<Allocation> keep(AddressClaim claim) {
        if (claim.current() == null) return Optional.empty();
        var current = IpAddresses.parse(claim.current());
        if (current.isEmpty()) return Optional.empty();
        if (claim.requested() != null && !IpAddresses.parse(claim.requested()).equals(current)) return Optional.empty();
        var pool = containing(current.get());
        if (pool.isEmpty() || taken.containsKey(current.get())) return Optional.empty();
        var constraint = claim.constraintPool();
        if (constraint != null && !constraint.equals(pool.get().name())) return Optional.empty();
        taken.put(current.get(), claim.owner());
        if (!pool.get().ready()) {
            return Optional.of(new Allocation.Rejected(
                    "PoolNotReady",
                    poolKind + " '" + pool.get().name() + "' is not ready; " + claim.current() + " stays reserved",
                    false,
                    IpAddresses.format(current.get())));
        }
        return Optional.of(new Allocation.Assigned(
                IpAddresses.format(current.get()), pool.get().name()));
    }

    private Allocation requested(AddressClaim claim) {
        var address = IpAddresses.parse(claim.requested());
        if (address.isEmpty()) {
            return rejected("InvalidAddress", "'" + claim.requested() + "' is not an IPv4 or IPv6 address", false);
        }
        var pool = containing(address.get());
        if (pool.isEmpty()) {
            return rejected("OutsidePools", claim.requested() + " is outside every " + poolKind, true);
        }
        var constraint = claim.constraintPool();
        if (constraint != null && !constraint.equals(pool.get().name())) {
            return rejected(
                    "NotInPool",
                    claim.requested() + " is not in " + poolKind + " '" + constraint + "' but in '"
                            + pool.get().name() + "'",
                    false);
        }
        if (!pool.get().ready()) return notReady(pool.get());
        var holder = taken.get(address.get());
        if (holder != null) {
            return rejected("AddressInUse", claim.requested() + " is already assigned to " + holder, true);
        }
        taken.put(address.get(), claim.owner());
        return new Allocation.Assigned(
                IpAddresses.format(address.get()), pool.get().name());
    }

    private Allocation firstFree(AddressClaim claim) {
        List<PoolView> candidates;
        if (claim.poolRef() != null) {
            var named =
                    pools.stream().filter(p -> p.name().equals(claim.poolRef())).findFirst();
            if (named.isEmpty()) {
                return rejected("PoolNotFound", poolKind + " '" + claim.poolRef() + "' does not exist", false);
            }
            if (!named.get().ready()) return notReady(named.get());
            candidates = List.of(named.get());
        } else {
            candidates = pools.stream().filter(PoolView::ready).toList();
            if (candidates.isEmpty()) return rejected("PoolNotFound", "no ready " + poolKind + " exists", false);
        }
        for (var pool : candidates) {
            for (var entry : pool.pool().entries()) {
                var range = entry.range();
                // Terminates: each step past the first skips a taken address, and there are finitely many.
                for (var n = range.first(); n.compareTo(range.last()) <= 0; n = n.add(BigInteger.ONE)) {
                    var address = IpAddresses.fromNumber(n, range.bits());
                    if (!taken.containsKey(address)) {
                        taken.put(address, claim.owner());
                        return new Allocation.Assigned(IpAddresses.format(address), pool.name());
                    }
                }
            }
        }
        return rejected(
                "PoolExhausted",
                candidates.size() == 1
                        ? poolKind + " '" + candidates.getFirst().name() + "' has no free address"
                        : "no ready " + poolKind + " has a free address",
                false);
    }

    private Optional<PoolView> containing(InetAddress address) {
        return pools.stream().filter(p -> p.contains(address)).findFirst();
    }

    private Allocation notReady(PoolView pool) {
        return rejected("PoolNotReady", poolKind + " '" + pool.name() + "' is not ready", false);
    }

    private static Allocation rejected(String reason, String message, boolean conflict) {
        return new Allocation.Rejected(reason, message, conflict, null);
    }
}
