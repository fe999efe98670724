package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.AttachCalls;
import io.meshgw.bpf.libbpf.MapCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A tcx link (kernel 6.6+): a program on an interface's tc hook that coexists with other tcx
 * programs and with classic tc filters, which still run after it when it returns "next". A
 * pinned link outlives the process; on restart its program is swapped atomically.
 */
public final class TcxLink implements Attachment {

    private static final int EINVAL = 22;
    private static final int BPF_LINK_TYPE_TCX = 11;

    private final int fd;
    private final Attachment.Options options;
    private final boolean adopted;
    private boolean closed;

    private TcxLink(int fd, Attachment.Options options, boolean adopted) {
        this.fd = fd;
        this.options = options;
        this.adopted = adopted;
    }

    static TcxLink attach(int progFd, String program, int ifindex, Attachment.Options options) {
        return tryAttach(progFd, program, ifindex, options)
                .orElseThrow(() -> new BpfException("cannot attach " + program + " with tcx on " + options.ifName()
                        + ": this kernel has no tcx (6.6+); use mode TC"));
    }

    /** Empty when the kernel has no tcx; any other failure throws. */
    static Optional<TcxLink> tryAttach(int progFd, String program, int ifindex, Attachment.Options options) {
        if (options.pin().isPresent() && Files.exists(options.pin().get())) {
            return Optional.of(adopt(progFd, program, ifindex, options));
        }
        int type = options.direction() == Direction.INGRESS ? AttachCalls.BPF_TCX_INGRESS : AttachCalls.BPF_TCX_EGRESS;
        int fd = AttachCalls.linkCreate(progFd, ifindex, type);
        if (fd == -EINVAL) {
            return Optional.empty();
        }
        if (fd < 0) {
            throw new BpfException(
                    "bpf_link_create", program + " on " + options.ifName(), -fd, AttachCalls.strerror(fd));
        }
        if (options.pin().isPresent()) {
            try (Arena arena = Arena.ofConfined()) {
                MapCalls.pin(arena, fd, options.pin().get().toString());
            } catch (RuntimeException e) {
                MapCalls.close(fd);
                throw e;
            }
        }
        return Optional.of(new TcxLink(fd, options, false));
    }

    /** Re-adopts the link an earlier run pinned, checks it is ours, and swaps in the new program. */
    private static TcxLink adopt(int progFd, String program, int ifindex, Attachment.Options options) {
        Path pin = options.pin().orElseThrow();
        try (Arena arena = Arena.ofConfined()) {
            int fd = MapCalls.getPinned(arena, pin.toString());
            if (fd < 0) {
                throw new BpfException("bpf_obj_get", pin.toString(), -fd, MapCalls.strerror(-fd));
            }
            MemorySegment info = arena.allocate(MapCalls.INFO_SIZE, 8);
            MapCalls.info(arena, fd, info, pin.toString());
            int type = info.get(ValueLayout.JAVA_INT, 0);
            int linkIf = info.get(ValueLayout.JAVA_INT, 16);
            if (type != BPF_LINK_TYPE_TCX || linkIf != ifindex) {
                MapCalls.close(fd);
                throw new BpfException("the pin " + pin + " is a link of type " + type + " on ifindex " + linkIf
                        + ", not a tcx link on " + options.ifName() + " (ifindex " + ifindex
                        + "); it was left in place");
            }
            int rc = AttachCalls.linkUpdate(fd, progFd);
            if (rc < 0) {
                MapCalls.close(fd);
                throw new BpfException(
                        "bpf_link_update", program + " on " + options.ifName(), -rc, AttachCalls.strerror(rc));
            }
            return new TcxLink(fd, options, true);
        }
    }

    @Override
    public String describe() {
        return "tcx " + options.direction().name().toLowerCase() + " on " + options.ifName()
                + options.pin()
                        .map(p -> " (pinned at " + p + (adopted ? ", re-adopted)" : ")"))
                        .orElse("");
    }

    @Override
    public boolean adopted() {
        return adopted;
    }

    @Override
    public synchronized void detach() {
        if (closed) {
            return;
        }
        int rc = AttachCalls.linkDetach(fd);
        options.pin().ifPresent(p -> p.toFile().delete());
        close();
        if (rc < 0) {
            throw new BpfException("bpf_link_detach", options.ifName(), -rc, AttachCalls.strerror(rc));
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            MapCalls.close(fd);
        }
    }
}
