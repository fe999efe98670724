package io.meshgw.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;

/** A container's environment and mounts, looked up by name. */
record Env(List<EnvVar> vars) {
    static Env of(Container container) {
        return new Env(container.getEnv());
    }

    List<String> names() {
        return vars.stream().map(EnvVar::getName).toList();
    }

    EnvVar get(String name) {
        return vars.stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no environment variable " + name + " in " + names()));
    }

    String value(String name) {
        return get(name).getValue();
    }

    /** The volume mounted at {@code path} in the container. */
    static Volume mountOf(PodSpec pod, Container container, String path) {
        String volume = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + path))
                .getName();
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(volume))
                .findFirst()
                .orElseThrow(() -> new AssertionError("mount " + path + " names no volume " + volume));
    }
}
