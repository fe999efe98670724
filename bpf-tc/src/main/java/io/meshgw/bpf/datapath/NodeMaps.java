package io.meshgw.bpf.datapath;

import io.meshgw.bpf.BpfMap;
import io.meshgw.bpf.Codec;
import io.meshgw.bpf.LoadedObject;
import io.meshgw.bpf.PerCpuArray;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The node role's maps (mgw_node.c), layout v1: a stable interface, byte for byte the C structs. Addresses are
 * network byte order in the maps and held as ints ({@link Ipv4#toInt}).
 */
record NodeMaps(
        BpfMap<Integer, PodValue> pods,
        BpfMap<IdentKey, Integer> destinations,
        BpfMap<Integer, Integer> gateways,
        BpfMap<Integer, Integer> local,
        BpfMap<Integer, Integer> config,
        PerCpuArray<CounterValue> counters) {

    static final String PODS = "mgw_node_pod_" + Datapath.LAYOUT;
    static final String DESTINATIONS = "mgw_node_dst_" + Datapath.LAYOUT;
    static final String GATEWAYS = "mgw_node_gw_" + Datapath.LAYOUT;
    static final String LOCAL = "mgw_node_local_" + Datapath.LAYOUT;
    static final String CONFIG = "mgw_node_cfg_" + Datapath.LAYOUT;
    static final String COUNTERS = "mgw_node_cnt_" + Datapath.LAYOUT;

    /** struct node_pod: the owner's tunnel endpoint (0 = none) and the identity. */
    record PodValue(int owner, int identity) {}

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static final Codec<PodValue> POD = new Codec<>() {
        @Override
        public int size() {
            return 8;
        }

        @Override
        public void write(PodValue v, MemorySegment s, long o) {
            s.set(BE32, o, v.owner());
            s.set(U32, o + 4, v.identity());
        }

        @Override
        public PodValue read(MemorySegment s, long o) {
            return new PodValue(s.get(BE32, o), s.get(U32, o + 4));
        }
    };

    static NodeMaps of(LoadedObject o) {
        return new NodeMaps(
                o.map(PODS, MapCodecs.ADDRESS, POD),
                o.map(DESTINATIONS, MapCodecs.IDENT_KEY, MapCodecs.U32_VALUE),
                o.map(GATEWAYS, MapCodecs.ADDRESS, MapCodecs.U32_VALUE),
                o.map(LOCAL, MapCodecs.ADDRESS, MapCodecs.U32_VALUE),
                o.map(CONFIG, MapCodecs.U32_VALUE, MapCodecs.ADDRESS),
                o.perCpuArray(COUNTERS, MapCodecs.COUNTER));
    }
}
