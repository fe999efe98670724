package io.meshgw.testkit.parts;

import io.meshgw.testkit.BrokerSite;
import io.meshgw.testkit.KafkaBroker;
import io.meshgw.testkit.KafkaBrokerOptions;
import io.meshgw.testkit.LabBroker;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.PartNamespace;

/** FRR from the host's packages in a network namespace; the broker a process on the host. */
final class LocalParts implements LabParts {

    @Override
    public PartsSource source() {
        return PartsSource.LOCAL;
    }

    @Override
    public PartNamespace frrNamespace(String label) {
        return NetNs.create(label);
    }

    /** The broker listens on the host's address; the site's namespace wiring is not needed. */
    @Override
    public LabBroker broker(BrokerSite site) {
        return KafkaBroker.start(KafkaBrokerOptions.defaults().withHost(site.hostAddress()));
    }
}
