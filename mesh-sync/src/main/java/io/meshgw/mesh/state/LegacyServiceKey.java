package io.meshgw.mesh.state;

/** {@code legacy/<name>}: legacy prefixes this cluster learned over BGP and shares with the mesh. */
public record LegacyServiceKey(String name) implements StateKey {

    public LegacyServiceKey {
        NameRules.requireLabel("legacy service name", name);
    }

    @Override
    public String format() {
        return "legacy/" + name;
    }
}
