package io.meshgw.gateway.bgp;

import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.wire.PathAttribute;
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

    /** One route as the CLI shows it; {@code from} is the peer it came from or "local". */
    public record RouteView(
            String prefix,
            String nextHop,
            String from,
            List<Long> asPath,
            List<String> communities,
            Long med,
            Long localPref) {

        static RouteView of(String prefix, String from, RouteAttributes a) {
            return new RouteView(
                    prefix,
                    RouteText.nextHop(a).orElse(null),
                    from,
                    a.get(PathAttribute.AsPath.class)
                            .map(PathAttribute.AsPath::flatten)
                            .orElse(List.of()),
                    RouteText.communities(a),
                    a.get(PathAttribute.MultiExitDisc.class)
                            .map(PathAttribute.MultiExitDisc::value)
                            .orElse(null),
                    a.get(PathAttribute.LocalPref.class)
                            .map(PathAttribute.LocalPref::value)
                            .orElse(null));
        }
    }

    private final BgpService bgp;

    BgpResource(BgpService bgp) {
        this.bgp = bgp;
    }

    @GET
    @Path("/peers")
    public List<PeerStatus> peers() {
        return bgp.peers();
    }

    /** Best routes, or with {@code peer} what that peer sent and import policy accepted. */
    @GET
    @Path("/routes")
    public List<RouteView> routes(@QueryParam("peer") String peer) {
        if (peer != null && !peer.isBlank()) {
            if (bgp.peers().stream().noneMatch(p -> p.name().equals(peer))) {
                throw new NotFoundException("no BGP peer named " + peer);
            }
            return bgp.acceptedRoutes(peer).entrySet().stream()
                    .map(e -> RouteView.of(e.getKey().toString(), peer, e.getValue()))
                    .toList();
        }
        return bgp.bestRoutes().stream()
                .map(r -> RouteView.of(r.prefix().toString(), r.from(), r.attributes()))
                .toList();
    }
}
