package io.meshgw.operator.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory mesh-sync: records what is published; tests set the remote clusters' exports. */
public final class FakeMesh implements MeshControl {
    public FakeMesh(CallLog calls) {
        this.calls = calls;
    }

    private final CallLog calls;
    private final Map<ObjectKey, ExportedService> published = new TreeMap<>();
    private final List<RemoteExport> remote = new ArrayList<>();
    private final AtomicInteger remoteReads = new AtomicInteger();

    @Override
    public synchronized void publish(ExportedService service) {
        calls.add("publish " + service.service());
        published.put(service.service(), service);
    }

    @Override
    public synchronized void unpublish(ObjectKey service) {
        calls.add("unpublish " + service);
        published.remove(service);
    }

    @Override
    public synchronized Map<ObjectKey, ExportedService> published() {
        return Map.copyOf(published);
    }

    /** Read once at the start of every pass, so tests can count passes. */
    @Override
    public synchronized List<RemoteExport> remoteExports() {
        remoteReads.incrementAndGet();
        return List.copyOf(remote);
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
