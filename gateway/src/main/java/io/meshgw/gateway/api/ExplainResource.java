package io.meshgw.gateway.api;

import io.meshgw.gateway.api.v1.Explanation;
import io.meshgw.gateway.explain.Explainer;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.InetAddress;

/**
 * {@code meshgw explain}: the whole chain behind a legacy address, from the BGP announcement or
 * route, through the export and its backends, to the datapath entries and counters.
 */
@Path("/api/v1/explain")
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {

    private final Explainer explainer;

    ExplainResource(Explainer explainer) {
        this.explainer = explainer;
    }

    @GET
    public Explanation explain(@QueryParam("address") String address) {
        Target t = Target.parse(address);
        return explainer.explain(t.text(), t.address(), t.port());
    }

    /** ip, ip:port or [ipv6]:port. */
    record Target(String text, InetAddress address, int port) {
        static Target parse(String text) {
            if (text == null || text.isBlank()) {
                throw new BadRequestException("address is required: ?address=<ip>[:port]");
            }
            String host = text.strip();
            int port = 0;
            try {
                if (host.startsWith("[")) {
                    int close = host.indexOf(']');
                    port = host.length() > close + 1 ? Integer.parseInt(host.substring(close + 2)) : 0;
                    host = host.substring(1, close);
                } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
                    port = Integer.parseInt(host.substring(host.indexOf(':') + 1));
                    host = host.substring(0, host.indexOf(':'));
                }
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new Target(text.strip(), InetAddress.ofLiteral(host), port);
            } catch (RuntimeException e) {
                throw new BadRequestException("'" + text + "' is not an address: use ip, ip:port or [ipv6]:port");
            }
        }
    }
}
