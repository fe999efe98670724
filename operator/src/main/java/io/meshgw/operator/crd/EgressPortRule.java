package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A destination port on the legacy side that an EgressIdentity's pods may reach. */
public class EgressPortRule {
    /** {@code TCP} or {@code UDP}. */
    @JsonPropertyDescription("TCP or UDP. Default TCP.")
    @Pattern("^(TCP|UDP)$")
    @Default("TCP")
    public String protocol = "TCP";

    @JsonPropertyDescription("Destination port, 1..65535.")
    @Required
    @Min(1)
    @Max(65535)
    public Integer port;

    public EgressPortRule() {}

    public EgressPortRule(String protocol, Integer port) {
        this.protocol = protocol;
        this.port = port;
    }
}
