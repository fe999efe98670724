package io.meshgw.operator.reconcile;

/**
 * Whether this replica writes for the cluster, and a way to write only while it does. {@link LeaderElectedOperator}
 * answers from the Lease; {@link #ALWAYS} is a replica that is the only one.
 */
public interface Leadership {

    /** Whether this replica holds the Lease now. */
    boolean leading();

    /**
     * Runs {@code write} only if this replica leads, and holds off acting on the Lease's loss until it returns: a
     * replica that loses the Lease stands by after such a write, never before it, so nothing it writes outlives its
     * leadership.
     *
     * @return whether {@code write} ran
     */
    boolean whileLeading(Runnable write);

    /** The identity of the replica that holds the Lease, as this replica last saw it; empty while none is known. */
    default java.util.Optional<String> holder() {
        return java.util.Optional.empty();
    }

    /** The only replica: it always leads. */
    Leadership ALWAYS = new Leadership() {
        @Override
        public boolean leading() {
            return true;
        }

        @Override
        public boolean whileLeading(Runnable write) {
            write.run();
            return true;
        }
    };
}
