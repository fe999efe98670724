package io.meshgw.gateway.api.v1;

/**
 * Which gateway build answers and what part it plays, {@code GET /api/v1/info}.
 *
 * @param java the JDK's runtime version
 * @param kernel the operating system's release
 * @param mode {@code kubernetes}, {@code standalone} or {@code none}
 * @param replica this gateway's name (its Lease identity in Kubernetes mode)
 * @param leading whether this replica writes for the cluster: status, the mesh, egress addresses (every replica
 *     translates and announces the VIPs)
 * @param leader the replica that writes for the cluster as this one last saw it, null while unknown
 * @param node the Kubernetes Node this replica serves (its labels select its BgpPeers and may drain it), null when
 *     not set
 */
public record InfoView(
        String name,
        String version,
        String java,
        String kernel,
        String mode,
        String replica,
        boolean leading,
        String leader,
        String node) {}
