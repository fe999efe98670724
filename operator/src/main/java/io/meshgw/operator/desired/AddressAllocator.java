package io.meshgw.operator.desired;

import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.AddressRange;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import java.math.BigInteger;
import java.util.ArrayList;
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
 *   <li>first free: the lowest free address of the pool, or of the ready pools in name order; of the claim's
 *       preferred families first ({@link AddressClaim#preferredFamilies}), so a pool of both families gives an
 *       object an address it can use.
 * </ol>
 *
 * A claim is served only from a pool that allows its namespace ({@link AddressPool#allows}): an address of another
 * pool is neither kept, granted nor handed out to it.
 */
public final class AddressAllocator {
    private final String poolKind;
    private final List<PoolView> pools;
    private final Map<IpAddress, ResourceRef> taken = new HashMap<>();
    /** Each pool's parsed ranges, read once per allocation rather than once per address asked about. */
    private final Map<PoolView, List<AddressRange>> ranges = new HashMap<>();
    /**
     * Where the search for a free address of a range resumes: every address below it is taken, and addresses are
     * only ever taken during one allocation, so the first-free pass scans each range once in all instead of once
     * per claim.
     */
    private final Map<AddressRange, BigInteger> cursor = new HashMap<>();

    /** A pool with whether it passed validation; claims are served from ready pools only. */
    public record PoolView(AddressPool pool, boolean ready) {
        String name() {
            return pool.name();
        }
    }

    private AddressAllocator(String poolKind, List<PoolView> pools) {
        this.poolKind = poolKind;
        this.pools = pools.stream().sorted(Comparator.comparing(PoolView::name)).toList();
        for (var pool : this.pools) {
            ranges.put(
                    pool,
                    pool.pool().entries().stream().map(AddressPool.Entry::range).toList());
        }
    }

    private boolean contains(PoolView pool, IpAddress address) {
        return ranges.get(pool).stream().anyMatch(r -> r.contains(address));
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
            if (!out.containsKey(claim.owner()) && claim.requested().isPresent())
                out.put(
                        claim.owner(),
                        allocator.requested(claim, claim.requested().get()));
        }
        for (var claim : ordered) {
            if (!out.containsKey(claim.owner())) out.put(claim.owner(), allocator.firstFree(claim));
        }
        return out;
    }

    private Optional<Allocation> keep(AddressClaim claim) {
        if (claim.current().isEmpty()) return Optional.empty();
        var current = claim.current().get();
        if (claim.requested().isPresent()
                && !IpAddress.tryParse(claim.requested().get()).equals(claim.current())) return Optional.empty();
        var pool = containing(current);
        if (pool.isEmpty() || taken.containsKey(current)) return Optional.empty();
        var constraint = claim.constraintPool();
        if (constraint.isPresent() && !constraint.get().equals(pool.get().name())) return Optional.empty();
        if (!pool.get().pool().allows(namespace(claim))) return Optional.empty();
        if (claim.requested().isEmpty() && !claim.prefers(current.family()) && offersPreferred(claim))
            return Optional.empty();
        taken.put(current, claim.owner());
        if (!pool.get().ready()) {
            return Optional.of(new Allocation.Rejected(
                    "PoolNotReady",
                    poolKind + " '" + pool.get().name() + "' is not ready; " + current + " stays reserved",
                    false,
                    Optional.of(current)));
        }
        return Optional.of(new Allocation.Assigned(current, pool.get().name()));
    }

    private Allocation requested(AddressClaim claim, String text) {
        var parsed = IpAddress.tryParse(text);
        if (parsed.isEmpty()) {
            return Allocation.Rejected.of("InvalidAddress", "'" + text + "' is not an IPv4 or IPv6 address", false);
        }
        var address = parsed.get();
        var pool = containing(address);
        if (pool.isEmpty()) {
            return Allocation.Rejected.of("OutsidePools", address + " is outside every " + poolKind, true);
        }
        var constraint = claim.constraintPool();
        if (constraint.isPresent() && !constraint.get().equals(pool.get().name())) {
            return Allocation.Rejected.of(
                    "NotInPool",
                    address + " is not in " + poolKind + " '" + constraint.get() + "' but in '"
                            + pool.get().name() + "'",
                    false);
        }
        if (!pool.get().pool().allows(namespace(claim))) return notAllowed(pool.get(), claim);
        if (!pool.get().ready()) return notReady(pool.get());
        var holder = taken.get(address);
        if (holder != null) {
            return Allocation.Rejected.of("AddressInUse", address + " is already assigned to " + holder, true);
        }
        taken.put(address, claim.owner());
        return new Allocation.Assigned(address, pool.get().name());
    }

    private Allocation firstFree(AddressClaim claim) {
        List<PoolView> candidates;
        if (claim.poolRef().isPresent()) {
            var name = claim.poolRef().get();
            var named = pools.stream().filter(p -> p.name().equals(name)).findFirst();
            if (named.isEmpty()) {
                return Allocation.Rejected.of("PoolNotFound", poolKind + " '" + name + "' does not exist", false);
            }
            if (!named.get().pool().allows(namespace(claim))) return notAllowed(named.get(), claim);
            if (!named.get().ready()) return notReady(named.get());
            candidates = List.of(named.get());
        } else {
            candidates = pools.stream().filter(PoolView::ready).toList();
            if (candidates.isEmpty())
                return Allocation.Rejected.of("PoolNotFound", "no ready " + poolKind + " exists", false);
            candidates = candidates.stream()
                    .filter(p -> p.pool().allows(namespace(claim)))
                    .toList();
            if (candidates.isEmpty())
                return Allocation.Rejected.of(
                        GatewayNamespace.NOT_ALLOWED,
                        "no ready " + poolKind + " allows namespace '" + namespace(claim)
                                + "': a pool lists the namespaces it serves in spec.allowedNamespaces",
                        false);
        }
        // The preferred families first, in order, then the others.
        List<java.util.function.Predicate<IpFamily>> passes = new ArrayList<>();
        claim.preferredFamilies().forEach(f -> passes.add(f::equals));
        passes.add(f -> !claim.preferredFamilies().contains(f));
        for (var family : passes) {
            if (family == passes.getLast()) {
                // None of the preferred families has a free address: the address the claim holds, where it can keep it.
                var held = claim.current().filter(a -> !taken.containsKey(a));
                for (var pool : candidates) {
                    if (held.isPresent() && family.test(held.get().family()) && contains(pool, held.get())) {
                        taken.put(held.get(), claim.owner());
                        return new Allocation.Assigned(held.get(), pool.name());
                    }
                }
            }
            for (var pool : candidates) {
                for (var range : ranges.get(pool)) {
                    if (!family.test(range.family())) continue;
                    var free = takeFirstFree(range, claim);
                    if (free.isPresent()) return new Allocation.Assigned(free.get(), pool.name());
                }
            }
        }
        return Allocation.Rejected.of(
                "PoolExhausted",
                candidates.size() == 1
                        ? poolKind + " '" + candidates.getFirst().name() + "' has no free address"
                        : "no ready " + poolKind + " has a free address",
                false);
    }

    /** The lowest free address of {@code range}, now taken by the claim; empty when it has none left. */
    private Optional<IpAddress> takeFirstFree(AddressRange range, AddressClaim claim) {
        // Terminates: each step past the first skips a taken address, and there are finitely many.
        for (var n = cursor.getOrDefault(range, range.first());
                n.compareTo(range.last()) <= 0;
                n = n.add(BigInteger.ONE)) {
            var address = range.address(n);
            if (!taken.containsKey(address)) {
                taken.put(address, claim.owner());
                cursor.put(range, n.add(BigInteger.ONE));
                return Optional.of(address);
            }
        }
        cursor.put(range, range.last().add(BigInteger.ONE));
        return Optional.empty();
    }

    /** Whether a pool the claim may be served from has a range of a family it prefers. */
    private boolean offersPreferred(AddressClaim claim) {
        return pools.stream()
                .filter(p -> claim.poolRef().map(p.name()::equals).orElse(true))
                .filter(p -> p.ready() && p.pool().allows(namespace(claim)))
                .flatMap(p -> ranges.get(p).stream())
                .anyMatch(r -> claim.prefers(r.family()));
    }

    private Optional<PoolView> containing(IpAddress address) {
        return pools.stream().filter(p -> contains(p, address)).findFirst();
    }

    private static String namespace(AddressClaim claim) {
        return claim.owner().key().namespace();
    }

    private Allocation notAllowed(PoolView pool, AddressClaim claim) {
        return Allocation.Rejected.of(
                GatewayNamespace.NOT_ALLOWED,
                poolKind + " '" + pool.name() + "' does not allow namespace '" + namespace(claim)
                        + "'; the pool's spec.allowedNamespaces must list it",
                false);
    }

    private Allocation notReady(PoolView pool) {
        return Allocation.Rejected.of("PoolNotReady", poolKind + " '" + pool.name() + "' is not ready", false);
    }
}
