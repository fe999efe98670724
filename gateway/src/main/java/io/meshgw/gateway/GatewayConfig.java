package io.meshgw.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The gateway's configuration, from application properties or environment variables. */
@ConfigMapping(prefix = "meshgw")
public interface GatewayConfig {

    /** The BGP speaker toward the datacenter routers. */
    Bgp bgp();

    /** The tc/eBPF translation datapath. */
    Datapath datapath();

    /** The routes learned from the routers, installed in this node's kernel routing table. */
    KernelRoutes kernelRoutes();

    /** This gateway's cluster in the mesh. */
    Cluster cluster();

    /** The admin API (REST and CLI). */
    Admin admin();

    /** Cross-cluster state over Kafka. */
    Mesh mesh();

    /**
     * Where the desired state comes from: {@code kubernetes} (the operator watches the CRDs,
     * Services and EndpointSlices) or {@code standalone} (a file of the same objects, for
     * datacenter-only use and the lab); or {@code node}: no gateway at all, the node role on an
     * ordinary Kubernetes node ({@link #nodeRole}), which steers its pods' egress to the gateway
     * node that serves it; or {@code none} (only the properties' BGP peers).
     */
    @WithDefault("kubernetes")
    String mode();

    /** Standalone mode. */
    Standalone standalone();

    /** Node mode ({@code meshgw.mode=node}): the node role on an ordinary node. */
    NodeRole nodeRole();

    interface NodeRole {
        /**
         * The interfaces this node's routes toward the datacenter and toward the gateway nodes leave by,
         * comma-separated (most nodes have one). Required in node mode.
         */
        Optional<String> uplinks();

        /**
         * This node's IPv4 address (the chart sets the pod's status.hostIP): the outer source of what it steers, where
         * the gateway node sends the replies. Required in node mode.
         */
        Optional<String> address();
    }

    /** Kubernetes mode. */
    Kubernetes kubernetes();

    /** Names for LegacyServices, served by the gateway itself in standalone mode. */
    Dns dns();

    interface Dns {
        /**
         * Answer DNS queries for {@code <legacy-service>.<namespace>.<zone>} with the LegacyService's
         * addresses that a learned route covers. Standalone mode only: in Kubernetes mode every
         * LegacyService gets a headless Service, so the cluster DNS answers for it.
         */
        @WithDefault("false")
        boolean enabled();

        /** Where to answer, UDP and TCP: {@code host:port[,host:port]}, IPv6 hosts in brackets. */
        @WithDefault("127.0.0.1:5353")
        String listen();

        /** The zone this server is authoritative for; anything outside it is refused. */
        @WithDefault("meshgw.internal")
        String zone();

        /** TTL of the answers, and how long negative answers are cached: short, since names follow BGP. */
        @WithDefault("5")
        int ttlSeconds();

        /** Answers per client, so that one client (or a forged source) cannot have them all. */
        RateLimit rateLimit();

        interface RateLimit {
            /**
             * Answers per second per client (an IPv4 address, an IPv6 /64), on average; queries over it are not
             * answered, over UDP or TCP, and are counted in meshgw_dns_rate_limited_total. 0: no limit.
             */
            @WithDefault("100")
            int perSecond();

            /** Answers a client may have at once, above the average. */
            @WithDefault("200")
            int burst();
        }
    }

    interface Mesh {
        /** Publish this cluster's exports and read the other clusters' over Kafka. */
        @WithDefault("false")
        boolean enabled();

        /** Kafka bootstrap servers, host:port[,host:port]. */
        Optional<String> bootstrapServers();

        /** Replication factor of this cluster's state topic when meshgw creates it (1 for a lab broker). */
        @WithDefault("3")
        int replicationFactor();

        /**
         * {@code min.insync.replicas} of this cluster's state topic when meshgw creates it: how many brokers must hold
         * a write before it is acknowledged. Defaults to 2 (1 when the replication factor is 1), so one broker lost
         * neither loses an acknowledged record nor stops publishing; at most the replication factor.
         */
        Optional<Integer> minInsyncReplicas();

        /** Seconds between this cluster's heartbeats. */
        @WithDefault("2")
        int heartbeatSeconds();

        /**
         * A cluster silent this long is marked unavailable and its endpoints are not used. It must outlast the silence
         * of a cluster whose publishing replica crashed: until the Lease expires (15 s), the next retry (2 s) and the
         * new holder's first heartbeat (about 1 s), up to 20 s after the dead one's last heartbeat. Shorter, every
         * other cluster drops this cluster's endpoints whenever the replica that publishes them dies.
         */
        @WithDefault("25")
        int unavailableAfterSeconds();

        /** A cluster silent this long is forgotten (its state garbage-collected). */
        @WithDefault("86400")
        int forgetAfterSeconds();

        /**
         * Further Kafka client settings passed through as they are, e.g. TLS and SASL:
         * {@code meshgw.mesh.kafka."security.protocol"=SASL_SSL}.
         */
        Map<String, String> kafka();
    }

    interface Standalone {
        /** A YAML file (multi-document) of meshgw CRDs, Services and EndpointSlices; re-read on change. */
        Optional<String> file();
    }

    interface Kubernetes {
        /** Namespace of the leader-election Lease (defaults to the pod's namespace). */
        Optional<String> leaseNamespace();

        /** This replica's identity for leader election (defaults to the host name). */
        Optional<String> identity();

        /**
         * The Node this replica runs on (the chart sets the pod's spec.nodeName). Its labels select the BgpPeers this
         * node has sessions to ({@code spec.nodeSelector}), and the label
         * node.kubernetes.io/exclude-from-external-load-balancers withdraws its VIP routes. Unset: every BgpPeer has a
         * session here and nothing drains.
         */
        Optional<String> nodeName();

        /**
         * The one namespace whose Secrets the operator reads (BgpPeer passwords, MeshCluster Kafka
         * credentials); a reference to a Secret elsewhere leaves its object invalid. Defaults to
         * the pod's namespace.
         */
        Optional<String> secretsNamespace();

        /**
         * The DaemonSet this replica belongs to (the chart sets it), in the pod's namespace. When it is gone or being
         * deleted as the gateway stops, the release is being uninstalled: the datapath is detached and its pins
         * removed instead of left forwarding for a next start that will not come. Unset: never detached on that
         * account.
         */
        Optional<String> daemonSet();
    }

    interface Datapath {
        /** Load and attach the translation programs (needs CAP_BPF and CAP_NET_ADMIN). */
        @WithDefault("false")
        boolean enabled();

        /** bpffs directory for pinned maps and links, so forwarding survives a restart; "none" pins nothing. */
        @WithDefault("/sys/fs/bpf/meshgw")
        String pinRoot();

        /** The interface facing the datacenter (legacy VIP traffic and egress replies arrive here). */
        Optional<String> legacyInterface();

        /**
         * The interface(s) facing the clusters, comma-separated (backend replies and pod egress
         * traffic arrive here; add links to other gateways when remote backends reply through them).
         */
        Optional<String> clusterInterface();

        /** auto (tcx where the kernel has it, else clsact), tcx or tc. */
        @WithDefault("auto")
        String attachMode();

        /** On shutdown, leave the programs attached and the maps pinned (hitless restart); false detaches. */
        @WithDefault("true")
        boolean keepOnShutdown();

        /**
         * Size of the conntrack table of inbound flows (entries); unset keeps the compiled-in 524288. Egress flows have a
         * table of their own (262144). Changed on a node whose datapath is pinned, the pinned table is replaced by an
         * empty one of the new size at start, and the flows it held start again.
         */
        OptionalInt conntrackEntries();

        /**
         * Size of the IPv6 conntrack table (entries, both ways of the IPv6 VIPs' flows); unset keeps the compiled-in
         * 262144. Replaced like {@link #conntrackEntries()} when changed.
         */
        OptionalInt conntrack6Entries();

        /**
         * This gateway's tunnel endpoint (an IPv4 address of this node that the other clusters' gateways reach). Set,
         * it is published to the mesh, and a flow for a backend of another cluster that publishes one leaves
         * encapsulated (IPv4 in IPv4) toward that cluster's gateway, whose backend's replies come back the same way;
         * IPIP to it is accepted from those gateways only. Unset, backends of other clusters are routed plainly, and
         * their replies must be routed back to this gateway by the network.
         */
        Optional<String> tunnelEndpoint();

        /**
         * An L3 device (WireGuard's) the tunnel to other clusters' gateways runs over, to encrypt it: this gateway's
         * tunnel endpoint is an address of the device, the other gateways' endpoints are routed into it, and what it
         * delivers to the endpoint is taken by the datapath as from a link. Unset, the tunnel runs over the links as
         * they are.
         */
        Optional<String> tunnelDevice();
    }

    interface KernelRoutes {
        /**
         * Install the routes the speaker learned (what the peers' import policies accept, best path and the paths equal
         * to it) in the kernel's routing table, so traffic follows BGP (needs CAP_NET_ADMIN).
         */
        @WithDefault("false")
        boolean enabled();

        /** The routing table id: 254 is main; another table needs an ip rule that consults it. */
        @WithDefault("254")
        long table();

        /** Gateways per route at most (ECMP across routers); 1 installs only the best path. */
        @WithDefault("8")
        int maxPaths();

        /** The routes' metric; a connected route (metric 0) to the same prefix stays preferred. */
        @WithDefault("20")
        int metric();

        /** rtm_protocol marking meshgw's routes ({@code ip route show proto 200}); only these are read or changed. */
        @WithDefault("200")
        int protocol();

        /** On shutdown, leave the routes installed (forwarding goes on through a restart); false removes them. */
        @WithDefault("true")
        boolean keepOnShutdown();

        /**
         * After a start, how long the routes a previous run left stay without being learned again before they are
         * removed: long enough for the sessions to come up and send their tables.
         */
        @WithDefault("120s")
        Duration restartGrace();

        /**
         * How often the table is compared with what meshgw installed, and what the kernel lost put back (a link that
         * went down takes its routes along); each comparison reads meshgw's routes of the table once.
         */
        @WithDefault("10s")
        Duration repairInterval();

        /** Route changes per netlink message batch (1..1024). */
        @WithDefault("256")
        int batch();

        /** At most this many route changes a second; 0 is as fast as the kernel takes them. */
        @WithDefault("0")
        int maxChangesPerSecond();
    }

    interface Cluster {
        /** This cluster's id in the mesh, 1..4095; backends carry it. */
        @WithDefault("1")
        int id();

        /** This cluster's name in the mesh. */
        @WithDefault("local")
        String name();
    }

    interface Admin {
        /**
         * Bearer token the admin API requires on /api/*. Unset leaves the API open, so the gateway
         * then starts it only on loopback (quarkus.http.host) or with client certificates required.
         */
        Optional<String> token();

        /** A file holding the token (a mounted Secret); read at start, takes precedence over token. */
        Optional<String> tokenFile();
    }

    interface Bgp {
        /** Whether the gateway runs its BGP speaker at all. */
        @WithDefault("true")
        boolean enabled();

        /** The gateway's AS number (4-octet allowed). */
        @WithDefault("65000")
        long localAsn();

        /** The BGP identifier, an IPv4 address; required as soon as a peer is configured. */
        Optional<String> routerId();

        /** Address the speaker accepts sessions on. */
        @WithDefault("0.0.0.0")
        String listenAddress();

        /** BGP port; 0 disables listening (the speaker only dials). */
        @WithDefault("179")
        int port();

        /** Neighbors, by name: {@code meshgw.bgp.peers.<name>.address=...}. */
        Map<String, Neighbor> peers();
    }

    interface Neighbor {
        /** The router's address. */
        String address();

        /** The router's AS number. */
        long asn();

        /** TCP-MD5 password (RFC 2385); take it from a Secret through the environment. */
        Optional<String> password();

        /** Only accept the router's connection, never dial. */
        @WithDefault("false")
        boolean passive();

        /** Proposed hold time in seconds: 0 or 3..65535. */
        @WithDefault("90")
        int holdTime();

        /**
         * Cease the session above this many accepted prefixes of one family, each family counted on its own; 100,000
         * (started again after 15 minutes) when unset.
         */
        OptionalInt maxPrefixes();

        /** Graceful restart time to advertise (RFC 4724), in seconds; unset disables it. */
        OptionalInt gracefulRestart();
    }
}
