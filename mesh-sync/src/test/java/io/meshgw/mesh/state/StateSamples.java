package io.meshgw.mesh.state;

import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/** Random but reproducible state values for property-style tests (seeded {@link Random}). */
public final class StateSamples {

    private final Random random;

    public StateSamples(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    public StateValue any(int cluster) {
        return switch (random.nextInt(5)) {
            case 0 -> service();
            case 1 -> slice(cluster);
            case 2 -> new GatewayAddress(subdomain(), addresses(1 + random.nextInt(3)));
            case 3 -> new Heartbeat(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)), label());
            default -> new SyncedMarker(1 + random.nextInt(1000), random.nextInt(100_000));
        };
    }

    public ServiceExport service() {
        List<ServicePort> ports = ports();
        Map<String, String> labels = new TreeMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            labels.put(
                    (random.nextBoolean() ? "app.kubernetes.io/" : "") + label(), random.nextBoolean() ? "" : label());
        }
        Optional<LegacyVip> vip = random.nextBoolean()
                ? Optional.of(new LegacyVip(address(), 1 + random.nextInt(65535)))
                : Optional.empty();
        Instant exportedAt =
                random.nextBoolean() ? Instant.EPOCH : Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L));
        return new ServiceExport(label(), label(), ports, labels, vip, exportedAt);
    }

    public EndpointSlice slice(int cluster) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            endpoints.add(new Endpoint(
                    addresses(1 + random.nextInt(2)),
                    random.nextBoolean(),
                    random.nextBoolean(),
                    random.nextBoolean(),
                    random.nextBoolean() ? Optional.of("zone-" + random.nextInt(5)) : Optional.empty(),
                    random.nextBoolean() ? Optional.of(subdomain()) : Optional.empty()));
        }
        return new EndpointSlice(label(), label(), subdomain(), cluster, ports(), endpoints);
    }

    List<ServicePort> ports() {
        List<ServicePort> ports = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            ports.add(new ServicePort(
                    random.nextBoolean() ? "" : label(),
                    random.nextBoolean() ? Protocol.TCP : Protocol.UDP,
                    1 + random.nextInt(65535)));
        }
        return ports;
    }

    public String label() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        int len = 1 + random.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            char c = alphabet.charAt(random.nextInt(i == 0 || i == len - 1 ? 36 : alphabet.length()));
            b.append(c);
        }
        return b.toString();
    }

    String subdomain() {
        return random.nextBoolean() ? label() : label() + "." + label();
    }

    List<InetAddress> addresses(int n) {
        List<InetAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(address());
        }
        return out;
    }

    InetAddress address() {
        byte[] b = new byte[random.nextInt(4) == 0 ? 16 : 4];
        random.nextBytes(b);
        if (b.length == 16) {
            b[0] = (byte) 0xfd; // never IPv4-mapped, which Java turns into an Inet4Address
        }
        return byAddress(b);
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
