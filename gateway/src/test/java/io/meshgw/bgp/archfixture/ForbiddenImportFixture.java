package io.meshgw.bgp.archfixture;

import io.quarkus.runtime.StartupEvent;

/**
 * Test-only class that sits in bgp-speaker's package space and uses Quarkus, so that
 * ModuleBoundariesTest can prove its rule reports such a dependency.
 */
public final class ForbiddenImportFixture {
    public static Class<?> forbidden() {
        return StartupEvent.class;
    }

    private ForbiddenImportFixture() {}
}
