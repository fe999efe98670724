package io.meshgw.types;

/**
 * A member cluster of the mesh. The number is what travels (mesh-sync's record headers and topic names, the
 * datapath's backend entries) and must be unique in the mesh; the name is for people (logs, status, metrics).
 *
 * <p>The one range is {@value #MIN}..{@value #MAX}. Both formats that carry the number hold 16 bits, and 0 means "no
 * cluster" in the datapath's maps; 12 bits are wider than any mesh needs and keep the top 4 bits free for flags a
 * later map layout may want, without a format change. The CRD, the chart, the gateway's configuration, mesh-sync and
 * the datapath all take the range from here.
 *
 * @param id {@value #MIN}..{@value #MAX}
 * @param name a DNS-1123 label, e.g. {@code eu-west-1a}
 */
public record ClusterId(int id, String name) {

    public static final int MIN = 1;
    public static final int MAX = 4095;

    public ClusterId {
        checkId(id);
        NameRules.requireLabel("cluster name", name);
    }

    /** A cluster known only by number, until its heartbeat tells its name. */
    public static ClusterId unnamed(int id) {
        return new ClusterId(id, "cluster-" + id);
    }

    public static boolean valid(int id) {
        return id >= MIN && id <= MAX;
    }

    /** Throws with the range unless {@code id} is a cluster id. */
    public static int checkId(int id) {
        if (!valid(id)) {
            throw new IllegalArgumentException("cluster id " + id + " is outside " + MIN + ".." + MAX);
        }
        return id;
    }

    @Override
    public String toString() {
        return name + "(" + id + ")";
    }
}
