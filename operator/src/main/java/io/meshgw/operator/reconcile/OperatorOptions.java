package io.meshgw.operator.reconcile;

import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one operator replica runs.
 *
 * @param localCluster this cluster in the mesh: its id marks local backends, its name breaks MCS ties and keys its
 *     own backends in status
 * @param leaseNamespace namespace of the coordination.k8s.io/v1 Lease the replicas elect a leader with
 * @param leaseName name of that Lease
 * @param identity this replica's holder identity in the Lease, usually the pod name
 * @param secretsNamespace the one namespace whose Secrets the operator reads (TCP-MD5 passwords, Kafka credentials);
 *     references to Secrets elsewhere are invalid
 * @param leaseDuration how long a leader's claim holds without renewal (the standby waits this long after a crash)
 * @param renewDeadline how long the leader keeps trying to renew before it steps down; less than leaseDuration
 * @param retryPeriod how often replicas try to acquire or renew
 * @param resyncPeriod how often a pass runs without any event, to pick up session state and remote exports
 * @param debounce how long a pass waits after the first event, so a burst of events makes one pass
 * @param retryDelay the first delay after a failed pass; it doubles up to {@code resyncPeriod}
 * @param node the Node this replica runs on (the pod's {@code spec.nodeName}): its labels select the BgpPeers it runs
 *     sessions to and may drain it; without one, every BgpPeer has a session and nothing drains
 * @param tunnelEndpoint this node's gateway tunnel endpoint, written on its Node ({@code meshgw.io/tunnel-endpoint}) so
 *     the other gateway nodes steer egress to it and accept what it steers; empty where it has none
 */
public record OperatorOptions(
        ClusterId localCluster,
        String leaseNamespace,
        String leaseName,
        String identity,
        String secretsNamespace,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        Duration resyncPeriod,
        Duration debounce,
        Duration retryDelay,
        Optional<String> node,
        Optional<IpAddress> tunnelEndpoint) {

    public OperatorOptions {
        Objects.requireNonNull(localCluster, "localCluster");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(tunnelEndpoint, "tunnelEndpoint");
        if (secretsNamespace == null || secretsNamespace.isBlank()) {
            throw new IllegalArgumentException(
                    "secretsNamespace is required: the one namespace the operator reads Secrets in");
        }
    }

    /**
     * The usual client-go timings (15 s lease, 10 s renew deadline, 2 s retry) and a 30 s resync; Secrets are read in
     * the Lease's namespace, usually the gateway's own.
     */
    public static OperatorOptions defaults(ClusterId localCluster, String leaseNamespace, String identity) {
        return new OperatorOptions(
                localCluster,
                leaseNamespace,
                "meshgw-operator",
                identity,
                leaseNamespace,
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Optional.empty(),
                Optional.empty());
    }

    public OperatorOptions withTimings(
            Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Duration resyncPeriod) {
        return new OperatorOptions(
                localCluster,
                leaseNamespace,
                leaseName,
                identity,
                secretsNamespace,
                leaseDuration,
                renewDeadline,
                retryPeriod,
                resyncPeriod,
                debounce,
                retryDelay,
                node,
                tunnelEndpoint);
    }

    public OperatorOptions withSecretsNamespace(String namespace) {
        return with(namespace, node, tunnelEndpoint);
    }

    public OperatorOptions withNode(String nodeName) {
        return with(secretsNamespace, Optional.of(nodeName), tunnelEndpoint);
    }

    public OperatorOptions withTunnelEndpoint(IpAddress endpoint) {
        return with(secretsNamespace, node, Optional.of(endpoint));
    }

    private OperatorOptions with(String secrets, Optional<String> on, Optional<IpAddress> endpoint) {
        return new OperatorOptions(
                localCluster,
                leaseNamespace,
                leaseName,
                identity,
                secrets,
                leaseDuration,
                renewDeadline,
                retryPeriod,
                resyncPeriod,
                debounce,
                retryDelay,
                on,
                endpoint);
    }
}
