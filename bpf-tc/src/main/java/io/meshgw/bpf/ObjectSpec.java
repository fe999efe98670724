package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf;
import io.meshgw.bpf.libbpf.Libbpf.MapDef;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The blueprint of a BPF object, read from its ELF by libbpf and adjustable before load: map
 * sizes and where maps are pinned. By default nothing is pinned (the programs declare pinning
 * by name, which libbpf would otherwise put straight under /sys/fs/bpf); {@link #pinMapsUnder}
 * chooses the directory. {@link #load} hands everything to a {@link LoadedObject}.
 */
public final class ObjectSpec implements AutoCloseable {

    /** Room for the verifier's explanation of a rejected program. */
    private static final int VERIFIER_LOG_BYTES = 256 * 1024;

    private final String name;
    private final Arena arena;
    private final MemorySegment obj;
    private final MemorySegment verifierLog;
    private final Map<String, MemorySegment> maps = new LinkedHashMap<>();
    private final Map<String, Path> pins = new LinkedHashMap<>();
    private final Set<String> replaceable = new HashSet<>();
    private final Map<String, MapDef> replaced = new LinkedHashMap<>();
    private boolean consumed;

    private ObjectSpec(String name, byte[] elf) {
        this.name = name;
        this.arena = Arena.ofShared();
        try {
            MemorySegment buf = arena.allocate(elf.length, 8);
            MemorySegment.copy(elf, 0, buf, ValueLayout.JAVA_BYTE, 0, elf.length);
            this.verifierLog = arena.allocate(VERIFIER_LOG_BYTES);
            this.obj = Libbpf.openMem(arena, buf, name, verifierLog);
            for (MemorySegment m : Libbpf.maps(obj)) {
                String mapName = Libbpf.mapDef(m).name();
                maps.put(mapName, m);
                Libbpf.setPinPath(arena, m, mapName, null);
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Opens the ELF bytes (nothing reaches the kernel yet). */
    public static ObjectSpec of(String name, byte[] elf) {
        return new ObjectSpec(name, elf);
    }

    /** Opens one of the objects shipped in this jar, e.g. {@code mgw_tc}. */
    public static ObjectSpec bundled(String objectName) {
        String resource = "/io/meshgw/bpf/progs/" + objectName + ".o";
        try (InputStream in = ObjectSpec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("the bpf-tc jar has no " + resource);
            }
            return of(objectName, in.readAllBytes());
        } catch (IOException e) {
            throw new BpfException("cannot read " + resource + ": " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    /** The object's own maps (libbpf's internal .data/.rodata/.bss maps left out). */
    public List<MapDef> maps() {
        return maps.values().stream()
                .map(Libbpf::mapDef)
                .filter(d -> !d.name().contains("."))
                .toList();
    }

    public MapDef map(String mapName) {
        return Libbpf.mapDef(handle(mapName));
    }

    private MemorySegment handle(String mapName) {
        check();
        MemorySegment m = maps.get(mapName);
        if (m == null) {
            throw new BpfException("object " + name + " has no map " + mapName + "; it has " + maps.keySet());
        }
        return m;
    }

    public ObjectSpec maxEntries(String mapName, int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("max entries of " + mapName + " must be positive, not " + maxEntries);
        }
        Libbpf.setMaxEntries(handle(mapName), mapName, maxEntries);
        return this;
    }

    /**
     * Pins every map of the object as {@code dir/<map name>}: an existing compatible pin is
     * reused (its entries kept), an incompatible one fails {@link #load} with the reason.
     */
    public ObjectSpec pinMapsUnder(Path dir) {
        for (MapDef d : maps()) {
            Path path = dir.resolve(d.name());
            Libbpf.setPinPath(arena, handle(d.name()), d.name(), path.toString());
            pins.put(d.name(), path);
        }
        return this;
    }

    /**
     * Lets {@link #load} replace an incompatible pin of these maps instead of failing: the pin is removed and a map of
     * this build's layout and size is created and pinned in its place. The old map lives on, unpinned, for as long as
     * programs attached before use it. Only for maps whose entries may be lost (state the programs rebuild, such as
     * conntrack), never configuration.
     */
    public ObjectSpec replaceIncompatiblePins(Set<String> mapNames) {
        replaceable.addAll(mapNames);
        return this;
    }

    /** The pins {@link #load} replaced, by map name: what they were. */
    public Map<String, MapDef> replacedPins() {
        return Map.copyOf(replaced);
    }

    /** Loads maps (creating or reusing pins) and programs; the verifier's verdict surfaces here. */
    public LoadedObject load() {
        check();
        checkPins();
        try {
            Libbpf.load(arena, obj, name);
        } catch (BpfException e) {
            String verifier = verifierLog.getString(0).strip();
            if (verifier.isEmpty()) {
                throw e;
            }
            throw new BpfException(e.getMessage() + "\nverifier log:\n" + tail(verifier, 40));
        }
        consumed = true;
        return new LoadedObject(name, arena, obj, maps, Map.copyOf(pins));
    }

    /** Compares every existing pin with what this object would create, before libbpf does. */
    private void checkPins() {
        for (Map.Entry<String, Path> pin : pins.entrySet()) {
            if (!Files.exists(pin.getValue())) {
                continue;
            }
            MapDef want = map(pin.getKey());
            MapDef have = PinnedMap.describe(pin.getValue());
            if (have.type() != want.type()
                    || have.keySize() != want.keySize()
                    || have.valueSize() != want.valueSize()
                    || have.maxEntries() != want.maxEntries()
                    || have.flags() != want.flags()) {
                if (!replaceable.contains(pin.getKey())) {
                    throw new IncompatiblePinException(pin.getValue(), have, want);
                }
                try {
                    Files.delete(pin.getValue());
                } catch (IOException e) {
                    throw new BpfException("cannot remove the incompatible pin " + pin.getValue() + " to replace it: "
                            + e.getMessage());
                }
                replaced.put(pin.getKey(), have);
            }
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private void check() {
        if (consumed) {
            throw new IllegalStateException("object spec " + name + " was loaded or closed already");
        }
    }

    @Override
    public void close() {
        if (!consumed) {
            consumed = true;
            Libbpf.close(obj);
            arena.close();
        }
    }
}
