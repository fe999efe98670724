package io.meshgw.gateway.datapath;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.desired.RemoteBackend;
import io.meshgw.gateway.desired.TranslationPlanner;
import io.meshgw.operator.port.DatapathControl;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ServicePort;
import io.meshgw.operator.port.ServiceTranslation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The datapath as the operator drives it. The operator applies translations with local
 * backends and egress rules; remote backends come from mesh-sync. Any change to either side
 * recomputes the whole table (pure, {@link TranslationPlanner}) and the datapath writes only the
 * difference.
 */
@ApplicationScoped
public class DatapathPort implements DatapathControl {

    private static final Logger LOG = Logger.getLogger(DatapathPort.class);

    private final DatapathService datapath;
    private final int localCluster;
    private final Map<ObjectKey, ServiceTranslation> translations = new TreeMap<>();
    private final Map<ObjectKey, EgressRule> egress = new TreeMap<>();
    private BiFunction<ObjectKey, ServicePort, List<RemoteBackend>> remote = (s, p) -> List.of();
    private List<String> skipped = List.of();
    /**
     * Until the control plane's first pass has told us the local state, nothing is written: the
     * maps an earlier run pinned keep forwarding, instead of being emptied by a table that only
     * knows the remote backends.
     */
    private boolean released;

    private static final java.time.Duration COALESCE = java.time.Duration.ofMillis(20);
    private final java.util.concurrent.ScheduledExecutorService flusher =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("datapath-flush").factory());
    private boolean dirty;
    private boolean flushScheduled;

    DatapathPort(DatapathService datapath, GatewayConfig config) {
        this.datapath = datapath;
        this.localCluster = config.cluster().id();
    }

    /** Where remote backends come from (mesh-sync); called again whenever they change. */
    public synchronized void remoteBackends(BiFunction<ObjectKey, ServicePort, List<RemoteBackend>> source) {
        this.remote = source;
        rebuild();
    }

    @Override
    public synchronized void applyTranslation(ServiceTranslation translation) {
        translations.put(translation.service(), translation);
        rebuild();
    }

    @Override
    public synchronized void removeTranslation(ObjectKey service) {
        if (translations.remove(service) != null) {
            rebuild();
        }
    }

    @Override
    public synchronized Map<ObjectKey, ServiceTranslation> translations() {
        return Map.copyOf(translations);
    }

    @Override
    public synchronized void applyEgress(EgressRule rule) {
        egress.put(rule.identity(), rule);
        rebuild();
    }

    @Override
    public synchronized void removeEgress(ObjectKey identity) {
        if (egress.remove(identity) != null) {
            rebuild();
        }
    }

    @Override
    public synchronized Map<ObjectKey, EgressRule> egressRules() {
        return Map.copyOf(egress);
    }

    /** What could not be translated at the last rebuild, with the reason. */
    public synchronized List<String> skipped() {
        return skipped;
    }

    /** The local state is known: from now on every change is written. */
    public synchronized void release() {
        if (!released) {
            released = true;
            LOG.info("datapath: local state known, applying the translation table");
            dirty = true;
            flush();
        }
    }

    /** Releases after {@code delay} at the latest (a control plane without a first-pass signal). */
    public void releaseAfter(java.time.Duration delay) {
        Thread.ofPlatform().daemon().name("datapath-release").start(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            release();
        });
    }

    /**
     * A pass applies many translations one call at a time; recomputing the whole table for each
     * would make a pass quadratic. Changes are coalesced and written shortly after, or at once
     * when something needs them in the maps (an announcement: routes never lead traffic to a
     * VIP the datapath does not know yet).
     */
    private void rebuild() {
        if (!released) {
            return;
        }
        dirty = true;
        if (!flushScheduled) {
            flushScheduled = true;
            flusher.schedule(this::flush, COALESCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Writes pending changes now. */
    public synchronized void flush() {
        flushScheduled = false;
        if (!dirty || !released) {
            return;
        }
        dirty = false;
        TranslationPlanner.Plan plan =
                TranslationPlanner.plan(translations.values(), egress.values(), remote, localCluster);
        if (!plan.skipped().equals(skipped)) {
            plan.skipped().forEach(s -> LOG.warnf("not translated: %s", s));
        }
        skipped = plan.skipped();
        datapath.apply(plan.table());
    }
}
