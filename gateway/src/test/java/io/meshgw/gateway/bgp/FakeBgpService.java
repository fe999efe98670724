package io.meshgw.gateway.bgp;

import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.wire.Prefix;
import jakarta.enterprise.inject.Vetoed;
import java.util.List;
import java.util.Map;

/**
 * The speaker's state as fixed values: what {@link BgpService} reads from a running speaker,
 * without one. Only the reads are replaced, so its views of that state are the real ones.
 *
 * <p>Vetoed: it inherits {@code @ApplicationScoped} and must not become a second bean;
 * {@code QuarkusMock} puts an instance in place of the real one for a test.
 */
@Vetoed
public class FakeBgpService extends BgpService {

    private final List<PeerStatus> peers;
    private final List<BestRoute> bestRoutes;
    private final Map<String, Map<Prefix, RouteAttributes>> accepted;

    public FakeBgpService(
            List<PeerStatus> peers, List<BestRoute> bestRoutes, Map<String, Map<Prefix, RouteAttributes>> accepted) {
        super(null);
        this.peers = List.copyOf(peers);
        this.bestRoutes = List.copyOf(bestRoutes);
        this.accepted = accepted;
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public List<PeerStatus> peers() {
        return peers;
    }

    @Override
    public List<BestRoute> bestRoutes() {
        return bestRoutes;
    }

    @Override
    public Map<Prefix, RouteAttributes> acceptedRoutes(String peer) {
        return accepted.getOrDefault(peer, Map.of());
    }
}
