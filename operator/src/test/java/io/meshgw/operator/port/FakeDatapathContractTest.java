package io.meshgw.operator.port;

/** The operator's fake datapath keeps the contract the gateway's datapath adapter keeps. */
class FakeDatapathContractTest extends DatapathTargetContract {
    private final FakeDatapath datapath = new FakeDatapath(new CallLog());

    @Override
    protected DatapathTarget target() {
        return datapath;
    }

    @Override
    protected Held held() {
        return Held.of(datapath.translations().values(), datapath.egressRules().values());
    }

    @Override
    protected void refuseWrites(String why) {
        datapath.refuse(why);
    }

    @Override
    protected void acceptWrites() {
        datapath.acceptWrites();
    }
}
