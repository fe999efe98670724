package io.meshgw.mesh.wire;

import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.LegacyVip;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Values to bytes and back, format version 1 (layout in mesh-sync/DESIGN.md). Every value starts
 * with {@code version:u8 kind:u8 cluster:u16}; the owning cluster travels in every value so a
 * value copied into another cluster's topic is caught. Encoding is deterministic (labels sorted),
 * so equal values are equal bytes.
 */
public final class ValueCodec {

    private ValueCodec() {}

    /** Encodes {@code value} as owned by {@code cluster}. */
    public static byte[] encode(int cluster, StateValue value) {
        WireOutput out = new WireOutput();
        out.u8(WireFormat.VERSION);
        switch (value) {
            case ServiceExport s -> {
                header(out, WireFormat.KIND_SERVICE, cluster);
                out.string(s.namespace());
                out.string(s.name());
                ports(out, s.ports());
                out.u8(s.identityLabels().size());
                new TreeMap<>(s.identityLabels()).forEach((k, v) -> {
                    out.string(k);
                    out.string(v);
                });
                out.flag(s.legacyVip().isPresent());
                s.legacyVip().ifPresent(vip -> {
                    out.address(vip.address());
                    out.u16(vip.port());
                });
                out.i64(s.exportedAt().toEpochMilli());
            }
            case EndpointSlice e -> {
                if (e.owningCluster() != cluster) {
                    throw new IllegalArgumentException("slice " + e.key().format() + " is owned by cluster "
                            + e.owningCluster() + "; cluster " + cluster + " cannot publish it");
                }
                header(out, WireFormat.KIND_SLICE, cluster);
                out.string(e.namespace());
                out.string(e.service());
                out.string(e.slice());
                ports(out, e.ports());
                out.u16(e.endpoints().size());
                for (Endpoint ep : e.endpoints()) {
                    endpoint(out, ep);
                }
            }
            case GatewayAddress g -> {
                header(out, WireFormat.KIND_GATEWAY, cluster);
                out.string(g.node());
                out.u8(g.addresses().size());
                g.addresses().forEach(out::address);
            }
            case Heartbeat h -> {
                header(out, WireFormat.KIND_HEARTBEAT, cluster);
                out.i64(h.at().toEpochMilli());
                out.string(h.clusterName());
            }
            case SyncedMarker m -> {
                header(out, WireFormat.KIND_SYNCED, cluster);
                out.i64(m.epoch());
                out.i64(m.lastSeq());
            }
        }
        return out.toByteArray();
    }

    private static void header(WireOutput out, int kind, int cluster) {
        out.u8(kind);
        out.u16(cluster);
    }

    private static void ports(WireOutput out, List<ServicePort> ports) {
        out.u8(ports.size());
        for (ServicePort p : ports) {
            out.string(p.name());
            out.u16(p.port());
            out.u8(
                    switch (p.protocol()) {
                        case TCP -> WireFormat.PROTO_TCP;
                        case UDP -> WireFormat.PROTO_UDP;
                        // Format version 1 has no code for it; the planner never exports an SCTP port.
                        case SCTP ->
                            throw new IllegalArgumentException("port " + p + ": format version " + WireFormat.VERSION
                                    + " carries TCP and UDP ports only");
                    });
        }
    }

    private static void endpoint(WireOutput out, Endpoint ep) {
        out.u8(ep.addresses().size());
        ep.addresses().forEach(out::address);
        out.u8((ep.ready() ? WireFormat.COND_READY : 0)
                | (ep.serving() ? WireFormat.COND_SERVING : 0)
                | (ep.terminating() ? WireFormat.COND_TERMINATING : 0));
        out.string(ep.zone().orElse(""));
        out.string(ep.node().orElse(""));
    }

    /**
     * Decodes untrusted bytes. Never throws: truncation, trailing bytes, unknown kinds or versions,
     * bad UTF-8 and values the model rejects all come back as {@link Decoded.Failed} with the
     * reason.
     */
    public static Decoded<WireValue> decode(byte[] bytes) {
        if (bytes == null) {
            return new Decoded.Failed<>("value is missing (a tombstone has no value to decode)");
        }
        if (bytes.length > WireFormat.MAX_VALUE_BYTES) {
            return new Decoded.Failed<>("value is " + bytes.length + " bytes; at most " + WireFormat.MAX_VALUE_BYTES);
        }
        WireInput in = new WireInput(bytes);
        int kind = -1;
        try {
            int version = in.u8("version");
            if (!WireFormat.READABLE.contains(version)) {
                return new Decoded.Failed<>(
                        "value format version " + version + " is not one this build reads " + WireFormat.READABLE);
            }
            kind = in.u8("kind");
            int cluster = in.u16("cluster");
            StateValue value = switch (kind) {
                case WireFormat.KIND_SERVICE -> service(in);
                case WireFormat.KIND_SLICE -> slice(in, cluster);
                case WireFormat.KIND_GATEWAY -> gateway(in);
                case WireFormat.KIND_HEARTBEAT ->
                    new Heartbeat(Instant.ofEpochMilli(in.i64("timestamp")), in.string("cluster name"));
                case WireFormat.KIND_SYNCED -> new SyncedMarker(in.i64("epoch"), in.i64("last seq"));
                default -> throw new MalformedValue("unknown value kind " + kind + " at byte 1");
            };
            if (in.remaining() != 0) {
                return new Decoded.Failed<>(WireFormat.kindName(kind) + " ends at byte " + in.position() + " but the"
                        + " value has " + in.remaining() + " trailing byte(s)");
            }
            return new Decoded.Ok<>(new WireValue(version, cluster, value));
        } catch (MalformedValue e) {
            return new Decoded.Failed<>(prefix(kind) + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Decoded.Failed<>("invalid " + WireFormat.kindName(kind) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // A decoder bug must still not take the reader down; the reason names it.
            return new Decoded.Failed<>(prefix(kind) + "undecodable at byte " + in.position() + ": " + e);
        }
    }

    private static String prefix(int kind) {
        return kind < 0 ? "" : WireFormat.kindName(kind) + ": ";
    }

    private static ServiceExport service(WireInput in) {
        String ns = in.string("namespace");
        String name = in.string("name");
        List<ServicePort> ports = ports(in);
        int labelCount = in.u8("label count");
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelCount; i++) {
            String k = in.string("label key");
            if (labels.put(k, in.string("label value")) != null) {
                throw new MalformedValue("label key '" + k + "' appears twice");
            }
        }
        Optional<LegacyVip> vip = Optional.empty();
        if (in.flag("legacy VIP flag")) {
            InetAddress a = in.address("legacy VIP");
            vip = Optional.of(new LegacyVip(a, in.u16("legacy VIP port")));
        }
        java.time.Instant exportedAt = java.time.Instant.ofEpochMilli(in.i64("exported at"));
        return new ServiceExport(ns, name, ports, labels, vip, exportedAt);
    }

    private static EndpointSlice slice(WireInput in, int cluster) {
        String ns = in.string("namespace");
        String service = in.string("service");
        String slice = in.string("slice");
        List<ServicePort> ports = ports(in);
        int n = in.count(in.u16("endpoint count"), 1000, "endpoint count");
        Endpoint[] endpoints = new Endpoint[n];
        for (int i = 0; i < n; i++) {
            endpoints[i] = endpoint(in);
        }
        return new EndpointSlice(ns, service, slice, cluster, ports, List.of(endpoints));
    }

    /**
     * One endpoint, with as few objects as the model allows: an endpoint has one address in practice, and its zone
     * and node repeat across the slice, so each distinct text is one object per value (WireInput#optionalString).
     */
    private static Endpoint endpoint(WireInput in) {
        int n = in.count(in.u8("address count"), 100, "endpoint address count");
        List<InetAddress> addresses;
        if (n == 1) {
            addresses = List.of(in.address("endpoint address"));
        } else {
            InetAddress[] read = new InetAddress[n];
            for (int i = 0; i < n; i++) {
                read[i] = in.address("endpoint address");
            }
            addresses = n == 0 ? List.of() : List.of(read);
        }
        int at = in.position();
        int cond = in.u8("conditions");
        if ((cond & ~7) != 0) {
            throw new MalformedValue("conditions at byte " + at + " has unknown bits " + Integer.toBinaryString(cond));
        }
        Optional<String> zone = in.optionalString("zone");
        Optional<String> node = in.optionalString("node");
        return new Endpoint(
                addresses,
                (cond & WireFormat.COND_READY) != 0,
                (cond & WireFormat.COND_SERVING) != 0,
                (cond & WireFormat.COND_TERMINATING) != 0,
                zone,
                node);
    }

    private static GatewayAddress gateway(WireInput in) {
        String node = in.string("node");
        int n = in.count(in.u8("address count"), 16, "gateway address count");
        List<InetAddress> addresses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            addresses.add(in.address("gateway address"));
        }
        return new GatewayAddress(node, addresses);
    }

    private static List<ServicePort> ports(WireInput in) {
        int n = in.count(in.u8("port count"), 100, "port count");
        List<ServicePort> ports = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.string("port name");
            int number = in.u16("port number");
            int at = in.position();
            Protocol protocol = switch (in.u8("protocol")) {
                case WireFormat.PROTO_TCP -> Protocol.TCP;
                case WireFormat.PROTO_UDP -> Protocol.UDP;
                default -> throw new MalformedValue("protocol at byte " + at + " is neither 1 (TCP) nor 2 (UDP)");
            };
            ports.add(new ServicePort(name, protocol, number));
        }
        return ports;
    }
}
