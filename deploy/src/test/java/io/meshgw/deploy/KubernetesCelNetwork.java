package io.meshgw.deploy;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The IP and CIDR functions of the Kubernetes CEL library (k8s.io/apiserver/pkg/cel/library, ip.go and cidr.go;
 * Kubernetes 1.30 and later) for cel-java, which has none of them: the API server evaluates a CRD's
 * {@code x-kubernetes-validations} with them, so the tests must too.
 *
 * <p>Faithful to the Kubernetes semantics for the functions implemented: addresses are parsed as Go's
 * {@code netip.ParseAddr} parses them (IPv4 as four decimal fields without leading zeros, IPv6 with at most one
 * {@code ::} and an optional trailing dotted IPv4), and then, as Kubernetes does, a zone ({@code %eth0}) and an
 * IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) are refused; a CIDR is parsed as {@code netip.ParsePrefix}
 * parses it (a {@code /}, a length without sign or leading zero, at most 32 or 128), and its host bits may be set.
 * {@code ip()} and {@code cidr()} of text that does not parse are evaluation errors, as in Kubernetes.
 *
 * <p>Implemented: {@code isIP(string)}, {@code ip(string)}, {@code <IP>.family()}, {@code isCIDR(string)},
 * {@code cidr(string)}, {@code <CIDR>.ip()}, {@code <CIDR>.prefixLength()}, {@code <CIDR>.masked()},
 * {@code <CIDR>.containsIP(<IP> or string)}, and {@code ==} on IPs and CIDRs (address and length, as written: a CIDR
 * equals its {@code masked()} only when its host bits are zero). Not implemented, so that a rule using them fails to
 * compile here rather than pass untested: {@code containsCIDR}, the {@code is...()} address classes,
 * {@code isCanonical}, and {@code string()} of an IP or CIDR.
 */
final class KubernetesCelNetwork {
    static final OpaqueType IP_TYPE = OpaqueType.create("net.IP");
    static final OpaqueType CIDR_TYPE = OpaqueType.create("net.CIDR");

    /** An address: 4 or 6, and its value as an unsigned number of 32 or 128 bits. */
    record Ip(int family, BigInteger value) {
        int bits() {
            return family == 4 ? 32 : 128;
        }
    }

    /** A CIDR as written: the address (host bits possibly set) and the prefix length. */
    record Cidr(Ip ip, int length) {
        Cidr masked() {
            BigInteger hostMask = BigInteger.ONE.shiftLeft(ip.bits() - length).subtract(BigInteger.ONE);
            return new Cidr(new Ip(ip.family(), ip.value().andNot(hostMask)), length);
        }

        boolean contains(Ip address) {
            if (address.family() != ip.family()) return false;
            int shift = ip.bits() - length;
            return address.value().shiftRight(shift).equals(ip.value().shiftRight(shift));
        }
    }

    private KubernetesCelNetwork() {}

    static List<CelFunctionDecl> declarations() {
        return List.of(
                CelFunctionDecl.newFunctionDeclaration(
                        "isIP", CelOverloadDecl.newGlobalOverload("is_ip", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        "ip",
                        CelOverloadDecl.newGlobalOverload("string_to_ip", IP_TYPE, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_ip", IP_TYPE, CIDR_TYPE)),
                CelFunctionDecl.newFunctionDeclaration(
                        "family", CelOverloadDecl.newMemberOverload("ip_family", SimpleType.INT, IP_TYPE)),
                CelFunctionDecl.newFunctionDeclaration(
                        "isCIDR", CelOverloadDecl.newGlobalOverload("is_cidr", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        "cidr", CelOverloadDecl.newGlobalOverload("string_to_cidr", CIDR_TYPE, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        "prefixLength",
                        CelOverloadDecl.newMemberOverload("cidr_prefix_length", SimpleType.INT, CIDR_TYPE)),
                CelFunctionDecl.newFunctionDeclaration(
                        "masked", CelOverloadDecl.newMemberOverload("cidr_masked", CIDR_TYPE, CIDR_TYPE)),
                CelFunctionDecl.newFunctionDeclaration(
                        "containsIP",
                        CelOverloadDecl.newMemberOverload(
                                "cidr_contains_ip_string", SimpleType.BOOL, CIDR_TYPE, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_contains_ip_ip", SimpleType.BOOL, CIDR_TYPE, IP_TYPE)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("is_ip", String.class, s -> parseIp(s).isPresent()),
                CelFunctionBinding.from("string_to_ip", String.class, KubernetesCelNetwork::ip),
                CelFunctionBinding.from("cidr_ip", Cidr.class, Cidr::ip),
                CelFunctionBinding.from("ip_family", Ip.class, ip -> (long) ip.family()),
                CelFunctionBinding.from(
                        "is_cidr", String.class, s -> parseCidr(s).isPresent()),
                CelFunctionBinding.from("string_to_cidr", String.class, KubernetesCelNetwork::cidr),
                CelFunctionBinding.from("cidr_prefix_length", Cidr.class, c -> (long) c.length()),
                CelFunctionBinding.from("cidr_masked", Cidr.class, Cidr::masked),
                CelFunctionBinding.from(
                        "cidr_contains_ip_string", Cidr.class, String.class, (c, s) -> c.contains(ip(s))),
                CelFunctionBinding.from("cidr_contains_ip_ip", Cidr.class, Ip.class, Cidr::contains));
    }

    private static Ip ip(String text) throws CelEvaluationException {
        return parseIp(text)
                .orElseThrow(() -> new CelEvaluationException("IP Address '" + text + "' parse error during conversion"
                        + " from string (not an IPv4 or IPv6 address, or a zone or IPv4-mapped IPv6 address)"));
    }

    private static Cidr cidr(String text) throws CelEvaluationException {
        return parseCidr(text)
                .orElseThrow(() -> new CelEvaluationException(
                        "network address parse error during conversion from string: '" + text + "'"));
    }

    /** netip.ParseAddr, then Kubernetes' refusal of zones and IPv4-mapped IPv6 addresses. */
    static Optional<Ip> parseIp(String s) {
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case '.' -> {
                    return parseIpv4(s).map(v -> new Ip(4, v));
                }
                case ':' -> {
                    // A zone parses in Go (netip keeps it); Kubernetes refuses every address that has one.
                    if (s.indexOf('%') >= 0) return Optional.empty();
                    return parseIpv6(s)
                            .filter(v -> !v.shiftRight(32).equals(BigInteger.valueOf(0xFFFF)))
                            .map(v -> new Ip(6, v));
                }
                case '%' -> {
                    return Optional.empty();
                }
                default -> {}
            }
        }
        return Optional.empty();
    }

    /** netip.ParsePrefix, then Kubernetes' refusal of IPv4-mapped IPv6 addresses. */
    static Optional<Cidr> parseCidr(String s) {
        int slash = s.lastIndexOf('/');
        if (slash < 0) return Optional.empty();
        var address = parseIp(s.substring(0, slash));
        String bits = s.substring(slash + 1);
        // Go's ParsePrefix: decimal digits, no sign, no leading zero (except "0" itself).
        if (address.isEmpty() || !bits.matches("0|[1-9][0-9]{0,2}")) return Optional.empty();
        int length = Integer.parseInt(bits);
        if (length > address.get().bits()) return Optional.empty();
        return Optional.of(new Cidr(address.get(), length));
    }

    /** Four decimal fields 0..255 without leading zeros, as netip's parseIPv4. */
    private static Optional<BigInteger> parseIpv4(String s) {
        String[] fields = s.split("\\.", -1);
        if (fields.length != 4) return Optional.empty();
        long value = 0;
        for (String f : fields) {
            if (!f.matches("0|[1-9][0-9]{0,2}")) return Optional.empty();
            int octet = Integer.parseInt(f);
            if (octet > 255) return Optional.empty();
            value = (value << 8) | octet;
        }
        return Optional.of(BigInteger.valueOf(value));
    }

    /**
     * As netip's parseIPv6: fields of 1 to 4 hex digits separated by colons, at most one {@code ::} that stands for
     * at least one zero field, and a dotted IPv4 address in place of the last two fields.
     */
    private static Optional<BigInteger> parseIpv6(String s) {
        int[] words = new int[8];
        int n = 0;
        int ellipsis = -1;
        int at = 0;
        if (s.startsWith("::")) {
            ellipsis = 0;
            at = 2;
            if (at == s.length()) return Optional.of(BigInteger.ZERO);
        }
        while (n < 8) {
            int end = at;
            while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0 && isAsciiHex(s.charAt(end))) end++;
            if (end == at || end - at > 4) return Optional.empty();
            if (end < s.length() && s.charAt(end) == '.') {
                if ((ellipsis < 0 && n != 6) || n > 6) return Optional.empty();
                var v4 = parseIpv4(s.substring(at));
                if (v4.isEmpty()) return Optional.empty();
                int value = v4.get().intValue();
                words[n++] = value >>> 16;
                words[n++] = value & 0xFFFF;
                at = s.length();
                break;
            }
            words[n++] = Integer.parseInt(s.substring(at, end), 16);
            at = end;
            if (at == s.length()) break;
            if (s.charAt(at) != ':' || at + 1 == s.length()) return Optional.empty();
            at++;
            if (s.charAt(at) == ':') {
                if (ellipsis >= 0) return Optional.empty();
                ellipsis = n;
                at++;
                if (at == s.length()) break;
            }
        }
        if (at != s.length()) return Optional.empty();
        if (n < 8) {
            if (ellipsis < 0) return Optional.empty();
            int shift = 8 - n;
            for (int j = n - 1; j >= ellipsis; j--) words[j + shift] = words[j];
            for (int j = ellipsis; j < ellipsis + shift; j++) words[j] = 0;
        } else if (ellipsis >= 0) {
            return Optional.empty();
        }
        BigInteger value = BigInteger.ZERO;
        for (int w : words) value = value.shiftLeft(16).or(BigInteger.valueOf(w));
        return Optional.of(value);
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
