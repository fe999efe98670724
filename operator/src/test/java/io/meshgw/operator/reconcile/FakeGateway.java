package io.meshgw.operator.reconcile;

import io.meshgw.operator.port.CallLog;
import io.meshgw.operator.port.FakeBgp;
import io.meshgw.operator.port.FakeDatapath;
import io.meshgw.operator.port.FakeMesh;

/** The three fakes sharing one call log, so tests can check the order of calls across ports. */
record FakeGateway(CallLog log, FakeBgp bgp, FakeDatapath datapath, FakeMesh mesh) {
    static FakeGateway create() {
        var log = new CallLog();
        return new FakeGateway(log, new FakeBgp(log), new FakeDatapath(log), new FakeMesh(log));
    }

    GatewayPorts ports() {
        return new GatewayPorts(bgp, bgp, datapath, mesh);
    }
}
