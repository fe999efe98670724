package io.meshgw.testkit.parts;

import io.meshgw.testkit.BrokerSite;
import io.meshgw.testkit.LabBroker;
import io.meshgw.testkit.net.PartNamespace;
import io.meshgw.testkit.routers.FrrRouter;
import io.meshgw.testkit.routers.RouterSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gives a lab its FRR routers and its Kafka broker, as local processes or as containers. A lab
 * that gets them only from here, and wires them only through {@link PartNamespace}, runs the same
 * scenarios either way. {@link #select()} chooses by {@value PartsSource#PROPERTY} and by whether
 * a Docker engine answers.
 */
public sealed interface LabParts permits LocalParts, ContainerParts {

    /** The parts for this run ({@link PartsSource#choose}), saying which on standard error. */
    static LabParts select() {
        String value = System.getProperty(PartsSource.PROPERTY);
        var absence = new AtomicReference<Optional<String>>();
        PartsSource chosen = PartsSource.choose(value, () -> {
            absence.set(DockerEngine.whyUnavailable());
            return absence.get();
        });
        System.err.println(
                PartsSource.announcement(chosen, value, absence.get() == null ? Optional.empty() : absence.get()));
        return of(chosen);
    }

    static LabParts of(PartsSource source) {
        return switch (source) {
            case LOCAL -> new LocalParts();
            case CONTAINERS -> new ContainerParts();
        };
    }

    PartsSource source();

    /**
     * A namespace for an FRR router: a new local namespace, or an FRR container's. The caller
     * owns it (closes it), plugs its links, then starts the router in it with {@link #frr}.
     */
    PartNamespace frrNamespace(String label);

    /** Starts FRR in a namespace from {@link #frrNamespace}, with the FRR installed there. */
    default FrrRouter frr(PartNamespace ns, RouterSpec spec, Path workDir) {
        return FrrRouter.start(ns, spec, workDir);
    }

    /** Starts a broker where {@code site} says; the caller owns it (closes it). */
    LabBroker broker(BrokerSite site);
}
