package io.meshgw.bpf.datapath;

import io.meshgw.types.Ipv6Address;
import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;

/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016): a lookup table of {@link #SIZE} entries in which every
 * backend holds {@code SIZE / n} entries, rounded either way, and from which adding or removing one backend moves
 * few of the entries the others hold.
 *
 * <p>A backend's place in the table depends only on its address and port, hashed with fixed seeds, and backends are
 * taken in the order given, which callers keep sorted by address and port. So every gateway that serves the same
 * backends builds the same table, whatever ids it gave them: a flow the routers move to another gateway, with no
 * conntrack entry there, is translated to the backend it already had.
 */
final class Maglev {

    /** The table size; {@code MAGLEV_SIZE} in {@code mgw_maps.h}. A prime, so every skip visits every entry. */
    static final int SIZE = 1021;

    private static final long OFFSET_SEED = 0x6d67772d6f666673L;
    private static final long SKIP_SEED = 0x6d67772d736b6970L;

    private Maglev() {}

    /** The index into {@code backends} of each table entry. {@code backends} must not be empty. */
    static int[] table(List<Backend> backends) {
        int n = backends.size();
        if (n == 0) {
            throw new IllegalArgumentException("a Maglev table needs at least one backend");
        }
        long[] offset = new long[n];
        long[] skip = new long[n];
        for (int i = 0; i < n; i++) {
            Backend b = backends.get(i);
            long key = key(b);
            offset[i] = Long.remainderUnsigned(mix(key ^ OFFSET_SEED), SIZE);
            skip[i] = Long.remainderUnsigned(mix(key ^ SKIP_SEED), SIZE - 1) + 1;
        }
        int[] entry = new int[SIZE];
        Arrays.fill(entry, -1);
        long[] next = new long[n];
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                // Backend i's preference list is offset, offset + skip, ... modulo SIZE; it takes its first free entry.
                int c = (int) ((offset[i] + next[i] * skip[i]) % SIZE);
                while (entry[c] >= 0) {
                    next[i]++;
                    c = (int) ((offset[i] + next[i] * skip[i]) % SIZE);
                }
                entry[c] = i;
                next[i]++;
                if (++filled == SIZE) {
                    return entry;
                }
            }
        }
    }

    /** What places a backend: its address and port (IPv6: the high half mixed in first, so IPv4 keys keep theirs). */
    private static long key(Backend b) {
        if (b.address() instanceof Inet4Address a) {
            return (Integer.toUnsignedLong(Ipv4.toInt(a)) << 16) | b.port();
        }
        Ipv6Address a = ServicePiece.ipv6(b.address());
        return mix(a.high()) ^ (a.low() << 16 | b.port());
    }

    /** A 64-bit finaliser (MurmurHash3's fmix64): every input bit reaches every output bit. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
