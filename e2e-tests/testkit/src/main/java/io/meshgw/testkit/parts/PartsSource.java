package io.meshgw.testkit.parts;

import java.util.Optional;
import java.util.function.Supplier;

/** Where a lab's routers and broker come from. */
public enum PartsSource {
    /** Processes of the host's FRR and of the Kafka jars, in network namespaces and on the host. */
    LOCAL,
    /** The FRR and Kafka images through Testcontainers, each container wired as a namespace. */
    CONTAINERS;

    /** The system property that chooses: {@code local}, {@code containers} or {@code auto}. */
    public static final String PROPERTY = "meshgw.e2e.parts";

    /**
     * Chooses from the property's value ({@code null} or blank means {@code auto}: containers
     * where a Docker engine answers, local processes elsewhere). {@code dockerAbsence} says why no
     * Docker engine is usable, or is empty when one is; it is asked only when the choice depends
     * on it.
     *
     * @throws IllegalStateException when containers are asked for and there is no Docker engine,
     *     naming what is missing
     * @throws IllegalArgumentException for a value that is none of the three
     */
    public static PartsSource choose(String value, Supplier<Optional<String>> dockerAbsence) {
        String v = value == null ? "" : value.strip();
        return switch (v) {
            case "local" -> LOCAL;
            case "containers" -> {
                Optional<String> absent = dockerAbsence.get();
                if (absent.isPresent()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=containers asks for the FRR and Kafka"
                            + " containers, but " + absent.get() + "; use -D" + PROPERTY
                            + "=local for the local processes");
                }
                yield CONTAINERS;
            }
            case "", "auto" -> dockerAbsence.get().isEmpty() ? CONTAINERS : LOCAL;
            default ->
                throw new IllegalArgumentException(
                        PROPERTY + " is '" + value + "'; it takes local, containers or auto");
        };
    }

    /**
     * The one line a run prints about its choice: what runs FRR and the broker, from which value, and why an
     * {@code auto} run went local.
     */
    public static String announcement(PartsSource chosen, String value, Optional<String> dockerAbsence) {
        String v = value == null || value.isBlank() ? "auto" : value.strip();
        String what = chosen == CONTAINERS ? "containers" : "local processes";
        String why = chosen == LOCAL && v.equals("auto")
                ? dockerAbsence.map(a -> ": " + a).orElse("")
                : "";
        return "[parts] FRR and the Kafka broker run as " + what + " (" + PROPERTY + "=" + v + why + ")";
    }
}
