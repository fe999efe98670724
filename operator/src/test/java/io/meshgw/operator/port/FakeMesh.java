package io.meshgw.operator.port;

import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory mesh-sync: records what each plan publishes and unpublishes; tests set the other clusters' exports. */
public final class FakeMesh implements MeshTarget {
    private final CallLog calls;
    private final Map<ObjectKey, ExportedService> published = new TreeMap<>();
    private final List<RemoteExport> remote = new ArrayList<>();
    private final AtomicInteger remoteReads = new AtomicInteger();
    private boolean publishing;

    public FakeMesh(CallLog calls) {
        this.calls = calls;
    }

    @Override
    public synchronized void apply(Plan plan) {
        publishing = true;
        for (var key : List.copyOf(published.keySet())) {
            if (plan.exports().containsKey(key)) continue;
            calls.add("unpublish " + key);
            published.remove(key);
        }
        for (var e : plan.exports().values()) {
            if (Objects.equals(published.get(e.service()), e)) continue;
            calls.add("publish " + e.service());
            published.put(e.service(), e);
        }
    }

    @Override
    public synchronized void standBy() {
        publishing = false;
    }

    /** Whether this replica writes the topic: from its first plan until it stands by. */
    public synchronized boolean publishing() {
        return publishing;
    }

    /** Read once at the start of every pass, so tests can count passes. */
    @Override
    public synchronized List<RemoteExport> remoteExports() {
        remoteReads.incrementAndGet();
        return List.copyOf(remote);
    }

    public synchronized Map<ObjectKey, ExportedService> published() {
        return Map.copyOf(published);
    }

    public synchronized void remote(List<RemoteExport> exports) {
        remote.clear();
        remote.addAll(exports);
    }

    public int passes() {
        return remoteReads.get();
    }

    public List<String> calls() {
        return calls.all();
    }
}
