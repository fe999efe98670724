package io.meshgw.operator.reconcile;

import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.CallLog;
import io.meshgw.operator.port.FakeBgp;
import io.meshgw.operator.port.FakeDatapath;
import io.meshgw.operator.port.FakeMesh;
import io.meshgw.operator.port.NamesTarget;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The three fakes sharing one call log, so tests can check the order of calls across engines, and the plans the
 * observer was told about.
 */
public record FakeGateway(CallLog log, FakeBgp bgp, FakeDatapath datapath, FakeMesh mesh, List<Plan> passes) {
    public static FakeGateway create() {
        var log = new CallLog();
        return new FakeGateway(
                log, new FakeBgp(log), new FakeDatapath(log), new FakeMesh(log), new CopyOnWriteArrayList<>());
    }

    public GatewayPorts ports() {
        return new GatewayPorts(
                bgp, datapath, mesh, NamesTarget.NONE, Capabilities.DATAPATH, (plan, took) -> passes.add(plan));
    }
}
