package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

public class MeshServiceExportSpec {
    /** Service port names to export; empty exports every port. */
    public List<String> ports = new ArrayList<>();

    /** Exposure to the legacy datacenter; absent means mesh-only. */
    public LegacyExposure legacy;

    public static class LegacyExposure {
        /** Name of a LegacyVipPool. */
        @Required
        public String poolRef;

        /** A specific VIP inside the pool; any free one when absent. */
        public String requestedVip;
    }
}
