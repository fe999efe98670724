package io.meshgw.gateway.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the admin API listens and what guards it. The gateway runs in the host's network namespace, so an
 * address other than loopback is one the datacenter may reach: there the API must ask for a token or a client
 * certificate on every connection.
 *
 * @param host {@code quarkus.http.host}, the admin API's listen address
 * @param token whether {@code meshgw.admin.token} or {@code token-file} gives a token
 * @param clientAuth {@code quarkus.http.ssl.client-auth} (none, request, required)
 * @param insecureRequests {@code quarkus.http.insecure-requests} (enabled, redirect, disabled)
 */
public record AdminExposure(String host, boolean token, String clientAuth, String insecureRequests) {

    /** Why the gateway must not start with this exposure; empty when it may. */
    public Optional<String> refusal() {
        if (token || mutualTlsOnly() || loopbackOnly(host)) {
            return Optional.empty();
        }
        return Optional.of("the admin API would listen on " + host
                + " (quarkus.http.host), which is not a loopback address, without a token: set"
                + " meshgw.admin.token-file (or meshgw.admin.token), require client certificates"
                + " (quarkus.http.ssl.client-auth=required with quarkus.http.insecure-requests=disabled),"
                + " or keep quarkus.http.host=127.0.0.1");
    }

    /** Every connection presents a client certificate: TLS with client-auth required and no plain port. */
    private boolean mutualTlsOnly() {
        return "required".equals(clientAuth.toLowerCase(Locale.ROOT))
                && "disabled".equals(insecureRequests.toLowerCase(Locale.ROOT));
    }

    /** Whether every address {@code host} names is a loopback address; a wildcard or an unknown name is not. */
    static boolean loopbackOnly(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
