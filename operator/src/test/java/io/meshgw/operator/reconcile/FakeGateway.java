package io.meshgw.operator.reconcile;

import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.port.CallLog;
import io.meshgw.operator.port.FakeBgp;
import io.meshgw.operator.port.FakeDatapath;
import io.meshgw.operator.port.FakeMesh;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The three fakes sharing one call log, so tests can check the order of calls across ports, and the passes the
 * observer was told about.
 */
record FakeGateway(CallLog log, FakeBgp bgp, FakeDatapath datapath, FakeMesh mesh, List<DesiredState> passes) {
    static FakeGateway create() {
        var log = new CallLog();
        return new FakeGateway(
                log, new FakeBgp(log), new FakeDatapath(log), new FakeMesh(log), new CopyOnWriteArrayList<>());
    }

    GatewayPorts ports() {
        return new GatewayPorts(bgp, bgp, datapath, mesh, (state, took) -> passes.add(state));
    }
}
