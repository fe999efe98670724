package io.meshgw.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone-mode file of one cluster's gateway: the same objects Kubernetes would hold
 * (BgpPeer, pools, the web Service with its EndpointSlice, the MeshServiceExport, a client Pod
 * and its EgressIdentity, the legacy billing LegacyService). Rewritten atomically on every change; the gateway re-reads it.
 */
public final class ClusterFile {

    /**
     * What the lab varies per cluster.
     *
     * @param peers the gateway's BGP sessions: the datacenter routers, and any scripted peer a
     *     scenario adds
     */
    public record Spec(
            String cluster,
            List<Peer> peers,
            List<String> webBackends,
            String vip,
            String egressSource,
            List<String> clientPods,
            List<Integer> allowedEgressPorts) {

        public Spec {
            peers = List.copyOf(peers);
            webBackends = List.copyOf(webBackends);
            clientPods = List.copyOf(clientPods);
            allowedEgressPorts = List.copyOf(allowedEgressPorts);
        }

        public Spec withWebBackends(List<String> backends) {
            return new Spec(cluster, peers, backends, vip, egressSource, clientPods, allowedEgressPorts);
        }

        public Spec withPeers(List<Peer> p) {
            return new Spec(cluster, p, webBackends, vip, egressSource, clientPods, allowedEgressPorts);
        }
    }

    /**
     * One BgpPeer of the gateway (IPv4 unicast).
     *
     * @param name the object's name (the session is named {@code meshgw-system/<name>})
     * @param gracefulRestart whether the session has graceful restart (restart time 60 s)
     * @param connectRetrySeconds the ConnectRetry time, or 0 for the gateway's default
     * @param holdTimeSeconds the hold time (keepalive a third of it)
     */
    public record Peer(
            String name,
            String address,
            long asn,
            boolean gracefulRestart,
            int connectRetrySeconds,
            int holdTimeSeconds) {

        /** A peer with hold time 9 s, keepalive 3 s. */
        public Peer(String name, String address, long asn, boolean gracefulRestart, int connectRetrySeconds) {
            this(name, address, asn, gracefulRestart, connectRetrySeconds, 9);
        }

        /**
         * This peer as several gateway nodes that announce the same VIPs run it: no graceful restart, since the others'
         * routes carry the flows of a node that goes, and the shortest hold time the routers accept (3 s), since
         * without BFD it is how long the routers keep sending flows to a node that died silently.
         */
        public Peer withFastFailover() {
            return new Peer(name, address, asn, false, connectRetrySeconds, 3);
        }

        /** The session name the gateway's API shows. */
        public String sessionName() {
            return "meshgw-system/" + name;
        }
    }

    private final Path file;

    public ClusterFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public void write(Spec spec) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, render(spec));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes the file with {@code extra} documents after the spec's own. */
    public void write(Spec spec, String extra) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, render(spec) + "---\n" + extra);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * {@code n} more exported services, each with one local backend and a VIP of its own from a
     * pool of their own (198.18.0.0/17): what a big cluster's file looks like.
     */
    public static String bulk(int n) {
        StringBuilder b = new StringBuilder("""
                apiVersion: meshgw.io/v1alpha1
                kind: LegacyVipPool
                metadata: {name: bulk}
                spec: {cidrs: [198.18.0.0/17], announce: true}
                """);
        for (int i = 0; i < n; i++) {
            String vip = "198.18." + (i / 250) + "." + (i % 250 + 1);
            String pod = "10.1." + (100 + i / 250) + "." + (i % 250 + 1);
            b.append("""
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: s%d, namespace: bulk}
                    spec: {ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]}
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata: {name: s%d-1, namespace: bulk, labels: {kubernetes.io/service-name: s%d}}
                    addressType: IPv4
                    ports: [{name: http, port: 8080, protocol: TCP}]
                    endpoints: [{addresses: [%s], conditions: {ready: true}}]
                    ---
                    apiVersion: meshgw.io/v1alpha1
                    kind: MeshServiceExport
                    metadata: {name: s%d, namespace: bulk, creationTimestamp: "2026-01-01T00:00:00Z"}
                    spec: {ports: [http], legacy: {poolRef: bulk, requestedVip: %s}}
                    """.formatted(i, i, i, pod, i, vip));
        }
        return b.toString();
    }

    static String render(Spec s) {
        List<String> docs = new ArrayList<>();
        for (Peer p : s.peers()) {
            docs.add("""
                    apiVersion: meshgw.io/v1alpha1
                    kind: BgpPeer
                    metadata: {name: %s, namespace: meshgw-system}
                    spec:
                      peerAddress: %s
                      peerAsn: %d
                      localAsn: 65000
                      families: [ipv4-unicast]
                      timers: {holdTimeSeconds: %d, keepaliveSeconds: %d%s}
                    """.formatted(
                            p.name(),
                            p.address(),
                            p.asn(),
                            p.holdTimeSeconds(),
                            p.holdTimeSeconds() / 3,
                            p.connectRetrySeconds() > 0 ? ", connectRetrySeconds: " + p.connectRetrySeconds() : "")
                    + (p.gracefulRestart() ? "  gracefulRestart: {enabled: true, restartTimeSeconds: 60}\n" : ""));
        }
        docs.add("""
                apiVersion: meshgw.io/v1alpha1
                kind: LegacyVipPool
                metadata: {name: vips}
                spec: {cidrs: [198.51.100.0/28], announce: true}
                """);
        docs.add("""
                apiVersion: meshgw.io/v1alpha1
                kind: EgressIpPool
                metadata: {name: egress}
                spec: {cidrs: [203.0.113.0/28], announce: true, allowedNamespaces: [shop]}
                """);
        docs.add("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
                """);
        StringBuilder eps = new StringBuilder("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-%s
                  namespace: shop
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints:
                """.formatted(s.cluster()));
        if (s.webBackends().isEmpty()) {
            eps.append("  []\n");
        }
        for (String b : s.webBackends()) {
            eps.append("  - addresses: [").append(b).append("]\n    conditions: {ready: true}\n");
        }
        docs.add(eps.toString().replace("endpoints:\n  []", "endpoints: []"));
        String legacy = s.vip() == null ? "" : "\n  legacy: {poolRef: vips, requestedVip: " + s.vip() + "}";
        docs.add("""
                apiVersion: meshgw.io/v1alpha1
                kind: MeshServiceExport
                metadata: {name: web, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec:
                  ports: [http]%s
                """.formatted(legacy));
        int i = 0;
        for (String pod : s.clientPods()) {
            docs.add("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: client-%d, namespace: shop, labels: {app: client}}
                    spec:
                      serviceAccountName: client
                      containers: [{name: c, image: client}]
                    status: {phase: Running, podIP: %s, podIPs: [{ip: %s}]}
                    """.formatted(i++, pod, pod));
        }
        // The legacy billing service: pods resolve billing.legacy.<zone> to the host while a route covers it.
        docs.add("""
                apiVersion: meshgw.io/v1alpha1
                kind: LegacyService
                metadata: {name: billing, namespace: legacy}
                spec:
                  prefixes: [{prefix: 192.0.2.0/24}]
                  addresses: [192.0.2.10]
                  ports: [{name: billing, port: 9000, protocol: TCP}]
                """);
        if (s.egressSource() != null) {
            StringBuilder ports = new StringBuilder();
            for (int p : s.allowedEgressPorts()) {
                ports.append(ports.isEmpty() ? "" : ", ")
                        .append("{protocol: TCP, port: ")
                        .append(p)
                        .append('}');
            }
            docs.add("""
                    apiVersion: meshgw.io/v1alpha1
                    kind: EgressIdentity
                    metadata: {name: client, namespace: shop}
                    spec:
                      selector: {podLabels: {app: client}}
                      poolRef: egress
                      requestedSourceIp: %s
                      destinations: [192.0.2.0/24]
                      allowedPorts: [%s]
                    """.formatted(s.egressSource(), ports));
        }
        return String.join("---\n", docs);
    }
}
