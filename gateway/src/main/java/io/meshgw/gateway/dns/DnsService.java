package io.meshgw.gateway.dns;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.NamesTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * LegacyService names over DNS in standalone mode ({@code meshgw.dns.*}): the control plane publishes the names
 * after each pass, the {@link DnsServer} answers from the latest table.
 */
@ApplicationScoped
public class DnsService implements NamesTarget {

    private static final Logger LOG = Logger.getLogger(DnsService.class);

    private final GatewayConfig config;
    private final MeterRegistry registry;
    private final Map<String, Counter> answers = new ConcurrentHashMap<>();
    private final Set<String> refused = new HashSet<>();
    private Counter dropped;
    private final Map<DnsAnswerer.Transport, Counter> limited = new ConcurrentHashMap<>();
    private DnsServer server;
    private volatile NameTable table;

    DnsService(GatewayConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** Before the control plane's first pass (which runs at a later startup priority). */
    void onStart(@Observes StartupEvent ev) throws IOException {
        var dns = config.dns();
        if (!dns.enabled()) return;
        if (!"standalone".equals(config.mode())) {
            throw new IllegalArgumentException("meshgw.dns.enabled=true needs meshgw.mode=standalone; in "
                    + config.mode() + " mode each LegacyService gets a headless Service and the cluster DNS"
                    + " answers <name>.<namespace>.svc for it");
        }
        String zone;
        try {
            zone = NameTable.zone(dns.zone());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("meshgw.dns.zone: " + e.getMessage(), e);
        }
        table = NameTable.empty(zone);
        dropped = Counter.builder("meshgw_dns_dropped")
                .description("DNS messages not answered: shorter than a header, or not a query")
                .register(registry);
        for (var transport : DnsAnswerer.Transport.values()) {
            limited.put(
                    transport,
                    Counter.builder("meshgw_dns_rate_limited")
                            .description("DNS queries not answered because their client (an IPv4 address, an IPv6"
                                    + " /64) was over meshgw.dns.rate-limit, by transport")
                            .tag("transport", transport.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        DnsServer.AnswerLimits answerLimits;
        try {
            answerLimits = new DnsServer.AnswerLimits(
                    dns.rateLimit().perSecond(), dns.rateLimit().burst(), DnsServer.AnswerLimits.DEFAULT.clients());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("meshgw.dns.rate-limit: " + e.getMessage(), e);
        }
        server = DnsServer.start(
                ListenAddress.parseAll("meshgw.dns.listen", dns.listen()),
                new DnsAnswerer(dns.ttlSeconds()),
                () -> table,
                new DnsServer.Listener() {
                    @Override
                    public void answered(DnsAnswerer.Answer answer, DnsAnswerer.Transport transport) {
                        count(answer, transport);
                    }

                    @Override
                    public void limited(DnsAnswerer.Transport transport) {
                        limited.get(transport).increment();
                    }
                },
                DnsServer.TcpLimits.DEFAULT,
                answerLimits);
        LOG.infof("DNS: authoritative for %s on %s (UDP and TCP)", zone, server.addresses());
    }

    /**
     * Replaces the names served; a no-op when DNS is off or nothing changed.
     *
     * @param names host names relative to the zone ({@code <service>.<namespace>}) and their addresses
     */
    public synchronized void publish(Map<String, List<InetAddress>> names) {
        NameTable current = table;
        if (current == null) return;
        var next = NameTable.of(current.zone(), names, current.serial());
        if (next.names().equals(current.names())) return;
        // RFC 1982 serial arithmetic only needs it to grow; seconds since the epoch grow and read as a date
        long serial = Math.max(current.serial() + 1, System.currentTimeMillis() / 1000);
        table = next.withSerial(serial);
        LOG.infof("DNS: %d name(s) in %s, serial %d", names.size(), current.zone(), serial);
    }

    /** Serves the plan's LegacyService names; a no-op when DNS is off (Kubernetes mode: the cluster DNS serves them). */
    @Override
    public void apply(Plan plan) {
        if (table == null) return;
        publish(LegacyNames.of(plan.legacyNames(), this::notServed));
    }

    /** Told of a name that cannot be served; says so once per name. */
    public synchronized void notServed(String name) {
        if (table != null && refused.add(name)) {
            LOG.warnf("DNS: '%s.%s' is not a host name (each label a DNS label); not served", name, table.zone());
        }
    }

    /** The table served now; null when DNS is off. */
    public NameTable table() {
        return table;
    }

    private void count(DnsAnswerer.Answer answer, DnsAnswerer.Transport transport) {
        if (answer == null) {
            dropped.increment();
            return;
        }
        answers.computeIfAbsent(
                        transport + "/" + answer.rcode(),
                        k -> Counter.builder("meshgw_dns_answers")
                                .description("DNS answers sent, by transport and response code")
                                .tag("transport", transport.name().toLowerCase(Locale.ROOT))
                                .tag("rcode", rcodeName(answer.rcode()))
                                .register(registry))
                .increment();
    }

    static String rcodeName(int rcode) {
        return switch (rcode) {
            case DnsAnswerer.NOERROR -> "NOERROR";
            case DnsAnswerer.FORMERR -> "FORMERR";
            case DnsAnswerer.NXDOMAIN -> "NXDOMAIN";
            case DnsAnswerer.NOTIMP -> "NOTIMP";
            case DnsAnswerer.REFUSED -> "REFUSED";
            case DnsAnswerer.BADVERS -> "BADVERS";
            default -> Integer.toString(rcode);
        };
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (server != null) server.close();
    }
}
