package io.meshgw.operator.port;

import java.util.ArrayList;
import java.util.List;

/** The calls the fakes received, in order across all of them, e.g. {@code announce 192.0.2.0/32}. */
public final class CallLog {
    private final List<String> calls = new ArrayList<>();

    synchronized void add(String call) {
        calls.add(call);
    }

    public synchronized List<String> all() {
        return List.copyOf(calls);
    }

    public synchronized long count(String call) {
        return calls.stream().filter(call::equals).count();
    }
}
