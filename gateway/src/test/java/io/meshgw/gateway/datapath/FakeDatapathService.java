package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.ConntrackEntry;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.TranslationTable;
import jakarta.enterprise.inject.Vetoed;
import java.util.List;
import java.util.Map;

/**
 * The datapath's state as fixed values: what {@link DatapathService} reads from the kernel's
 * maps, without them. Only the reads are replaced, so its views of that state are the real ones.
 *
 * <p>Vetoed: it inherits {@code @ApplicationScoped} and must not become a second bean;
 * {@code QuarkusMock} puts an instance in place of the real one for a test.
 */
@Vetoed
public class FakeDatapathService extends DatapathService {

    private final TranslationTable applied;
    private final List<String> attachments;
    private final Map<Counter, CounterValue> counters;
    private final List<ConntrackEntry> conntrack;

    public FakeDatapathService(
            TranslationTable applied,
            List<String> attachments,
            Map<Counter, CounterValue> counters,
            List<ConntrackEntry> conntrack) {
        super(null, null);
        this.applied = applied;
        this.attachments = List.copyOf(attachments);
        this.counters = counters;
        this.conntrack = List.copyOf(conntrack);
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public TranslationTable applied() {
        return applied;
    }

    @Override
    public List<String> attachments() {
        return attachments;
    }

    @Override
    public Map<Counter, CounterValue> counters() {
        return counters;
    }

    /** The first {@code limit} entries, as the kernel's map would give them. */
    @Override
    public List<ConntrackEntry> conntrack(int limit) {
        return conntrack.subList(0, Math.min(limit, conntrack.size()));
    }
}
