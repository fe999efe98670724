package io.meshgw.bench;

import io.meshgw.bpf.BpfMap;
import io.meshgw.bpf.datapath.Datapath;
import io.meshgw.bpf.datapath.DatapathOptions;
import io.meshgw.bpf.datapath.MapCodecs;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Java heap a conntrack expiry sweep takes on a full table: {@code Datapath.expireConntrack()} (a batch of 4,096
 * entries at a time) beside the baseline of reading both conntrack tables whole into the heap first, as the sweep did
 * before, in the same run. Every entry is live (open TCP, seen just now), so both read everything and delete nothing.
 * Figures: bytes the sweeping thread allocated, and the heap's peak use above what it held before (after a GC; garbage
 * included, so it depends on when the collector ran). Run with a small {@code -Xmx} too: the baseline must hold both
 * tables at once, the sweep one batch.
 *
 * <p>Usage: {@code ConntrackSweepBench [inbound-entries=524288] [egress-entries=262144] [rounds=5]}. Needs root.
 */
public final class ConntrackSweepBench {

    private ConntrackSweepBench() {}

    public static void main(String[] args) {
        int inbound = args.length > 0 ? Integer.parseInt(args[0]) : 524_288;
        int egress = args.length > 1 ? Integer.parseInt(args[1]) : 262_144;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (Datapath dp = Datapath.open(DatapathOptions.detached())) {
            BpfMap<CtKey, CtValue> in =
                    dp.object().map("mgw_ct_" + Datapath.LAYOUT, MapCodecs.CT_KEY, MapCodecs.CT_VALUE);
            BpfMap<CtKey, CtValue> out =
                    dp.object().map(Datapath.EGRESS_CONNTRACK_MAP, MapCodecs.CT_KEY, MapCodecs.CT_VALUE);
            fill(in, inbound, 1);
            fill(out, egress, 2);
            System.out.printf(
                    "conntrack: %,d inbound + %,d egress entries, all live; %d rounds%n", inbound, egress, rounds);
            System.out.printf("%-44s %18s %18s%n", "sweep", "allocated MiB", "peak heap +MiB");
            for (int r = 0; r < rounds; r++) {
                report(
                        "whole tables into the heap (baseline)",
                        () -> in.entries().size() + out.entries().size());
                report("Datapath.expireConntrack() (batches)", dp::expireConntrack);
            }
        }
    }

    /** Live entries: open TCP flows seen just now, so nothing expires. */
    static void fill(BpfMap<CtKey, CtValue> map, int n, int side) {
        long now = System.nanoTime();
        Map<CtKey, CtValue> batch = new HashMap<>();
        for (int i = 0; i < n; i++) {
            batch.put(
                    new CtKey(0x0a000000 + i, 0xc0000205, 1024 + i % 60_000, 443, 6, side),
                    new CtValue(0xcb007107, 40000 + i % 20_000, side == 1 ? 1 : 3, 0, 0, 7, now, now, 10, 600));
            if (batch.size() == 65_536) {
                map.putAll(batch);
                batch.clear();
            }
        }
        map.putAll(batch);
    }

    static void report(String what, Supplier<Object> sweep) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        System.gc();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        try {
            sweep.get();
        } catch (OutOfMemoryError e) {
            System.out.printf(
                    "%-44s %37s%n",
                    what, "OutOfMemoryError (-Xmx" + Runtime.getRuntime().maxMemory() / 1048576 + "m)");
            return;
        }
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%-44s %18.1f %18.1f%n", what, allocated / 1048576.0, Math.max(0, peak - before) / 1048576.0);
    }
}
