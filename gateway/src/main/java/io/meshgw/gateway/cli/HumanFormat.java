package io.meshgw.gateway.cli;

import java.time.Duration;
import java.util.Locale;

/** How numbers, durations and flags read in the tables: short, exact, greppable. */
final class HumanFormat {

    static final String NONE = "-";

    private HumanFormat() {}

    /** 1234567 -> "1,234,567". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * The two most significant units, the way routers print uptimes: "3d4h", "4h12m", "12m5s",
     * "42s"; under a second in milliseconds ("850ms"). Zero second units are dropped ("3d").
     */
    static String duration(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO; // clock skew between gateway and terminal
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long[] amounts = {d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart()};
        String[] units = {"d", "h", "m", "s"};
        int first = 0;
        while (amounts[first] == 0) {
            first++;
        }
        String out = amounts[first] + units[first];
        if (first + 1 < amounts.length && amounts[first + 1] != 0) {
            out += amounts[first + 1] + units[first + 1];
        }
        return out;
    }

    static String durationMillis(long ms) {
        return duration(Duration.ofMillis(ms));
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static String orNone(Object o) {
        if (o == null) {
            return NONE;
        }
        String s = o.toString();
        return s.isBlank() ? NONE : s;
    }
}
