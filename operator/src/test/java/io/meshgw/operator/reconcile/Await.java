package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling: every wait in these tests has a deadline and says what it waited for. */
final class Await {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {}

    static void until(String what, BooleanSupplier condition) {
        value(what, condition::getAsBoolean, Boolean::booleanValue);
    }

    static <T> T value(String what, Supplier<T> read, Predicate<T> accept) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (last != null && accept.test(last)) return last;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what + "; last seen: " + last);
    }

    /**
     * Runs a read-modify-write of a test until it is not refused with 409: the operator writes status and finalizers
     * concurrently, and edits carry the resourceVersion they read.
     */
    static void write(String what, Runnable write) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || System.nanoTime() > deadline) throw e;
            }
        }
    }
}
