package io.meshgw.bpf.datapath;

import io.meshgw.bpf.Attachment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the datapath is set up.
 *
 * @param pinRoot bpffs directory for maps and links (layout version appended); empty = nothing
 *     pinned, everything goes away with the process
 * @param legacyInterface the interface facing the datacenter; empty = not attached (test runs)
 * @param clusterInterfaces the interfaces facing the clusters (the pod network, and links to
 *     other clusters' gateways when remote backends' replies come back that way)
 * @param mode tcx, clsact, or tcx when the kernel has it
 * @param maxEntries map sizes by map name, overriding the compiled-in ones
 * @param tunnelDevice an L3 device (WireGuard's) the tunnel to other clusters' gateways runs over: their endpoints
 *     are routed to it, and what it delivers to this gateway's endpoint is handed to the first cluster interface
 */
public record DatapathOptions(
        Optional<Path> pinRoot,
        Optional<String> legacyInterface,
        List<String> clusterInterfaces,
        Attachment.Mode mode,
        Map<String, Integer> maxEntries,
        Optional<String> tunnelDevice) {

    public DatapathOptions {
        maxEntries = Map.copyOf(maxEntries);
        clusterInterfaces = List.copyOf(clusterInterfaces);
        if (legacyInterface.isPresent() == clusterInterfaces.isEmpty()) {
            throw new IllegalArgumentException(
                    "attach to both a legacy-facing and a cluster-facing interface, or neither");
        }
        if (tunnelDevice.isPresent() && legacyInterface.isEmpty()) {
            throw new IllegalArgumentException("a tunnel device " + tunnelDevice.get()
                    + " needs the datapath attached: name the legacy-facing and cluster-facing interfaces too");
        }
        if (tunnelDevice.isPresent()
                && (tunnelDevice.get().equals(legacyInterface.get())
                        || clusterInterfaces.contains(tunnelDevice.get()))) {
            throw new IllegalArgumentException("the tunnel device " + tunnelDevice.get()
                    + " is one of the legacy-facing or cluster-facing interfaces; it must be a device of its own");
        }
    }

    public DatapathOptions(
            Optional<Path> pinRoot,
            Optional<String> legacyInterface,
            List<String> clusterInterfaces,
            Attachment.Mode mode,
            Map<String, Integer> maxEntries) {
        this(pinRoot, legacyInterface, clusterInterfaces, mode, maxEntries, Optional.empty());
    }

    /** Loaded but neither pinned nor attached: for BPF_PROG_TEST_RUN and map tests. */
    public static DatapathOptions detached() {
        return new DatapathOptions(Optional.empty(), Optional.empty(), List.of(), Attachment.Mode.AUTO, Map.of());
    }

    public DatapathOptions withPinRoot(Path root) {
        return new DatapathOptions(
                Optional.of(root), legacyInterface, clusterInterfaces, mode, maxEntries, tunnelDevice);
    }

    public DatapathOptions withInterfaces(String legacy, String... cluster) {
        return new DatapathOptions(pinRoot, Optional.of(legacy), List.of(cluster), mode, maxEntries, tunnelDevice);
    }

    public DatapathOptions withMode(Attachment.Mode m) {
        return new DatapathOptions(pinRoot, legacyInterface, clusterInterfaces, m, maxEntries, tunnelDevice);
    }

    public DatapathOptions withMaxEntries(Map<String, Integer> sizes) {
        return new DatapathOptions(pinRoot, legacyInterface, clusterInterfaces, mode, sizes, tunnelDevice);
    }

    /** The tunnel to other clusters' gateways runs over {@code device}, an L3 device (WireGuard's). */
    public DatapathOptions withTunnelDevice(String device) {
        return new DatapathOptions(pinRoot, legacyInterface, clusterInterfaces, mode, maxEntries, Optional.of(device));
    }
}
