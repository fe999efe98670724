package io.meshgw.bpf.fib;

/**
 * Where and how meshgw's routes go in the kernel.
 *
 * @param table the routing table id, 1..2^32-1 except 255 (local) and 0; 254 is main
 * @param protocol rtm_protocol that marks meshgw's routes (1..255); every read, replace and removal is limited to it
 * @param metric the routes' metric (RTA_PRIORITY); a connected route (metric 0) stays preferred
 * @param batch changes per netlink datagram, each acknowledged before the next datagram is sent
 * @param maxChangesPerSecond at most this many changes a second (0: as fast as the kernel takes them)
 */
public record FibOptions(long table, int protocol, int metric, int batch, int maxChangesPerSecond) {

    /** meshgw's rtm_protocol: free in iproute2's rt_protos and beside FRR's 186..199, BIRD's 12 and zebra's 11. */
    public static final int MESHGW_PROTOCOL = 200;

    public static final long MAIN_TABLE = 254;

    public FibOptions {
        if (table <= 0 || table == 255 || table > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "routing table " + table + " is not one meshgw writes (1..4294967295, not 255 local)");
        }
        if (protocol < 1 || protocol > 255) {
            throw new IllegalArgumentException("route protocol " + protocol + " is not 1..255");
        }
        if (protocol <= 4) {
            throw new IllegalArgumentException("route protocol " + protocol
                    + " is the kernel's own (redirect, kernel, boot, static): choose another");
        }
        if (metric < 0) {
            throw new IllegalArgumentException("route metric " + metric + " is negative");
        }
        if (batch < 1 || batch > 1024) {
            throw new IllegalArgumentException("batch " + batch + " is not 1..1024");
        }
        if (maxChangesPerSecond < 0) {
            throw new IllegalArgumentException("maxChangesPerSecond " + maxChangesPerSecond + " is negative");
        }
    }

    /** The main table, meshgw's protocol, metric 20, 256 changes per datagram, no rate limit. */
    public static FibOptions defaults() {
        return new FibOptions(MAIN_TABLE, MESHGW_PROTOCOL, 20, 256, 0);
    }

    public FibOptions withTable(long t) {
        return new FibOptions(t, protocol, metric, batch, maxChangesPerSecond);
    }

    public FibOptions withMetric(int m) {
        return new FibOptions(table, protocol, m, batch, maxChangesPerSecond);
    }

    public FibOptions withBatch(int b) {
        return new FibOptions(table, protocol, metric, b, maxChangesPerSecond);
    }

    public FibOptions withMaxChangesPerSecond(int r) {
        return new FibOptions(table, protocol, metric, batch, r);
    }
}
