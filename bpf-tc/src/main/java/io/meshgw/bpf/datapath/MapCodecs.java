package io.meshgw.bpf.datapath;

import io.meshgw.bpf.Codec;
import io.meshgw.bpf.datapath.MapRecords.Backend6Value;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.ConfigValue;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.MapRecords.Ct6Key;
import io.meshgw.bpf.datapath.MapRecords.Ct6Value;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.FlowCacheSlot;
import io.meshgw.bpf.datapath.MapRecords.FlowCacheSlot6;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import io.meshgw.bpf.datapath.MapRecords.L3Entry;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.Rev6Key;
import io.meshgw.bpf.datapath.MapRecords.Rev6Value;
import io.meshgw.bpf.datapath.MapRecords.RevKey;
import io.meshgw.bpf.datapath.MapRecords.RevValue;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SnatValue;
import io.meshgw.bpf.datapath.MapRecords.Svc6Key;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import io.meshgw.types.Ipv6Address;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Byte-exact codecs for the v1 map layouts; sizes are the C {@code sizeof}s. */
public final class MapCodecs {

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;

    private MapCodecs() {}

    private interface Writer<T> {
        void write(T value, MemorySegment s, long o);
    }

    private interface Reader<T> {
        T read(MemorySegment s, long o);
    }

    private static <T> Codec<T> codec(int size, Writer<T> writer, Reader<T> reader) {
        return new Codec<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void write(T value, MemorySegment segment, long offset) {
                segment.asSlice(offset, size).fill((byte) 0); // padding is part of hash keys
                writer.write(value, segment, offset);
            }

            @Override
            public T read(MemorySegment segment, long offset) {
                return reader.read(segment, offset);
            }
        };
    }

    private static int u16(MemorySegment s, ValueLayout.OfShort l, long o) {
        return Short.toUnsignedInt(s.get(l, o));
    }

    private static int u8(MemorySegment s, long o) {
        return Byte.toUnsignedInt(s.get(U8, o));
    }

    public static final Codec<Long> U64_VALUE = codec(8, (v, s, o) -> s.set(U64, o, v), (s, o) -> s.get(U64, o));

    public static final Codec<Integer> U32_VALUE = codec(4, (v, s, o) -> s.set(U32, o, v), (s, o) -> s.get(U32, o));

    /** An IPv4 address held as an int ({@link Ipv4#toInt}), in network byte order in the map: struct tunnel, __be32. */
    public static final Codec<Integer> ADDRESS = codec(4, (v, s, o) -> s.set(BE32, o, v), (s, o) -> s.get(BE32, o));

    /** struct l3_entry (12 B): ifindex, MAC address, padding. */
    public static final Codec<L3Entry> L3_ENTRY = codec(
            12,
            (v, s, o) -> {
                s.set(U32, o, v.ifindex());
                MemorySegment.copy(v.mac(), 0, s, U8, o + 4, 6);
            },
            (s, o) -> {
                byte[] mac = new byte[6];
                MemorySegment.copy(s, U8, o + 4, mac, 0, 6);
                return new L3Entry(s.get(U32, o), mac);
            });

    public static final Codec<SvcKey> SVC_KEY = codec(
            8,
            (v, s, o) -> {
                s.set(BE32, o, v.vip());
                s.set(BE16, o + 4, (short) v.port());
                s.set(U8, o + 6, (byte) v.proto());
            },
            (s, o) -> new SvcKey(s.get(BE32, o), u16(s, BE16, o + 4), u8(s, o + 6)));

    public static final Codec<SvcValue> SVC_VALUE = codec(
            16,
            (v, s, o) -> {
                s.set(U32, o, v.svcId());
                s.set(U16, o + 4, (short) v.count());
                s.set(U16, o + 6, (short) v.localCount());
                s.set(U32, o + 8, v.identity());
                s.set(U32, o + 12, v.flags());
            },
            (s, o) -> new SvcValue(
                    s.get(U32, o), u16(s, U16, o + 4), u16(s, U16, o + 6), s.get(U32, o + 8), s.get(U32, o + 12)));

    public static final Codec<SlotKey> SLOT_KEY = codec(
            8,
            (v, s, o) -> {
                s.set(U32, o, v.svcId());
                s.set(U32, o + 4, v.slot());
            },
            (s, o) -> new SlotKey(s.get(U32, o), s.get(U32, o + 4)));

    public static final Codec<BackendValue> BACKEND = codec(
            8,
            (v, s, o) -> {
                s.set(BE32, o, v.addr());
                s.set(BE16, o + 4, (short) v.port());
                s.set(U16, o + 6, (short) v.cluster());
            },
            (s, o) -> new BackendValue(s.get(BE32, o), u16(s, BE16, o + 4), u16(s, U16, o + 6)));

    public static final Codec<MaglevValue> MAGLEV = codec(
            4 * Maglev.SIZE,
            (v, s, o) -> {
                for (int i = 0; i < Maglev.SIZE; i++) {
                    s.set(U32, o + 4L * i, v.backendId(i));
                }
            },
            (s, o) -> {
                int[] ids = new int[Maglev.SIZE];
                for (int i = 0; i < Maglev.SIZE; i++) {
                    ids[i] = s.get(U32, o + 4L * i);
                }
                return new MaglevValue(ids);
            });

    public static final Codec<CtKey> CT_KEY = codec(
            16,
            (v, s, o) -> {
                s.set(BE32, o, v.saddr());
                s.set(BE32, o + 4, v.daddr());
                s.set(BE16, o + 8, (short) v.sport());
                s.set(BE16, o + 10, (short) v.dport());
                s.set(U8, o + 12, (byte) v.proto());
                s.set(U8, o + 13, (byte) v.side());
            },
            (s, o) -> new CtKey(
                    s.get(BE32, o),
                    s.get(BE32, o + 4),
                    u16(s, BE16, o + 8),
                    u16(s, BE16, o + 10),
                    u8(s, o + 12),
                    u8(s, o + 13)));

    public static final Codec<CtValue> CT_VALUE = codec(
            56,
            (v, s, o) -> {
                s.set(BE32, o, v.natAddr());
                s.set(BE16, o + 4, (short) v.natPort());
                s.set(U8, o + 6, (byte) v.dir());
                s.set(U8, o + 7, (byte) v.flags());
                s.set(U32, o + 8, v.backendId());
                s.set(U32, o + 12, v.svcId());
                s.set(U32, o + 16, v.identity());
                s.set(U32, o + 20, v.seqNext());
                s.set(U64, o + 24, v.createdNs());
                s.set(U64, o + 32, v.lastSeenNs());
                s.set(U64, o + 40, v.packets());
                s.set(U64, o + 48, v.bytes());
            },
            (s, o) -> new CtValue(
                    s.get(BE32, o),
                    u16(s, BE16, o + 4),
                    u8(s, o + 6),
                    s.get(U32, o + 8),
                    s.get(U32, o + 12),
                    s.get(U32, o + 16),
                    s.get(U64, o + 24),
                    s.get(U64, o + 32),
                    s.get(U64, o + 40),
                    s.get(U64, o + 48),
                    u8(s, o + 7),
                    s.get(U32, o + 20)));

    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static void putIpv6(MemorySegment s, long o, Ipv6Address a) {
        s.set(BE64, o, a.high());
        s.set(BE64, o + 8, a.low());
    }

    private static Ipv6Address ipv6(MemorySegment s, long o) {
        return new Ipv6Address(s.get(BE64, o), s.get(BE64, o + 8));
    }

    /** struct svc6_key (mgw_v6.h). */
    public static final Codec<Svc6Key> SVC6_KEY = codec(
            20,
            (v, s, o) -> {
                putIpv6(s, o, v.vip());
                s.set(BE16, o + 16, (short) v.port());
                s.set(U8, o + 18, (byte) v.proto());
            },
            (s, o) -> new Svc6Key(ipv6(s, o), u16(s, BE16, o + 16), u8(s, o + 18)));

    /** struct backend6 (mgw_v6.h). */
    public static final Codec<Backend6Value> BACKEND6 = codec(
            20,
            (v, s, o) -> {
                putIpv6(s, o, v.addr());
                s.set(BE16, o + 16, (short) v.port());
                s.set(U16, o + 18, (short) v.cluster());
            },
            (s, o) -> new Backend6Value(ipv6(s, o), u16(s, BE16, o + 16), u16(s, U16, o + 18)));

    /** struct ct6_key (mgw_v6.h). */
    public static final Codec<Ct6Key> CT6_KEY = codec(
            40,
            (v, s, o) -> {
                putIpv6(s, o, v.saddr());
                putIpv6(s, o + 16, v.daddr());
                s.set(BE16, o + 32, (short) v.sport());
                s.set(BE16, o + 34, (short) v.dport());
                s.set(U8, o + 36, (byte) v.proto());
                s.set(U8, o + 37, (byte) v.side());
            },
            (s, o) -> new Ct6Key(
                    ipv6(s, o),
                    ipv6(s, o + 16),
                    u16(s, BE16, o + 32),
                    u16(s, BE16, o + 34),
                    u8(s, o + 36),
                    u8(s, o + 37)));

    /** struct ct6_val (mgw_v6.h): struct ct_val, then the IPv6 address. */
    public static final Codec<Ct6Value> CT6_VALUE = codec(
            72,
            (v, s, o) -> {
                CT_VALUE.write(v.ct(), s, o);
                putIpv6(s, o + 56, v.natAddr());
            },
            (s, o) -> new Ct6Value(CT_VALUE.read(s, o), ipv6(s, o + 56)));

    /** struct ct_cache_slot: the key, then nat addr/port, dir at 22, counts at 40 and 48. */
    public static final Codec<FlowCacheSlot> FLOW_CACHE_SLOT = codec(
            64,
            (v, s, o) -> {
                CT_KEY.write(v.key(), s, o);
                s.set(U8, o + 22, (byte) v.dir());
                s.set(U64, o + 40, v.packets());
                s.set(U64, o + 48, v.bytes());
            },
            (s, o) -> new FlowCacheSlot(CT_KEY.read(s, o), u8(s, o + 22), s.get(U64, o + 40), s.get(U64, o + 48)));

    /** struct ct6_cache_slot (mgw_v6.h): the key at 0, dir at 58, the pending counts at 80 and 88. */
    public static final Codec<FlowCacheSlot6> FLOW_CACHE_SLOT6 = codec(
            96,
            (v, s, o) -> {
                CT6_KEY.write(v.key(), s, o);
                s.set(U8, o + 58, (byte) v.dir());
                s.set(U64, o + 80, v.packets());
                s.set(U64, o + 88, v.bytes());
            },
            (s, o) -> new FlowCacheSlot6(CT6_KEY.read(s, o), u8(s, o + 58), s.get(U64, o + 80), s.get(U64, o + 88)));

    public static final Codec<IdentKey> IDENT_KEY = codec(
            8,
            (v, s, o) -> {
                s.set(U32, o, v.prefixLen());
                s.set(BE32, o + 4, v.addr());
            },
            (s, o) -> new IdentKey(s.get(U32, o), s.get(BE32, o + 4)));

    public static final Codec<SnatValue> SNAT_VALUE = codec(
            8,
            (v, s, o) -> {
                s.set(BE32, o, v.addr());
                s.set(U16, o + 4, (short) v.portMin());
                s.set(U16, o + 6, (short) v.portMax());
            },
            (s, o) -> new SnatValue(s.get(BE32, o), u16(s, U16, o + 4), u16(s, U16, o + 6)));

    /** The C prefixlen counts the 32 identity bits too. */
    public static final Codec<EgressDstKey> EGRESS_DST_KEY = codec(
            12,
            (v, s, o) -> {
                s.set(U32, o, 32 + v.prefixLen());
                s.set(BE32, o + 4, v.identity());
                s.set(BE32, o + 8, v.addr());
            },
            (s, o) -> new EgressDstKey(s.get(U32, o) - 32, s.get(BE32, o + 4), s.get(BE32, o + 8)));

    public static final Codec<PolicyKey> POLICY_KEY = codec(
            8,
            (v, s, o) -> {
                s.set(U32, o, v.identity());
                s.set(U8, o + 4, (byte) v.proto());
                s.set(U8, o + 5, (byte) v.dir());
                s.set(BE16, o + 6, (short) v.port());
            },
            (s, o) -> new PolicyKey(s.get(U32, o), u8(s, o + 4), u8(s, o + 5), u16(s, BE16, o + 6)));

    /** struct rev_key: the layout of struct svc_key. */
    public static final Codec<RevKey> REV_KEY = codec(
            8,
            (v, s, o) -> {
                s.set(BE32, o, v.addr());
                s.set(BE16, o + 4, (short) v.port());
                s.set(U8, o + 6, (byte) v.proto());
            },
            (s, o) -> new RevKey(s.get(BE32, o), u16(s, BE16, o + 4), u8(s, o + 6)));

    public static final Codec<RevValue> REV_VALUE = codec(
            8,
            (v, s, o) -> {
                s.set(BE32, o, v.vip());
                s.set(BE16, o + 4, (short) v.vport());
            },
            (s, o) -> new RevValue(s.get(BE32, o), u16(s, BE16, o + 4)));

    /** struct svc6_key as mgw_rev6_v1's key. */
    public static final Codec<Rev6Key> REV6_KEY = codec(
            20,
            (v, s, o) -> {
                putIpv6(s, o, v.addr());
                s.set(BE16, o + 16, (short) v.port());
                s.set(U8, o + 18, (byte) v.proto());
            },
            (s, o) -> new Rev6Key(ipv6(s, o), u16(s, BE16, o + 16), u8(s, o + 18)));

    /** struct rev6_val (mgw_v6.h). */
    public static final Codec<Rev6Value> REV6_VALUE = codec(
            20,
            (v, s, o) -> {
                putIpv6(s, o, v.vip());
                s.set(BE16, o + 16, (short) v.vport());
            },
            (s, o) -> new Rev6Value(ipv6(s, o), u16(s, BE16, o + 16)));

    public static final Codec<ConfigValue> CONFIG = codec(
            16,
            (v, s, o) -> {
                s.set(U32, o, v.defaultIngress());
                s.set(U32, o + 4, v.defaultEgress());
                s.set(U32, o + 8, v.flags());
            },
            (s, o) -> new ConfigValue(s.get(U32, o), s.get(U32, o + 4), s.get(U32, o + 8)));

    public static final Codec<CounterValue> COUNTER = codec(
            16,
            (v, s, o) -> {
                s.set(U64, o, v.packets());
                s.set(U64, o + 8, v.bytes());
            },
            (s, o) -> new CounterValue(s.get(U64, o), s.get(U64, o + 8)));
}
