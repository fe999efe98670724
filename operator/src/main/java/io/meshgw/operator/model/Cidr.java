package io.meshgw.operator.model;

import java.math.BigInteger;
import java.net.InetAddress;

/** A parsed network prefix with its host bits zero, e.g. 10.0.0.0/24. */
public record Cidr(InetAddress network, int length) {

    /** Parse result: either a Cidr or the reason the text is not one. */
    public sealed interface Parsed permits Ok, Invalid {}

    public record Ok(Cidr cidr) implements Parsed {}

    public record Invalid(String reason) implements Parsed {}

    public static Parsed parse(String text) {
        if (text == null) return new Invalid("is not a CIDR (address/length)");
        int slash = text.indexOf('/');
        if (slash < 0) return new Invalid("'" + text + "' is not a CIDR (address/length)");
        var address = IpAddresses.parse(text.substring(0, slash));
        if (address.isEmpty()) return new Invalid("'" + text + "' has an invalid address");
        int bits = IpAddresses.bits(address.get());
        String lengthText = text.substring(slash + 1);
        if (!lengthText.matches("\\d{1,3}") || Integer.parseInt(lengthText) > bits) {
            return new Invalid("'" + text + "' has an invalid prefix length (0.." + bits + ")");
        }
        int length = Integer.parseInt(lengthText);
        var cidr = new Cidr(address.get(), length);
        if (!cidr.range().first().equals(IpAddresses.toNumber(address.get()))) {
            return new Invalid("'" + text + "' has host bits set");
        }
        return new Ok(cidr);
    }

    public AddressRange range() {
        int bits = IpAddresses.bits(network);
        var hostMask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
        var first = IpAddresses.toNumber(network).andNot(hostMask);
        return new AddressRange(bits, first, first.or(hostMask));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + length;
    }
}
