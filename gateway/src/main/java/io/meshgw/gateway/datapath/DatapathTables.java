package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.Datapath;
import io.meshgw.bpf.datapath.SteeringTable;
import io.meshgw.bpf.datapath.TableChange;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.TunnelTable;

/** Where the datapath adapter hands each pass's table: a datapath that writes its difference from the kernel's maps. */
public interface DatapathTables {

    /** Makes the maps hold {@code table}. */
    void apply(TranslationTable table);

    /**
     * Makes the maps hold the table last applied changed by {@code change}; false, with nothing written, when the
     * datapath needs the whole table instead.
     */
    boolean apply(TableChange change);

    /** Makes the tunnel maps hold {@code tunnels}: this gateway's endpoint and the other clusters' gateways'. */
    void apply(TunnelTable tunnels);

    /**
     * Makes the steering maps hold {@code steering}: the identities whose egress another gateway serves, whose pods'
     * packets this one must not translate nor send on with the pods' own addresses.
     */
    void apply(SteeringTable steering);

    /** A datapath itself, with nothing in between. */
    static DatapathTables of(Datapath datapath) {
        return new DatapathTables() {
            @Override
            public void apply(TranslationTable table) {
                datapath.apply(table);
            }

            @Override
            public boolean apply(TableChange change) {
                return datapath.apply(change).isPresent();
            }

            @Override
            public void apply(TunnelTable tunnels) {
                datapath.applyTunnels(tunnels);
            }

            @Override
            public void apply(SteeringTable steering) {
                datapath.applySteering(steering);
            }
        };
    }
}
