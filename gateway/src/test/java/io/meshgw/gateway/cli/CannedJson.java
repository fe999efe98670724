package io.meshgw.gateway.cli;

/** What a gateway in a two-cluster lab answers, endpoint by endpoint (the JSON shapes of docs/cli.md). */
final class CannedJson {

    private CannedJson() {}

    static final String PEERS = """
            [
              {"name": "dc1-rr1", "address": "192.0.2.254", "peerAsn": 65001, "state": "ESTABLISHED",
               "establishedSince": "2025-05-28T08:00:00Z", "prefixesReceived": 912345, "prefixesAccepted": 12,
               "prefixesAdvertised": 3, "messagesReceived": 1523001, "messagesSent": 8123, "flaps": 0,
               "lastError": null},
              {"name": "dc2-rr1", "address": "2001:db8::fe", "peerAsn": 65002, "state": "ACTIVE",
               "establishedSince": null, "prefixesReceived": 0, "prefixesAccepted": 0, "prefixesAdvertised": 0,
               "messagesReceived": 40, "messagesSent": 44, "flaps": 3, "lastError": "hold timer expired"},
              {"name": "lab", "address": "198.51.100.1", "peerAsn": 4200000001, "state": "ESTABLISHED",
               "establishedSince": "2025-06-01T11:59:18Z", "prefixesReceived": 1, "prefixesAccepted": 1,
               "prefixesAdvertised": 3, "messagesReceived": 5, "messagesSent": 6, "flaps": 1, "lastError": null}
            ]
            """;

    /** Deliberately not in prefix order: the table sorts. */
    static final String ROUTES = """
            [
              {"prefix": "10.1.2.0/24", "nextHop": "192.0.2.253", "from": "dc2-rr1", "asPath": [65002],
               "communities": ["65000:200", "65002:7"], "med": 0, "localPref": 200},
              {"prefix": "10.0.0.0/8", "nextHop": "192.0.2.254", "from": "dc1-rr1", "asPath": [65001],
               "communities": ["65000:100"], "med": null, "localPref": 100},
              {"prefix": "2001:db8:100::/48", "nextHop": "2001:db8::fe", "from": "dc2-rr1", "asPath": [65002, 65020],
               "communities": [], "med": null, "localPref": 100},
              {"prefix": "10.1.0.0/16", "nextHop": "192.0.2.254", "from": "dc1-rr1", "asPath": [65001, 65010],
               "communities": [], "med": 20, "localPref": 100},
              {"prefix": "198.51.100.0/24", "nextHop": null, "from": "local", "asPath": [],
               "communities": [], "med": null, "localPref": null},
              {"prefix": "2001:db8::/32", "nextHop": "2001:db8::fe", "from": "dc2-rr1", "asPath": [65002],
               "communities": [], "med": null, "localPref": 100}
            ]
            """;

    static final String SERVICES = """
            [
              {"namespace": "shop", "name": "payments", "vip": null,
               "ports": [{"name": "grpc", "port": 9090, "protocol": "TCP"}], "announced": false,
               "localBackends": 0, "remoteBackends": {}, "ready": false, "reason": "pool public is exhausted"},
              {"namespace": "shop", "name": "cart", "vip": "198.51.100.10",
               "ports": [{"name": "http", "port": 80, "protocol": "TCP"}], "announced": true,
               "localBackends": 3, "remoteBackends": {"west": 2, "east": 1}, "ready": true, "reason": null},
              {"namespace": "dns", "name": "coredns", "vip": "198.51.100.53",
               "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": null, "port": 53, "protocol": "TCP"}],
               "announced": true, "localBackends": 2, "remoteBackends": {"west": 0}, "ready": true, "reason": null}
            ]
            """;

    static final String TRANSLATIONS = """
            [
              {"vip": "198.51.100.10:80", "protocol": "TCP", "identity": 1001,
               "backends": ["10.1.0.10:8080 (local)", "10.1.0.11:8080 (local)", "10.2.0.5:8080 (cluster 2)"]},
              {"vip": "198.51.100.53:53", "protocol": "UDP", "identity": 1002, "backends": ["10.1.0.53:53 (local)"]},
              {"vip": "198.51.100.20:443", "protocol": "TCP", "identity": 1003, "backends": []}
            ]
            """;

    static final String EGRESS = """
            [
              {"identity": 1001, "source": "192.0.2.10", "ports": "32768-60999",
               "destinations": ["192.0.2.0/24", "203.0.113.0/24"]}
            ]
            """;

    static final String CLUSTERS = """
            [
              {"id": 2, "name": "west", "synced": true, "available": false, "lastHeartbeatAgeMs": 93000, "lag": 12,
               "recordsApplied": 98765, "recordsRejected": 3, "services": 9, "endpoints": 40},
              {"id": 1, "name": "east", "synced": true, "available": true, "lastHeartbeatAgeMs": 850, "lag": 0,
               "recordsApplied": 123456, "recordsRejected": 0, "services": 14, "endpoints": 96},
              {"id": 3, "name": "south", "synced": false, "available": false, "lastHeartbeatAgeMs": null, "lag": 4521,
               "recordsApplied": 0, "recordsRejected": 0, "services": 0, "endpoints": 0}
            ]
            """;

    static final String CONNTRACK = """
            [
              {"kind": "DNAT", "protocol": "TCP", "source": "203.0.113.7:51234", "destination": "198.51.100.10:80",
               "translatedTo": "10.1.0.10:8080", "backendId": 3, "identity": 1001, "ageMillis": 12400,
               "idleMillis": 900, "packets": 1234, "bytes": 1843210},
              {"kind": "DNAT_REPLY", "protocol": "TCP", "source": "10.1.0.10:8080", "destination": "203.0.113.7:51234",
               "translatedTo": "198.51.100.10:80", "backendId": 3, "identity": 1001, "ageMillis": 12400,
               "idleMillis": 900, "packets": 1100, "bytes": 98000},
              {"kind": "SNAT", "protocol": "UDP", "source": "10.1.0.20:40000", "destination": "192.0.2.53:53",
               "translatedTo": "192.0.2.10:32768", "backendId": 0, "identity": 1001, "ageMillis": 3000,
               "idleMillis": 3000, "packets": 1, "bytes": 72},
              {"kind": "SNAT_REPLY", "protocol": "UDP", "source": "192.0.2.53:53", "destination": "192.0.2.10:32768",
               "translatedTo": "10.1.0.20:40000", "backendId": 0, "identity": 1001, "ageMillis": 2990,
               "idleMillis": 2990, "packets": 1, "bytes": 120}
            ]
            """;

    static final String COUNTERS = """
            [
              {"name": "dnat_hit", "description": "packets to a VIP translated to a backend",
               "packets": 1234567, "bytes": 987654321},
              {"name": "dnat_no_backend", "description": "packets to a VIP without a backend (dropped)",
               "packets": 42, "bytes": 2688},
              {"name": "snat", "description": "packets leaving with a gateway source address",
               "packets": 5120, "bytes": 409600}
            ]
            """;

    static final String EXPLAIN = """
            {"address": "198.51.100.10:80", "verdict": "translated", "steps": [
              {"stage": "bgp", "summary": "198.51.100.0/24 is announced to 2 of 2 peers",
               "details": {"prefix": "198.51.100.0/24", "announced-to": "dc1-rr1, dc2-rr1"}},
              {"stage": "vip-pool", "summary": "198.51.100.10 belongs to pool public", "details": {"pool": "public"}},
              {"stage": "service", "summary": "port 80/TCP is shop/cart http",
               "details": {"service": "shop/cart", "port": "http:80/TCP"}},
              {"stage": "backends", "summary": "3 ready backends, 2 of them local", "details": {}},
              {"stage": "datapath", "summary": "loaded as identity 1001", "details": {"identity": "1001"}}
            ]}
            """;
}
