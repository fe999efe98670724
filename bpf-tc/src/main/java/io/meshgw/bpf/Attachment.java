package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.AttachCalls;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A program attached to an interface's tc ingress or egress hook. {@link #close} releases this
 * process's hold (a pinned tcx link and a cls_bpf filter stay attached, so forwarding survives
 * a restart); {@link #detach} takes the program off the interface.
 */
public sealed interface Attachment extends AutoCloseable permits TcxLink, TcFilter {

    enum Direction {
        INGRESS,
        EGRESS
    }

    /** How to attach: tcx where the kernel has it (else clsact + cls_bpf), or one of them only. */
    enum Mode {
        AUTO,
        TCX,
        TC
    }

    /**
     * Where and how to attach.
     *
     * @param pin for tcx, where the link is pinned (and re-adopted from on restart)
     */
    record Options(String ifName, Direction direction, Mode mode, Optional<Path> pin) {
        public Options {
            if (ifName == null || ifName.isBlank()) {
                throw new IllegalArgumentException("an attachment needs an interface name");
            }
        }

        public static Options of(String ifName, Direction direction) {
            return new Options(ifName, direction, Mode.AUTO, Optional.empty());
        }

        public Options withMode(Mode m) {
            return new Options(ifName, direction, m, pin);
        }

        public Options withPin(Path p) {
            return new Options(ifName, direction, mode, Optional.of(p));
        }
    }

    /** Attaches {@code progFd} as {@code options} say; the interface is looked up in this thread's netns. */
    static Attachment attach(int progFd, String program, Options options) {
        int ifindex = AttachCalls.ifindex(options.ifName());
        if (ifindex <= 0) {
            throw new BpfException(
                    "cannot attach " + program + ": no interface " + options.ifName() + " in this network namespace");
        }
        return switch (options.mode()) {
            case TCX -> TcxLink.attach(progFd, program, ifindex, options);
            case TC -> TcFilter.attach(progFd, program, ifindex, options);
            case AUTO -> {
                Optional<TcxLink> link = TcxLink.tryAttach(progFd, program, ifindex, options);
                yield link.isPresent() ? link.get() : TcFilter.attach(progFd, program, ifindex, options);
            }
        };
    }

    /** For status output: "tcx ingress on eth0 (pinned, re-adopted)". */
    String describe();

    /** True when this attachment took over one left by an earlier run. */
    boolean adopted();

    void detach();

    @Override
    void close();
}
