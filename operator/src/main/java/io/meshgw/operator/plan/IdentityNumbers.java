package io.meshgw.operator.plan;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Datapath identity numbers for named identities (an exported Service, an EgressIdentity). A number is a hash of
 * the name, so it is the same on every gateway and across restarts without any state; the rare collision is
 * resolved by probing, in name order, so the result is still a function of the set of names.
 */
public final class IdentityNumbers {

    /** Identities below this are reserved (0 = none). */
    public static final int FIRST = 256;

    private IdentityNumbers() {}

    public static Map<String, Integer> assign(Set<String> names) {
        // Without a collision every name keeps its hash, which is what probing in name order gives too; sorting the
        // names (the cost of a pass over a large table) is only needed when two hashes meet.
        Map<String, Integer> direct = new HashMap<>(names.size() * 2);
        Set<Integer> seen = new HashSet<>(names.size() * 2);
        boolean collided = false;
        for (String name : names) {
            int id = hash(name);
            if (!seen.add(id)) {
                collided = true;
                break;
            }
            direct.put(name, id);
        }
        if (!collided) {
            return direct;
        }
        SortedSet<String> ordered = new TreeSet<>(names);
        Set<Integer> used = new HashSet<>();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String name : ordered) {
            int id = hash(name);
            while (!used.add(id)) {
                id = id == Integer.MAX_VALUE ? FIRST : id + 1;
            }
            out.put(name, id);
        }
        return out;
    }

    /** FNV-1a over the UTF-8 name, folded into FIRST..2^31-1. */
    static int hash(String name) {
        int h = 0x811c9dc5;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        int v = h & 0x7fffffff;
        return v < FIRST ? v + FIRST : v;
    }

    /** The name of an exported Service's identity. */
    public static String service(io.meshgw.operator.port.ObjectKey service) {
        return "service:" + service;
    }

    /** The name of an EgressIdentity's identity. */
    public static String egress(io.meshgw.operator.port.ObjectKey identity) {
        return "egress:" + identity;
    }
}
