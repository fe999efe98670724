package io.meshgw.operator.model;

import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.types.IpAddress;

/** Rules a BgpPeer must satisfy beyond what the CRD's OpenAPI schema already enforces. */
public final class BgpPeerValidator {
    private BgpPeerValidator() {}

    /** The rules of the spec alone; the password Secret and the policies are other objects, checked by the model. */
    public static Validation validate(BgpPeerSpec spec) {
        var result = Asn.validate("spec.peerAsn", spec.peerAsn)
                .and(Asn.validate("spec.localAsn", spec.localAsn))
                .and(address("spec.peerAddress", spec.peerAddress, true))
                .and(address("spec.localAddress", spec.localAddress, false));
        if (spec.timers != null) {
            result = result.and(holdTime(spec.timers.holdTimeSeconds))
                    .and(atLeast("spec.timers.keepaliveSeconds", spec.timers.keepaliveSeconds, 0))
                    .and(atLeast("spec.timers.connectRetrySeconds", spec.timers.connectRetrySeconds, 1));
        }
        for (int i = 0; i < spec.maxPrefix.size(); i++) {
            var limit = spec.maxPrefix.get(i);
            var path = "spec.maxPrefix[" + i + "]";
            // The schema requires both; a file in standalone mode has no schema in front of it.
            if (limit.family == null) result = result.and(Validation.of(path + ".family", "is required"));
            if (limit.limit == null) result = result.and(Validation.of(path + ".limit", "is required"));
            result = result.and(warningPercent(path + ".warningPercent", limit.warningPercent));
        }
        return result;
    }

    static Validation address(String path, String text, boolean required) {
        if (text == null || text.isEmpty()) return required ? Validation.of(path, "is required") : Validation.OK;
        return IpAddress.tryParse(text).isPresent()
                ? Validation.OK
                : Validation.of(path, "'" + text + "' is not an IPv4 or IPv6 address");
    }

    /** RFC 4271 §4.2: the hold time MUST be either zero or at least three seconds. */
    static Validation holdTime(Integer seconds) {
        if (seconds == null || seconds == 0 || (seconds >= 3 && seconds <= 65535)) return Validation.OK;
        return Validation.of(
                "spec.timers.holdTimeSeconds", seconds + " is not a valid hold time (0 or 3..65535 seconds)");
    }

    /** What the schema's minimum says, for files read without a schema in front (standalone mode). */
    private static Validation atLeast(String path, Integer value, int min) {
        if (value == null || value >= min) return Validation.OK;
        return Validation.of(path, value + " is below the minimum " + min);
    }

    static Validation warningPercent(String path, Integer percent) {
        if (percent == null || (percent >= 1 && percent <= 100)) return Validation.OK;
        return Validation.of(path, percent + " is not a valid percentage (1..100)");
    }
}
