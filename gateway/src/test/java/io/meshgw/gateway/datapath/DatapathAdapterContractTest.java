package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.PolicyRule;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.TableChange;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.port.DatapathTarget;
import io.meshgw.operator.port.DatapathTargetContract;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Ipv4Address;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The datapath adapter keeps the contract the operator's fake keeps, against a datapath that records the table it is
 * given (no kernel). The table is read back into the plan's terms here, so an entry the mapping loses, adds or leaves
 * behind fails the contract.
 */
class DatapathAdapterContractTest extends DatapathTargetContract {
    private TranslationTable given;
    private String refusal;
    /** Records what it is given, whole or as a change to what it holds, as the datapath service does without maps. */
    private final DatapathAdapter adapter = new DatapathAdapter(new DatapathTables() {
        @Override
        public void apply(TranslationTable table) {
            refuseIfAsked();
            given = table;
        }

        @Override
        public boolean apply(TableChange change) {
            refuseIfAsked();
            var services = new LinkedHashMap<String, ServiceTranslation>();
            given.services().forEach(s -> services.put(s.key(), s));
            change.removed().forEach(s -> services.remove(s.key()));
            change.put().forEach(s -> services.put(s.key(), s));
            given = change.others().withServices(List.copyOf(services.values()));
            return true;
        }

        @Override
        public void apply(io.meshgw.bpf.datapath.TunnelTable tunnels) {
            refuseIfAsked();
        }

        @Override
        public void apply(io.meshgw.bpf.datapath.SteeringTable steering) {
            refuseIfAsked();
        }

        private void refuseIfAsked() {
            if (refusal != null) {
                throw new IllegalStateException(refusal);
            }
        }
    });

    @Override
    protected DatapathTarget target() {
        return adapter;
    }

    @Override
    protected void refuseWrites(String why) {
        refusal = why;
    }

    @Override
    protected void acceptWrites() {
        refusal = null;
    }

    @Override
    protected Held held() {
        if (given == null) {
            return Held.NOTHING;
        }
        return new Held(
                given.services().stream()
                        .map(DatapathAdapterContractTest::service)
                        .collect(Collectors.toSet()),
                given.egress().stream().map(this::egress).collect(Collectors.toSet()));
    }

    private static HeldService service(ServiceTranslation s) {
        return new HeldService(
                IpAddress.of(s.vip()),
                s.port(),
                s.protocol(),
                s.identity(),
                s.backends().stream()
                        .map(b -> new HeldBackend(IpAddress.of(b.address()), b.port(), b.cluster(), b.local()))
                        .toList());
    }

    private HeldEgress egress(EgressTranslation e) {
        Set<IpAddress> pods = new HashSet<>();
        for (var p : given.identities()) {
            if (p.identity() == e.identity()) {
                var prefix = IpPrefix.covering(
                        new Ipv4Address(p.prefix().addr()), p.prefix().length());
                if (!prefix.host()) {
                    throw new AssertionError("identity " + e.identity() + " holds " + prefix + ", not a pod");
                }
                pods.add(prefix.address());
            }
        }
        Set<PortRule> allowed = new HashSet<>();
        boolean othersDenied = false;
        for (PolicyRule r : given.policies()) {
            if (r.identity() != e.identity() || r.direction() != PolicyRule.Direction.EGRESS) {
                continue;
            }
            if (r.protocol() == null) {
                othersDenied = r.verdict() == Verdict.DENY;
            } else if (r.verdict() == Verdict.ALLOW) {
                allowed.add(new PortRule(r.protocol(), r.port()));
            }
        }
        return new HeldEgress(
                e.identity(),
                IpAddress.of(e.sourceAddress()),
                e.destinations().stream()
                        .map(d -> IpPrefix.covering(new Ipv4Address(d.addr()), d.length()))
                        .toList(),
                pods,
                allowed,
                othersDenied);
    }
}
