package io.meshgw.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled libbpf loading a shipped program into this kernel and running it on a packet. */
class ProgramTestRunIT {

    @BeforeAll
    static void requireBpf() {
        assumeTrue("root".equals(System.getProperty("user.name")), "loading BPF programs needs root (CAP_BPF)");
    }

    static byte[] ipv4TcpPacket() {
        byte[] p = new byte[64];
        p[12] = 0x08; // EtherType IPv4
        p[14] = 0x45; // version 4, IHL 5
        p[23] = 6; // TCP
        return p;
    }

    @Test
    void theNoopProgramPassesAPacketUnchanged() {
        try (LoadedObject obj = LoadedObject.loadBundled("tc_noop")) {
            assertThat(obj.programFd("tc_noop")).isPositive();
            TestRun.Result r = obj.testRun("tc_noop", ipv4TcpPacket(), 1000);
            assertThat(r.retval()).as("TC_ACT_OK").isZero();
            assertThat(r.packetOut()).isEqualTo(ipv4TcpPacket());
            assertThat(r.nanosPerRun()).isPositive();
        }
    }

    @Test
    void aRejectedProgramReportsTheVerifierLog() throws Exception {
        byte[] elf;
        try (var in = ProgramTestRunIT.class.getResourceAsStream("/io/meshgw/bpf/progs/tc_unchecked_read.o")) {
            elf = in.readAllBytes();
        }
        assertThatThrownBy(() -> LoadedObject.load("tc_unchecked_read", elf))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("bpf_object__load(tc_unchecked_read) failed")
                .hasMessageContaining("verifier log:")
                .hasMessageContaining("invalid access to packet");
    }

    @Test
    void errorsNameTheCallAndTheErrno() {
        try (LoadedObject obj = LoadedObject.loadBundled("tc_noop")) {
            assertThatThrownBy(() -> obj.programFd("no_such_program"))
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("bpf_object__find_program_by_name(no_such_program)")
                    .hasMessageContaining("errno");
        }
        assertThatThrownBy(() -> LoadedObject.load("garbage", new byte[] {1, 2, 3, 4}))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("bpf_object__open_mem(garbage) failed");
    }
}
