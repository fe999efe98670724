package io.meshgw.mesh.wire;

import io.meshgw.types.ClusterId;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What every record carries in its Kafka headers, so that tombstones (which have no value) are
 * attributable and ordered too.
 *
 * @param version the record format version
 * @param cluster the source cluster id
 * @param epoch the publisher instance, increasing with every publisher start
 * @param seq the record's position within the epoch, increasing
 */
public record RecordHeaders(int version, int cluster, long epoch, long seq) {

    public RecordHeaders {
        if (version < 0 || version > 255) {
            throw new IllegalArgumentException("version " + version + " does not fit a byte");
        }
        if (!ClusterId.valid(cluster)) {
            throw new IllegalArgumentException("cluster " + cluster + " is outside 1..4095");
        }
        if (epoch < 1 || seq < 1) {
            throw new IllegalArgumentException("epoch and seq start at 1, not " + epoch + "/" + seq);
        }
    }

    public static RecordHeaders v1(int cluster, long epoch, long seq) {
        return new RecordHeaders(WireFormat.VERSION, cluster, epoch, seq);
    }

    /**
     * Whether a record at {@code offset} can carry this epoch. A publisher's epoch is one more than the highest epoch
     * its topic held when it started, and each start writes at least one record; so by induction a record at offset
     * {@code o} has an epoch of at most {@code o + 1}. Offsets are the broker's, not the writer's: a record claiming
     * more (say {@code Long.MAX_VALUE}) is forged or broken, and honouring it would leave no epoch for the real
     * publisher to fence it with.
     */
    public boolean epochPossibleAt(long offset) {
        return epoch <= offset + 1;
    }

    /** True when this record comes after {@code other} in (epoch, seq) order. */
    public boolean after(long otherEpoch, long otherSeq) {
        return epoch > otherEpoch || (epoch == otherEpoch && seq > otherSeq);
    }

    public Map<String, byte[]> toKafka() {
        return Map.of(
                WireFormat.H_VERSION, new byte[] {(byte) version},
                WireFormat.H_CLUSTER,
                        ByteBuffer.allocate(2).putShort((short) cluster).array(),
                WireFormat.H_EPOCH, ByteBuffer.allocate(8).putLong(epoch).array(),
                WireFormat.H_SEQ, ByteBuffer.allocate(8).putLong(seq).array());
    }

    /** Reads the headers of a record; any missing, short or out-of-range header is the reason. */
    public static Decoded<RecordHeaders> parse(Map<String, byte[]> headers) {
        byte[] v = headers.get(WireFormat.H_VERSION);
        byte[] c = headers.get(WireFormat.H_CLUSTER);
        byte[] e = headers.get(WireFormat.H_EPOCH);
        byte[] s = headers.get(WireFormat.H_SEQ);
        String problem = size(WireFormat.H_VERSION, v, 1);
        problem = problem != null ? problem : size(WireFormat.H_CLUSTER, c, 2);
        problem = problem != null ? problem : size(WireFormat.H_EPOCH, e, 8);
        problem = problem != null ? problem : size(WireFormat.H_SEQ, s, 8);
        if (problem != null) {
            return new Decoded.Failed<>(problem);
        }
        int version = v[0] & 0xff;
        if (!WireFormat.READABLE.contains(version)) {
            return new Decoded.Failed<>("format version " + version + " is not one this build reads "
                    + WireFormat.READABLE + "; upgrade this reader before its publishers");
        }
        int cluster = ByteBuffer.wrap(c).getShort() & 0xffff;
        long epoch = ByteBuffer.wrap(e).getLong();
        long seq = ByteBuffer.wrap(s).getLong();
        if (!ClusterId.valid(cluster)) {
            return new Decoded.Failed<>("header " + WireFormat.H_CLUSTER + " is " + cluster + ", outside 1..4095");
        }
        if (epoch < 1 || seq < 1) {
            return new Decoded.Failed<>("headers " + WireFormat.H_EPOCH + "/" + WireFormat.H_SEQ + " are " + epoch + "/"
                    + seq + "; both start at 1");
        }
        return new Decoded.Ok<>(new RecordHeaders(version, cluster, epoch, seq));
    }

    private static String size(String name, byte[] value, int expected) {
        if (value == null) {
            return "header " + name + " is missing";
        }
        if (value.length != expected) {
            return "header " + name + " has " + value.length + " bytes; expected " + expected;
        }
        return null;
    }
}
