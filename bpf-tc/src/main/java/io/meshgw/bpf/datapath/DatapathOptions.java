package io.meshgw.bpf.datapath;

import io.meshgw.bpf.Attachment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the datapath is set up.
 *
 * @param pinRoot bpffs directory for maps and links (layout version appended); empty = nothing
 *     pinned, everything goes away with the process
 * @param legacyInterface the interface facing the datacenter; empty = not attached (test runs)
 * @param clusterInterface the interface facing the clusters
 * @param mode tcx, clsact, or tcx when the kernel has it
 * @param maxEntries map sizes by map name, overriding the compiled-in ones
 */
public record DatapathOptions(
        Optional<Path> pinRoot,
        Optional<String> legacyInterface,
        Optional<String> clusterInterface,
        Attachment.Mode mode,
        Map<String, Integer> maxEntries) {

    public DatapathOptions {
        maxEntries = Map.copyOf(maxEntries);
        if (legacyInterface.isPresent() != clusterInterface.isPresent()) {
            throw new IllegalArgumentException(
                    "attach to both a legacy-facing and a cluster-facing interface, or neither");
        }
    }

    /** Loaded but neither pinned nor attached: for BPF_PROG_TEST_RUN and map tests. */
    public static DatapathOptions detached() {
        return new DatapathOptions(
                Optional.empty(), Optional.empty(), Optional.empty(), Attachment.Mode.AUTO, Map.of());
    }

    public DatapathOptions withPinRoot(Path root) {
        return new DatapathOptions(Optional.of(root), legacyInterface, clusterInterface, mode, maxEntries);
    }

    public DatapathOptions withInterfaces(String legacy, String cluster) {
        return new DatapathOptions(pinRoot, Optional.of(legacy), Optional.of(cluster), mode, maxEntries);
    }

    public DatapathOptions withMode(Attachment.Mode m) {
        return new DatapathOptions(pinRoot, legacyInterface, clusterInterface, m, maxEntries);
    }

    public DatapathOptions withMaxEntries(Map<String, Integer> sizes) {
        return new DatapathOptions(pinRoot, legacyInterface, clusterInterface, mode, sizes);
    }
}
