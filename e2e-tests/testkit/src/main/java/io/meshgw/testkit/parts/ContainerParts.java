package io.meshgw.testkit.parts;

import io.meshgw.testkit.BrokerSite;
import io.meshgw.testkit.KafkaContainerBroker;
import io.meshgw.testkit.LabBroker;
import io.meshgw.testkit.net.ContainerNamespace;
import io.meshgw.testkit.net.PartNamespace;
import java.util.List;
import org.testcontainers.utility.DockerImageName;

/** FRR and Kafka from their images, each in a container wired as a namespace of the lab. */
final class ContainerParts implements LabParts {

    /** Debian 12's FRR, as the local path runs it, built here by {@code scripts/image.sh lab}. */
    static final DockerImageName FRR_IMAGE = DockerImageName.parse("meshgw/lab-frr:bookworm");

    /** zebra installs routes and sets interface state; bgpd sets socket options (TCP-MD5, TTL). */
    static final List<String> FRR_CAPABILITIES = List.of("NET_ADMIN", "NET_RAW", "SYS_ADMIN");

    @Override
    public PartsSource source() {
        return PartsSource.CONTAINERS;
    }

    @Override
    public PartNamespace frrNamespace(String label) {
        return ContainerNamespace.start(FRR_IMAGE, label, FRR_CAPABILITIES);
    }

    @Override
    public LabBroker broker(BrokerSite site) {
        return KafkaContainerBroker.start(site);
    }
}
