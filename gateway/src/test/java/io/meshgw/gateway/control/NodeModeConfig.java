package io.meshgw.gateway.control;

import io.meshgw.gateway.GatewayConfig;

/** Reaches {@link ControlPlane}'s package-private checks from tests in other packages. */
public final class NodeModeConfig {
    private NodeModeConfig() {}

    public static void refuseGatewayEngines(GatewayConfig config) {
        ControlPlane.refuseGatewayEngines(config);
    }
}
