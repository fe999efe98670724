package io.meshgw.bpf.datapath;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.types.Protocol;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the {@code BPF_PROG_TEST_RUN} tests share: one datapath per class, loaded but not attached (root only), the
 * tc verdicts, the addresses of their made-up topology, and the table most of them start from.
 */
abstract class DetachedDatapath {

    static final int TC_ACT_UNSPEC = -1;
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;
    static final String VIP = "198.51.100.10";
    static final String CLIENT = "192.0.2.5";
    static final String BACKEND = "10.1.0.10";
    static final String POD = "10.1.0.20";
    static final String EGRESS = "203.0.113.7";

    static Datapath dp;

    @BeforeAll
    static void load() {
        dp = open(Datapath.OBJECT);
    }

    @AfterAll
    static void close() {
        if (dp != null) {
            dp.close();
        }
    }

    /** @param object the product's programs ({@link Datapath#OBJECT}) or a test build of them */
    static Datapath open(String object) {
        assumeTrue("root".equals(System.getProperty("user.name")), "loading BPF programs needs root (CAP_BPF)");
        return Datapath.open(DatapathOptions.detached(), object);
    }

    /**
     * TCP 80 and UDP 53 of the VIP to the backend (8080, 5353), and the pods of 10.1.0.0/24 (identity 7) out to
     * 192.0.2.0/24 from the egress address, ports 40000 to {@code lastEgressPort}.
     */
    static TranslationTable webDnsAndEgress(int lastEgressPort) {
        return TranslationTable.EMPTY
                .withServices(List.of(
                        new ServiceTranslation(
                                Ipv4.parse(VIP),
                                80,
                                Protocol.TCP,
                                100,
                                List.of(new Backend(Ipv4.parse(BACKEND), 8080, 1, true))),
                        new ServiceTranslation(
                                Ipv4.parse(VIP),
                                53,
                                Protocol.UDP,
                                100,
                                List.of(new Backend(Ipv4.parse(BACKEND), 5353, 1, true)))))
                .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
                .withEgress(List.of(new EgressTranslation(
                        7, Ipv4.parse(EGRESS), 40000, lastEgressPort, List.of(Ipv4Prefix.parse("192.0.2.0/24")))));
    }

    static long count(Counter c) {
        return dp.counters().get(c).packets();
    }
}
