package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf.MapDef;
import java.nio.file.Path;

/**
 * A map pinned at the path this object wants was created with another layout or size. It is
 * never wiped automatically: it may be serving traffic for another version of the gateway.
 */
public final class IncompatiblePinException extends BpfException {
    private static final long serialVersionUID = 1L;

    public IncompatiblePinException(Path pin, MapDef pinned, MapDef wanted) {
        super("pinned map " + pin + " is incompatible with this build's " + wanted.name() + ": pinned "
                + describe(pinned) + ", wanted " + describe(wanted)
                + ". It was left in place; remove it (rm " + pin + ") once nothing uses it, or pin under another"
                + " directory");
    }

    private static String describe(MapDef d) {
        return "type " + d.type() + " key " + d.keySize() + "B value " + d.valueSize() + "B max_entries "
                + d.maxEntries() + " flags 0x" + Integer.toHexString(d.flags());
    }
}
