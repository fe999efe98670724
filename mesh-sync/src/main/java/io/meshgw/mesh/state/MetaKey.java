package io.meshgw.mesh.state;

/** Keys about the topic itself rather than about an object; never deleted. */
public enum MetaKey implements StateKey {
    /** {@code meta/heartbeat}: the publisher is alive. */
    HEARTBEAT("meta/heartbeat"),
    /** {@code meta/synced}: the publisher's start-up snapshot is complete. */
    SYNCED("meta/synced");

    private final String text;

    MetaKey(String text) {
        this.text = text;
    }

    @Override
    public String format() {
        return text;
    }

    @Override
    public boolean deletable() {
        return false;
    }
}
