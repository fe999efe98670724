package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

public class LegacyServiceSpec {
    /** Routes matching any prefix entry and carrying every listed community are selected. */
    public List<PrefixMatch> prefixes = new ArrayList<>();

    public List<String> communities = new ArrayList<>();
    public List<String> largeCommunities = new ArrayList<>();

    /**
     * Host addresses (IPv4 or IPv6, no prefix length) of the legacy service. The name resolves to those a selected
     * route covers; when empty, to the addresses of the selected host routes (/32, /128).
     */
    public List<String> addresses = new ArrayList<>();

    @Required
    public List<Port> ports = new ArrayList<>();

    public enum Protocol {
        TCP,
        UDP
    }

    public static class Port {
        public String name;

        @Required
        @Min(1)
        @Max(65535)
        public Integer port;

        public Protocol protocol = Protocol.TCP;
    }
}
