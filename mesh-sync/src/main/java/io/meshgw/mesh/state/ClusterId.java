package io.meshgw.mesh.state;

/**
 * A member cluster of the mesh. The number is what travels on the wire (record headers, topic
 * name) and must be unique in the mesh; the name is for people (logs, status, metrics).
 *
 * @param id 1..4095, so it fits the 12 bits the datapath reserves for it
 * @param name a DNS-1123 label, e.g. {@code eu-west-1a}
 */
public record ClusterId(int id, String name) {

    public static final int MIN = 1;
    public static final int MAX = 4095;

    public ClusterId {
        if (id < MIN || id > MAX) {
            throw new IllegalArgumentException("cluster id " + id + " is outside " + MIN + ".." + MAX);
        }
        NameRules.requireLabel("cluster name", name);
    }

    /** A cluster known only by number, until its heartbeat tells its name. */
    public static ClusterId unnamed(int id) {
        return new ClusterId(id, "cluster-" + id);
    }

    public static boolean valid(int id) {
        return id >= MIN && id <= MAX;
    }

    @Override
    public String toString() {
        return name + "(" + id + ")";
    }
}
