package io.meshgw.bpf.fib;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Fib} holding the routes it is given: each destination's gateways, at most {@code maxPaths} of them
 * (ECMP), or no route. It remembers what it installed and writes only the difference: an add where there was none
 * (never over another protocol's route), a replace where the gateways changed, a removal where none is wanted.
 *
 * <p>Restart: {@link #adopt} takes the routes a previous run left, marked stale, so forwarding goes on while the
 * sessions come back; a destination given again is confirmed (or replaced), and {@link #sweepStale} removes the
 * ones nobody gave again. A refused change is logged with its destination, counted by errno, and never stops the
 * others; the destination is tried again when it is given next. Called from one thread; the counts may be read from
 * any.
 */
public final class RouteInstaller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteInstaller.class);

    private final Fib fib;
    private final int maxPaths;
    private final Map<IpPrefix, KernelRoute> installed = new HashMap<>();
    private final Set<IpPrefix> stale = new HashSet<>();
    private final AtomicLong installedCount = new AtomicLong();
    private final LongAdder changesApplied = new LongAdder();
    private final LongAdder repaired = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    private RouteInstaller(Fib fib, int maxPaths) {
        if (maxPaths < 1) {
            throw new IllegalArgumentException("max paths " + maxPaths + " is below 1");
        }
        this.fib = fib;
        this.maxPaths = maxPaths;
    }

    /**
     * Starts on {@code fib}, adopting the routes it holds (a previous run's) as stale: they stay until {@link
     * #sweepStale}, unless given again first.
     */
    public static RouteInstaller adopt(Fib fib, int maxPaths) {
        RouteInstaller r = new RouteInstaller(fib, maxPaths);
        for (KernelRoute k : fib.read()) {
            r.installed.put(k.destination(), k);
            r.stale.add(k.destination());
        }
        r.installedCount.set(r.installed.size());
        if (!r.stale.isEmpty()) {
            LOG.info("{} route(s) of a previous run kept until the sessions are back", r.stale.size());
        }
        return r;
    }

    /**
     * Makes each destination of {@code wanted} forwarded to its gateways (best first; the first {@code maxPaths}
     * are used), or not at all where the list is empty.
     *
     * @return the changes the kernel refused
     */
    public List<RouteFailure> apply(Map<IpPrefix, List<IpAddress>> wanted) {
        List<RouteChange> changes = new ArrayList<>();
        wanted.forEach((destination, gateways) -> {
            stale.remove(destination);
            KernelRoute have = installed.get(destination);
            if (gateways.isEmpty()) {
                if (have != null) {
                    changes.add(new RouteChange.Remove(destination));
                }
                return;
            }
            KernelRoute want = new KernelRoute(destination, gateways.subList(0, Math.min(maxPaths, gateways.size())));
            if (have == null) {
                changes.add(new RouteChange.Add(want));
            } else if (!have.equals(want)) {
                changes.add(new RouteChange.Replace(want));
            }
        });
        return write(changes);
    }

    /** Removes the routes adopted at the start that were not given again since. */
    public List<RouteFailure> sweepStale() {
        List<RouteChange> changes = new ArrayList<>();
        stale.forEach(d -> changes.add(new RouteChange.Remove(d)));
        stale.clear();
        if (!changes.isEmpty()) {
            LOG.info("removing {} route(s) of a previous run that no session gave again", changes.size());
        }
        return write(changes);
    }

    /**
     * Puts back what the kernel lost behind the installer's back: a link that goes down takes every route over it
     * along, and stays silent about it when it comes back; an operator's {@code ip route del} or {@code flush} does
     * the same. Reads the table and writes each installed destination that is missing (an add) or is no longer what
     * was installed (a replace). The routes of a previous run are left alone: nobody gave them yet. A change the
     * kernel refuses (the link still down: ENETUNREACH) is counted like any other and tried again on the next call.
     *
     * @return the changes the kernel refused
     */
    public List<RouteFailure> repair() {
        Map<IpPrefix, KernelRoute> inKernel = new HashMap<>();
        for (KernelRoute k : fib.read()) {
            inKernel.put(k.destination(), k);
        }
        List<RouteChange> changes = new ArrayList<>();
        installed.forEach((destination, want) -> {
            if (stale.contains(destination)) {
                return;
            }
            KernelRoute have = inKernel.get(destination);
            if (have == null) {
                changes.add(new RouteChange.Add(want));
            } else if (!have.equals(want)) {
                changes.add(new RouteChange.Replace(want));
            }
        });
        if (changes.isEmpty()) {
            return List.of();
        }
        List<RouteFailure> refused = write(changes);
        int back = changes.size() - refused.size();
        repaired.add(back);
        LOG.warn(
                "{} route(s) were gone from the kernel or changed behind meshgw (a link down, a manual change): {} put"
                        + " back, {} refused",
                changes.size(),
                back,
                refused.size());
        return refused;
    }

    /** Removes every route installed: for a stop that must not leave routes behind. */
    public List<RouteFailure> removeAll() {
        List<RouteChange> changes = new ArrayList<>();
        installed.keySet().forEach(d -> changes.add(new RouteChange.Remove(d)));
        stale.clear();
        return write(changes);
    }

    private List<RouteFailure> write(List<RouteChange> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        List<RouteFailure> refused = fib.apply(changes);
        Set<RouteChange> failed = new HashSet<>();
        for (RouteFailure f : refused) {
            failed.add(f.change());
            failures.computeIfAbsent(f.errnoName(), k -> new LongAdder()).increment();
            LOG.warn("route {} not {}: {}", f.change().destination(), verb(f.change()), f.reason());
        }
        for (RouteChange c : changes) {
            if (failed.contains(c)) {
                continue; // the kernel kept what it had: an add left nothing, a replace the old route
            }
            switch (c) {
                case RouteChange.Add a -> installed.put(a.destination(), a.route());
                case RouteChange.Replace r -> installed.put(r.destination(), r.route());
                case RouteChange.Remove d -> installed.remove(d.destination());
            }
        }
        changesApplied.add(changes.size() - refused.size());
        installedCount.set(installed.size());
        return refused;
    }

    private static String verb(RouteChange c) {
        return switch (c) {
            case RouteChange.Add a -> "installed";
            case RouteChange.Replace r -> "replaced";
            case RouteChange.Remove d -> "removed";
        };
    }

    /** Routes installed now. */
    public long installed() {
        return installedCount.get();
    }

    /** Changes the kernel accepted since the start. */
    public long changesApplied() {
        return changesApplied.sum();
    }

    /** Routes {@link #repair} put back since the start. */
    public long repaired() {
        return repaired.sum();
    }

    /** Changes refused since the start, by errno name. */
    public Map<String, Long> failures() {
        Map<String, Long> m = new HashMap<>();
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** What is installed, by destination (for tests and the admin API). */
    public Map<IpPrefix, KernelRoute> routes() {
        return Map.copyOf(installed);
    }

    /** Closes the table; the routes stay (graceful restart): {@link #removeAll} first to take them away. */
    @Override
    public void close() {
        fib.close();
    }
}
