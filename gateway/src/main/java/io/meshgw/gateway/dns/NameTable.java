package io.meshgw.gateway.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The names this server is authoritative for: one zone and the host names in it, each with its addresses.
 * Immutable; the server swaps in a new table after each control-plane pass.
 */
public final class NameTable {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Comparator<InetAddress> BY_BYTES =
            (a, b) -> Arrays.compareUnsigned(a.getAddress(), b.getAddress());

    private final String zone;
    private final List<String> zoneLabels;
    private final Map<String, List<InetAddress>> names;
    private final Set<String> interior;
    private final long serial;

    private NameTable(String zone, Map<String, List<InetAddress>> names, long serial) {
        this.zone = zone;
        this.zoneLabels = List.of(zone.split("\\."));
        this.names = names;
        this.serial = serial;
        this.interior = new HashSet<>();
        for (String name : names.keySet()) {
            // every name between a host name and the zone exists as an empty non-terminal (RFC 8020)
            String n = name;
            while (!n.equals(zone)) {
                n = n.substring(n.indexOf('.') + 1);
                interior.add(n);
            }
        }
    }

    /** A table with no names yet: the zone answers, every name in it is NXDOMAIN. */
    public static NameTable empty(String zone) {
        return new NameTable(zone(zone), Map.of(), 0);
    }

    /**
     * @param names host names relative to the zone (e.g. {@code db.legacy}) and their addresses
     * @param serial the SOA serial; it should grow with each new table so caches can tell them apart
     */
    public static NameTable of(String zone, Map<String, List<InetAddress>> names, long serial) {
        String z = zone(zone);
        var absolute = new TreeMap<String, List<InetAddress>>();
        for (var e : names.entrySet()) {
            String relative = e.getKey().toLowerCase(Locale.ROOT);
            for (String label : relative.split("\\.", -1)) {
                if (!LABEL.matcher(label).matches()) {
                    throw new IllegalArgumentException(
                            "'" + e.getKey() + "' is not a host name: label '" + label + "' is not a DNS label");
                }
            }
            var addresses = new ArrayList<>(e.getValue());
            addresses.sort(BY_BYTES);
            absolute.put(relative + "." + z, List.copyOf(addresses));
        }
        return new NameTable(z, absolute, serial);
    }

    /** Whether {@code relative} ({@code <service>.<namespace>}) can be a host name in a zone. */
    public static boolean isHostName(String relative) {
        for (String label : relative.toLowerCase(Locale.ROOT).split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    /** The same names under another SOA serial. */
    public NameTable withSerial(long newSerial) {
        return new NameTable(zone, names, newSerial);
    }

    /**
     * Checks a zone name as configured: lower-cased, without the final dot.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String zone(String zone) {
        String z = zone.strip().toLowerCase(Locale.ROOT);
        if (z.endsWith(".")) z = z.substring(0, z.length() - 1);
        if (z.isEmpty()) {
            throw new IllegalArgumentException("the DNS zone is empty; name one, e.g. meshgw.internal");
        }
        if (z.length() > 200) {
            throw new IllegalArgumentException("the DNS zone '" + zone + "' is longer than 200 characters");
        }
        for (String label : z.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException(
                        "the DNS zone '" + zone + "' has label '" + label + "', which is not a DNS label");
            }
        }
        return z;
    }

    public String zone() {
        return zone;
    }

    int zoneLabelCount() {
        return zoneLabels.size();
    }

    public long serial() {
        return serial;
    }

    /** Every host name (absolute, without the final dot) and its addresses, sorted by name. */
    public Map<String, List<InetAddress>> names() {
        return names;
    }

    /** What the table holds for a question name (lower-case labels). */
    public Lookup lookup(List<String> labels) {
        if (labels.size() < zoneLabels.size()
                || !labels.subList(labels.size() - zoneLabels.size(), labels.size())
                        .equals(zoneLabels)) {
            return new Lookup.OutOfZone();
        }
        if (labels.size() == zoneLabels.size()) return new Lookup.Apex();
        // A label may hold any byte, a dot too: "billing\\.legacy" is one label and no host here.
        if (labels.stream().anyMatch(l -> l.indexOf('.') >= 0)) return new Lookup.NoSuchName();
        String name = String.join(".", labels);
        var addresses = names.get(name);
        if (addresses != null) return new Lookup.Host(addresses);
        return interior.contains(name) ? new Lookup.EmptyNonTerminal() : new Lookup.NoSuchName();
    }

    public sealed interface Lookup {
        /** Not below this zone: refused, since this server does not recurse. */
        record OutOfZone() implements Lookup {}

        /** The zone itself: it has an SOA and nothing else. */
        record Apex() implements Lookup {}

        /** A host name; its addresses may be empty while no route covers them. */
        record Host(List<InetAddress> addresses) implements Lookup {}

        /** A name with host names below it but no records of its own (e.g. a namespace). */
        record EmptyNonTerminal() implements Lookup {}

        record NoSuchName() implements Lookup {}
    }
}
