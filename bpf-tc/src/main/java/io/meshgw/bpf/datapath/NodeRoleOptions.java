package io.meshgw.bpf.datapath;

import io.meshgw.bpf.Attachment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the node role is set up.
 *
 * @param pinRoot bpffs directory for maps and links (layout version appended); empty = nothing pinned
 * @param uplinks the interfaces the node's routes toward the datacenter and toward the gateway nodes leave by (most
 *     nodes have one); empty = loaded, not attached
 * @param mode tcx, clsact, or tcx when the kernel has it
 */
public record NodeRoleOptions(Optional<Path> pinRoot, List<String> uplinks, Attachment.Mode mode) {

    public NodeRoleOptions {
        uplinks = List.copyOf(uplinks);
    }

    /** Loaded but neither pinned nor attached. */
    public static NodeRoleOptions detached() {
        return new NodeRoleOptions(Optional.empty(), List.of(), Attachment.Mode.AUTO);
    }

    public NodeRoleOptions withPinRoot(Path root) {
        return new NodeRoleOptions(Optional.of(root), uplinks, mode);
    }

    public NodeRoleOptions withUplinks(String... ifNames) {
        return new NodeRoleOptions(pinRoot, List.of(ifNames), mode);
    }

    public NodeRoleOptions withMode(Attachment.Mode m) {
        return new NodeRoleOptions(pinRoot, uplinks, m);
    }
}
