package io.meshgw.gateway.api;

import io.meshgw.gateway.api.v1.ExplainTarget;
import io.meshgw.gateway.api.v1.Explanation;
import io.meshgw.gateway.explain.Explainer;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

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

    /** @param address one of {@link ExplainTarget#FORMS}; without a port, every port of the address */
    @GET
    public Explanation explain(@QueryParam("address") String address) {
        if (address == null || address.isBlank()) {
            throw new BadRequestException("address is required: ?address= one of " + ExplainTarget.FORMS);
        }
        String text = address.strip();
        ExplainTarget target = ExplainTarget.parse(text)
                .orElseThrow(() -> new BadRequestException("'" + text
                        + "' is not an IPv4 or IPv6 address with an optional port (" + ExplainTarget.FORMS + ")"));
        return explainer.explain(text, target.inetAddress(), target.port().orElse(0));
    }
}
