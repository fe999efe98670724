package io.meshgw.gateway.bgp;

import io.meshgw.bpf.fib.FibOptions;
import io.meshgw.bpf.fib.KernelFib;
import io.meshgw.bpf.fib.RouteInstaller;
import io.meshgw.gateway.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Installs the speaker's learned routes in this node's kernel routing table when {@code meshgw.kernel-routes.enabled}
 * ({@link LearnedRoutes}), and exports how many there are and which the kernel refused.
 */
@ApplicationScoped
public class KernelRoutesService {

    private static final Logger LOG = Logger.getLogger(KernelRoutesService.class);

    private final GatewayConfig config;
    private final BgpService bgp;
    private final MeterRegistry registry;
    /** The refusals a route write meets in practice, exported from the start (at 0) so alerts and panels find them. */
    private static final java.util.List<String> KNOWN_REFUSALS = java.util.List.of("EEXIST", "ENETUNREACH");

    private volatile LearnedRoutes routes;

    KernelRoutesService(GatewayConfig config, BgpService bgp, MeterRegistry registry) {
        this.config = config;
        this.bgp = bgp;
        this.registry = registry;
    }

    /** After the speaker started, before the control plane's first pass. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent ev) {
        // Registered whether or not routes are installed, so the dashboard's queries always find the series.
        Gauge.builder("meshgw_kernel_routes", this, KernelRoutesService::installed)
                .description("Learned routes installed in the kernel's routing table (0 with kernel-routes off)")
                .register(registry);
        FunctionCounter.builder("meshgw_kernel_route_changes", this, KernelRoutesService::changesApplied)
                .description("Kernel route additions, replacements and removals the kernel accepted")
                .register(registry);
        FunctionCounter.builder("meshgw_kernel_route_repairs", this, KernelRoutesService::repaired)
                .description("Routes the kernel lost behind meshgw (a link that went down, a manual change) and"
                        + " meshgw put back")
                .register(registry);
        for (String errno : KNOWN_REFUSALS) {
            refusals(errno);
        }
        GatewayConfig.KernelRoutes kr = config.kernelRoutes();
        if (!kr.enabled()) {
            return;
        }
        if (bgp.speaker().isEmpty()) {
            LOG.info("meshgw.kernel-routes.enabled is set but the BGP speaker is off: nothing to install");
            return;
        }
        FibOptions options = options(kr);
        if (kr.maxPaths() < 1) {
            throw new IllegalArgumentException(
                    "meshgw.kernel-routes.max-paths must be at least 1, was " + kr.maxPaths());
        }
        RouteInstaller installer = RouteInstaller.adopt(KernelFib.open(options), kr.maxPaths());
        routes = LearnedRoutes.start(
                bgp.speaker().get(),
                installer,
                kr.restartGrace(),
                kr.repairInterval(),
                f -> refusals(f.errnoName()).increment());
        LOG.infof(
                "installing learned routes in table %d with protocol %d, metric %d, up to %d paths",
                options.table(), options.protocol(), options.metric(), kr.maxPaths());
    }

    private Counter refusals(String errno) {
        return Counter.builder("meshgw_kernel_route_failures")
                .description("Kernel route changes the kernel refused, by errno (EEXIST: another protocol's route to"
                        + " the prefix; ENETUNREACH: a next hop on no connected network)")
                .tag("errno", errno)
                .register(registry);
    }

    double installed() {
        return routes == null ? 0 : routes.installed();
    }

    double changesApplied() {
        return routes == null ? 0 : routes.changesApplied();
    }

    double repaired() {
        return routes == null ? 0 : routes.repaired();
    }

    /** Before the speaker stops: its sessions closing must not take the routes out of the kernel. */
    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION + 400) ShutdownEvent ev) {
        if (routes != null) {
            routes.close(config.kernelRoutes().keepOnShutdown());
        }
    }

    /** The options from configuration, with messages that name the key at fault. */
    static FibOptions options(GatewayConfig.KernelRoutes kr) {
        try {
            return new FibOptions(kr.table(), kr.protocol(), kr.metric(), kr.batch(), kr.maxChangesPerSecond());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("meshgw.kernel-routes: " + e.getMessage(), e);
        }
    }
}
