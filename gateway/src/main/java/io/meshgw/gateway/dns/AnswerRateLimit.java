package io.meshgw.gateway.dns;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Answers per client ({@link ClientKey}: an IPv4 address, an IPv6 /64), as token buckets: a client may send
 * {@code burst} queries at once and {@code perSecond} on average; what is over is not answered. Over UDP that
 * keeps the server from reflecting a flood at a forged source and from answering one client at the others'
 * expense. The table of buckets is bounded: the least recently seen client's bucket goes first, and a client that
 * comes back starts with a full one (lenient, never stricter).
 */
final class AnswerRateLimit {

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final DnsServer.AnswerLimits limits;
    private final LongSupplier nanos;
    private final Map<InetAddress, Bucket> buckets;

    AnswerRateLimit(DnsServer.AnswerLimits limits, LongSupplier nanos) {
        this.limits = limits;
        this.nanos = nanos;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > limits.clients();
            }
        };
    }

    /** Whether a query from {@code client} may be answered now; takes one token if so. */
    synchronized boolean admit(InetAddress client) {
        if (limits.perSecond() == 0) {
            return true;
        }
        long now = nanos.getAsLong();
        Bucket b = buckets.get(ClientKey.of(client));
        if (b == null) {
            buckets.put(ClientKey.of(client), new Bucket(limits.burst() - 1, now));
            return true;
        }
        b.tokens = Math.min(limits.burst(), b.tokens + (now - b.at) * limits.perSecond() / 1e9);
        b.at = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** Buckets held now (at most {@link DnsServer.AnswerLimits#clients}). */
    synchronized int clients() {
        return buckets.size();
    }
}
