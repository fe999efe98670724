package io.meshgw.gateway.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code meshgw.dns.listen}: {@code host:port[,host:port]}, with IPv6 hosts in brackets. */
final class ListenAddress {

    private ListenAddress() {}

    static List<InetSocketAddress> parseAll(String key, String value) {
        var out = new ArrayList<InetSocketAddress>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) out.add(parse(key, part.strip()));
        }
        if (out.isEmpty()) throw new IllegalArgumentException(key + " is empty; give host:port");
        return out;
    }

    static InetSocketAddress parse(String key, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(key + " '" + text + "' is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(key + " '" + text + "': write an IPv6 host in brackets, [::1]:53");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + text + "': the port is not a number");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(key + " '" + text + "': port " + port + " is not in 1..65535");
        }
        boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 =
                host.contains(":") && host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException(key + " '" + text + "': the host must be an IP address, not a name");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(key + " '" + text + "': '" + host + "' is not an IP address");
        }
    }
}
