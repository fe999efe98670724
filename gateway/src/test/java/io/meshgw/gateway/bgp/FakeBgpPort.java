package io.meshgw.gateway.bgp;

import io.meshgw.operator.port.Announcement;
import jakarta.enterprise.inject.Vetoed;
import java.util.Map;

/**
 * What the operator has announced, as fixed values; nothing reaches a speaker.
 *
 * <p>Vetoed: it inherits {@code @ApplicationScoped} and must not become a second bean;
 * {@code QuarkusMock} puts an instance in place of the real one for a test.
 */
@Vetoed
public class FakeBgpPort extends BgpPort {

    private final Map<String, Announcement> announced;

    public FakeBgpPort(BgpService bgp, Map<String, Announcement> announced) {
        super(bgp);
        this.announced = Map.copyOf(announced);
    }

    @Override
    public Map<String, Announcement> announcements() {
        return announced;
    }
}
