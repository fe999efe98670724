package io.meshgw.gateway.bgp;

import io.meshgw.gateway.api.v1.PeerView;
import io.meshgw.gateway.api.v1.RouteView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** BGP state for operators and the CLI: sessions and the best routes. */
@Path("/api/v1/bgp")
@Produces(MediaType.APPLICATION_JSON)
public class BgpResource {

    private final BgpService bgp;

    BgpResource(BgpService bgp) {
        this.bgp = bgp;
    }

    @GET
    @Path("/peers")
    public List<PeerView> peers() {
        return bgp.peerViews();
    }

    /** Best routes, or with {@code peer} what that peer sent and import policy accepted. */
    @GET
    @Path("/routes")
    public List<RouteView> routes(@QueryParam("peer") String peer) {
        if (peer != null && !peer.isBlank()) {
            return bgp.acceptedRouteViews(peer).orElseThrow(() -> new NotFoundException("no BGP peer named " + peer));
        }
        return bgp.bestRouteViews();
    }
}
