package io.meshgw.gateway.cli;

import io.meshgw.gateway.api.v1.AdminApiFixture;

/**
 * What the gateway answers, endpoint by endpoint, for the two-cluster lab of {@code AdminApiLab}:
 * the fixtures that {@code AdminApiContractTest} holds to the gateway's real answers.
 */
final class CannedJson {

    private CannedJson() {}

    static final String PEERS = AdminApiFixture.PEERS.json();

    /** Not in prefix order: the table sorts. */
    static final String ROUTES = AdminApiFixture.ROUTES.json();

    static final String SERVICES = AdminApiFixture.SERVICES.json();
    static final String TRANSLATIONS = AdminApiFixture.TRANSLATIONS.json();
    static final String EGRESS = AdminApiFixture.EGRESS.json();
    static final String CLUSTERS = AdminApiFixture.CLUSTERS.json();
    static final String CONNTRACK = AdminApiFixture.CONNTRACK.json();
    static final String COUNTERS = AdminApiFixture.COUNTERS.json();

    /** For {@code explain 198.51.100.10:80}. */
    static final String EXPLAIN = AdminApiFixture.EXPLAIN.json();
}
