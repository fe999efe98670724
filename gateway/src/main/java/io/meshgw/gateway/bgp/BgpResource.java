package io.meshgw.gateway.bgp;

import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.wire.PathAttribute;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** BGP state for operators and the CLI: sessions and the best routes. */
@Path("/api/v1/bgp")
@Produces(MediaType.APPLICATION_JSON)
public class BgpResource {

    /** One best route as the CLI shows it. */
    public record RouteView(String prefix, List<Long> asPath, List<String> communities, Long med, Long localPref) {}

    private final BgpService bgp;

    BgpResource(BgpService bgp) {
        this.bgp = bgp;
    }

    @GET
    @Path("/peers")
    public List<PeerStatus> peers() {
        return bgp.peers();
    }

    @GET
    @Path("/routes")
    public List<RouteView> routes() {
        return bgp.routes().entrySet().stream()
                .map(e -> new RouteView(
                        e.getKey().toString(),
                        e.getValue()
                                .get(PathAttribute.AsPath.class)
                                .map(PathAttribute.AsPath::flatten)
                                .orElse(List.of()),
                        e.getValue()
                                .get(PathAttribute.Communities.class)
                                .map(c -> c.values().stream()
                                        .map(v -> (v >>> 16) + ":" + (v & 0xFFFF))
                                        .toList())
                                .orElse(List.of()),
                        e.getValue()
                                .get(PathAttribute.MultiExitDisc.class)
                                .map(PathAttribute.MultiExitDisc::value)
                                .orElse(null),
                        e.getValue()
                                .get(PathAttribute.LocalPref.class)
                                .map(PathAttribute.LocalPref::value)
                                .orElse(null)))
                .toList();
    }
}
