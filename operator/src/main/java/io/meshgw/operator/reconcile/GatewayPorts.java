package io.meshgw.operator.reconcile;

import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.port.BgpTarget;
import io.meshgw.operator.port.DatapathTarget;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.NamesTarget;

/**
 * The gateway's engines as the operator sees them: where each pass's plan goes, where its inputs come from, what
 * the engines can do, and who hears about each pass.
 */
public record GatewayPorts(
        BgpTarget bgp,
        DatapathTarget datapath,
        MeshTarget mesh,
        NamesTarget names,
        Capabilities capabilities,
        PassObserver passes) {}
