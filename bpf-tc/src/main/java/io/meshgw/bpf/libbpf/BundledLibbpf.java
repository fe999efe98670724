package io.meshgw.bpf.libbpf;

import io.meshgw.bpf.BpfException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The libbpf shared library that travels in this jar: extracted once into a private directory
 * and loaded from there, never whatever libbpf the host has. Its version is checked against the
 * one the bindings were written for.
 */
public final class BundledLibbpf {

    static final String LIBRARY = "/io/meshgw/bpf/native/libbpf.so";
    static final String PROPERTIES = "/io/meshgw/bpf/native/libbpf.properties";
    /** The libbpf release {@link Libbpf}'s bindings follow (struct layouts, symbols). */
    public static final String BOUND_VERSION = "1.1";

    private static volatile SymbolLookup lookup;

    private BundledLibbpf() {}

    /** The bundled library's symbols, loading it on first use. */
    public static SymbolLookup lookup() {
        SymbolLookup l = lookup;
        if (l == null) {
            synchronized (BundledLibbpf.class) {
                if (lookup == null) {
                    lookup = load();
                }
                l = lookup;
            }
        }
        return l;
    }

    /** The version recorded when the jar was built, e.g. {@code 1.1.2}. */
    public static String recordedVersion() {
        return recordedVersion(BundledLibbpf.class.getResourceAsStream(PROPERTIES));
    }

    static String recordedVersion(InputStream in) {
        if (in == null) {
            throw new BpfException("the bpf-tc jar has no " + PROPERTIES
                    + ": it was built without bundling libbpf (run scripts/setup.sh, then rebuild)");
        }
        try (in) {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank()) {
                throw new BpfException(PROPERTIES + " names no version");
            }
            return v;
        } catch (IOException e) {
            throw new BpfException("cannot read " + PROPERTIES + ": " + e.getMessage());
        }
    }

    private static SymbolLookup load() {
        String recorded = recordedVersion();
        if (!recorded.startsWith(BOUND_VERSION + ".") && !recorded.equals(BOUND_VERSION)) {
            throw new BpfException("bundled libbpf is " + recorded + " but the bindings were written for "
                    + BOUND_VERSION + ".x; rebuild bpf-tc against libbpf " + BOUND_VERSION);
        }
        Path file;
        try (InputStream in = BundledLibbpf.class.getResourceAsStream(LIBRARY)) {
            if (in == null) {
                throw new BpfException("the bpf-tc jar has no " + LIBRARY + ": rebuild it after scripts/setup.sh");
            }
            Path dir = Files.createTempDirectory(
                    "meshgw-libbpf-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            file = dir.resolve("libbpf.so." + recorded);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new BpfException("cannot extract the bundled libbpf: " + e.getMessage());
        }
        SymbolLookup l;
        try {
            l = SymbolLookup.libraryLookup(file, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BpfException("cannot load the bundled libbpf from " + file + ": " + e.getMessage());
        }
        int major = version(l, "libbpf_major_version");
        int minor = version(l, "libbpf_minor_version");
        if (!(major + "." + minor).equals(BOUND_VERSION)) {
            throw new BpfException("the loaded libbpf reports " + major + "." + minor + ", expected " + BOUND_VERSION);
        }
        return l;
    }

    private static int version(SymbolLookup l, String fn) {
        try {
            return (int) Linker.nativeLinker()
                    .downcallHandle(
                            l.find(fn).orElseThrow(() -> new BpfException("bundled libbpf lacks " + fn)),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT))
                    .invokeExact();
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new BpfException("calling " + fn + " failed: " + t);
        }
    }
}
