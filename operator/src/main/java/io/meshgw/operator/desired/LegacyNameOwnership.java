package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.meshgw.operator.crd.Crds;
import io.meshgw.operator.port.ObjectKey;
import java.util.Optional;

/**
 * How the Service and EndpointSlices the operator keeps for a LegacyService are marked, and how to tell them from
 * anyone else's: a controller owner reference to the LegacyService of the same namespace and name. The labels are
 * for people and for cluster DNS; ownership is what the operator trusts. Stable: objects carrying these marks live
 * in users' clusters.
 */
public final class LegacyNameOwnership {
    /** On the Service: the recommended label naming the tool that manages it. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

    public static final String MANAGED_BY = "meshgw";

    /** On the EndpointSlices: the controllers that own slices leave slices with another manager alone. */
    public static final String SLICE_MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";

    public static final String SLICE_MANAGER = "meshgw.io/operator";

    /** On the EndpointSlices: binds them to the Service, which is how DNS finds them. */
    public static final String SERVICE_NAME_LABEL = ServiceBackends.SERVICE_NAME_LABEL;

    public static final String OWNER_KIND = "LegacyService";

    private LegacyNameOwnership() {}

    /**
     * The LegacyService controlling {@code object}, if one does. Matched by kind and name, not uid: a LegacyService
     * deleted and created again while the operator was down owns what its predecessor left behind.
     */
    public static Optional<ObjectKey> controller(HasMetadata object) {
        var refs = object.getMetadata().getOwnerReferences();
        if (refs == null) return Optional.empty();
        return refs.stream()
                .filter(LegacyNameOwnership::isLegacyServiceController)
                .findFirst()
                .map(r -> new ObjectKey(object.getMetadata().getNamespace(), r.getName()));
    }

    /** True when {@code object} is controlled by the LegacyService {@code owner}. */
    public static boolean controlledBy(HasMetadata object, ObjectKey owner) {
        return controller(object).filter(owner::equals).isPresent();
    }

    private static boolean isLegacyServiceController(OwnerReference ref) {
        return Boolean.TRUE.equals(ref.getController())
                && OWNER_KIND.equals(ref.getKind())
                && ref.getApiVersion() != null
                && ref.getApiVersion().startsWith(Crds.GROUP + "/");
    }
}
