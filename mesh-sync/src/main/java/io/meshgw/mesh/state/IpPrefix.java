package io.meshgw.mesh.state;

import java.net.InetAddress;

/** An IPv4 or IPv6 prefix with its host bits zero, so equal prefixes are equal records. */
public record IpPrefix(InetAddress address, int length) {

    public IpPrefix {
        if (address == null) {
            throw new IllegalArgumentException("prefix has no address");
        }
        byte[] b = address.getAddress();
        int max = b.length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0.." + max);
        }
        for (int bit = length; bit < max; bit++) {
            if ((b[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException(address.getHostAddress() + "/" + length + " has host bits set");
            }
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
