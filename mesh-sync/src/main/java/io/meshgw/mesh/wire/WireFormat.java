package io.meshgw.mesh.wire;

import java.util.Set;

/**
 * Constants of the mesh-sync record format, version 1. This is a stable interface between
 * gateways of different releases; mesh-sync/DESIGN.md describes it byte by byte. Never change
 * the meaning of a byte of an existing version: add a version instead.
 */
public final class WireFormat {

    /** The version this build writes. */
    public static final int VERSION = 1;

    /** The versions this build reads; a record of any other version is rejected and counted. */
    public static final Set<Integer> READABLE = Set.of(1);

    /** Header: format version, 1 byte. */
    public static final String H_VERSION = "meshgw.v";
    /** Header: source cluster id, 2 bytes big-endian, 1..4095. */
    public static final String H_CLUSTER = "meshgw.cluster";
    /** Header: publisher epoch, 8 bytes big-endian, >= 1. */
    public static final String H_EPOCH = "meshgw.epoch";
    /** Header: sequence number within the epoch, 8 bytes big-endian, >= 1. */
    public static final String H_SEQ = "meshgw.seq";

    // Value kinds, the second byte of a value.
    static final int KIND_SERVICE = 1;
    static final int KIND_SLICE = 2;
    static final int KIND_GATEWAY = 3;
    // 4 was SharedLegacyService, which nothing published; a reader rejects it as an unknown kind.
    static final int KIND_HEARTBEAT = 5;
    static final int KIND_SYNCED = 6;

    static final int FAMILY_V4 = 4;
    static final int FAMILY_V6 = 6;
    static final int PROTO_TCP = 1;
    static final int PROTO_UDP = 2;
    static final int COND_READY = 1;
    static final int COND_SERVING = 2;
    static final int COND_TERMINATING = 4;

    /** Bound on a whole value, far above any legal one, so a hostile length cannot cost memory. */
    public static final int MAX_VALUE_BYTES = 1 << 20;

    private WireFormat() {}

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_SERVICE -> "ServiceExport";
            case KIND_SLICE -> "EndpointSlice";
            case KIND_GATEWAY -> "GatewayAddress";
            case KIND_HEARTBEAT -> "Heartbeat";
            case KIND_SYNCED -> "SyncedMarker";
            default -> "kind " + kind;
        };
    }
}
