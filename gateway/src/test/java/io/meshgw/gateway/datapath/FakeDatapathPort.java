package io.meshgw.gateway.datapath;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ServiceTranslation;
import jakarta.enterprise.inject.Vetoed;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator has applied to the datapath, as fixed values; nothing is written.
 *
 * <p>Vetoed: it inherits {@code @ApplicationScoped} and must not become a second bean;
 * {@code QuarkusMock} puts an instance in place of the real one for a test.
 */
@Vetoed
public class FakeDatapathPort extends DatapathPort {

    private final Map<ObjectKey, ServiceTranslation> translations;
    private final Map<ObjectKey, EgressRule> egress;

    public FakeDatapathPort(
            DatapathService datapath,
            GatewayConfig config,
            Map<ObjectKey, ServiceTranslation> translations,
            Map<ObjectKey, EgressRule> egress) {
        super(datapath, config);
        this.translations = new TreeMap<>(translations);
        this.egress = new TreeMap<>(egress);
    }

    @Override
    public Map<ObjectKey, ServiceTranslation> translations() {
        return translations;
    }

    @Override
    public Map<ObjectKey, EgressRule> egressRules() {
        return egress;
    }
}
