package io.meshgw.bench;

import io.meshgw.bgp.wire.CollidingPrefixes;
import io.meshgw.bgp.wire.Prefix;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A neighbor announcing IPv6 /128s chosen to share one hash code, inserted into and looked up in a {@code HashMap} the
 * way the Loc-RIB keys its table: with {@link Prefix} (Comparable, so a crowded bucket becomes a tree), beside the same
 * prefixes wrapped in a key that is not Comparable (a crowded bucket stays a list: what a RIB keyed on it would pay),
 * beside ordinary prefixes. Usage: {@code PrefixCollisionBench [n=20000]}.
 */
public final class PrefixCollisionBench {

    /** The same hash and equality as {@link Prefix}, without an order. */
    private record Unordered(Prefix prefix) {}

    private PrefixCollisionBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<Prefix> colliding = CollidingPrefixes.of(n);
        List<Prefix> ordinary = IntStream.range(0, n)
                .mapToObj(i -> Prefix.parse(String.format(Locale.ROOT, "2001:db8::%x:%x/128", i >>> 16, i & 0xFFFF)))
                .toList();
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            boolean print = round == 1;
            report(print, "ordinary /128s, Prefix keys", n, time(ordinary, p -> p));
            report(print, "colliding /128s, Prefix keys (tree bins)", n, time(colliding, p -> p));
            report(print, "colliding /128s, unordered keys (list bins)", n, time(colliding, Unordered::new));
        }
    }

    private static <K> long time(List<Prefix> prefixes, java.util.function.Function<Prefix, K> key) {
        long start = System.nanoTime();
        Map<K, Integer> map = new HashMap<>();
        for (int i = 0; i < prefixes.size(); i++) {
            map.put(key.apply(prefixes.get(i)), i);
        }
        long found = 0;
        for (Prefix p : prefixes) {
            found += map.get(key.apply(p));
        }
        if (found < 0) {
            throw new AssertionError();
        }
        return System.nanoTime() - start;
    }

    private static void report(boolean print, String what, int n, long nanos) {
        if (print) {
            System.out.printf(
                    Locale.ROOT,
                    "%-48s %,8d prefixes: insert+lookup %,10.1f ms (%,.0f ns per prefix)%n",
                    what,
                    n,
                    nanos / 1e6,
                    (double) nanos / n);
        }
    }
}
