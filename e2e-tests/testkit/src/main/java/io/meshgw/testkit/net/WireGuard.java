package io.meshgw.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * WireGuard devices for tests and benchmarks, as an operator sets them up: {@code wireguard-go} (this kernel has no
 * WireGuard device) configured with {@code wg}. A device's name is per host for wireguard-go (its UAPI socket is
 * {@code /var/run/wireguard/NAME.sock}), so callers give names unique to their process; the device and its
 * wireguard-go go with the namespace ({@link NetNs#close} ends the processes in it).
 */
public final class WireGuard {

    private WireGuard() {}

    /** Whether wireguard-go and wg are installed (scripts/setup.sh installs both). */
    public static boolean available() {
        return Command.run(List.of("sh", "-c", "command -v wireguard-go && command -v wg"))
                .ok();
    }

    /** A new private key, base64 as wg writes it. */
    public static String privateKey() {
        return Command.run(List.of("wg", "genkey")).check().stdout().strip();
    }

    /** The public key of {@code privateKey}. */
    public static String publicKey(String privateKey) {
        return Command.run(List.of("sh", "-c", "printf '%s' \"$1\" | wg pubkey", "sh", privateKey))
                .check()
                .stdout()
                .strip();
    }

    /**
     * A device {@code name} in {@code ns} listening on UDP 51820, with {@code address} (/32) as its address, one peer
     * (public key {@code peerKey}, reached at {@code peerUnderlay}:51820) allowed to send from {@code peerAddress}
     * only, and {@code peerAddress} routed into the device.
     */
    public static void device(
            NetNs ns,
            String name,
            String address,
            String privateKey,
            String peerKey,
            String peerUnderlay,
            String peerAddress) {
        ns.exec("wireguard-go", name).check();
        try {
            Path key = Files.createTempFile("mgw-wg", ".key");
            try {
                Files.writeString(key, privateKey);
                ns.exec(
                                "wg",
                                "set",
                                name,
                                "private-key",
                                key.toString(),
                                "listen-port",
                                "51820",
                                "peer",
                                peerKey,
                                "endpoint",
                                peerUnderlay + ":51820",
                                "allowed-ips",
                                peerAddress + "/32")
                        .check();
            } finally {
                Files.deleteIfExists(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand wg the private key of " + name, e);
        }
        ns.exec("ip", "addr", "add", address + "/32", "dev", name).check();
        ns.exec("ip", "link", "set", name, "up").check();
        ns.exec("ip", "route", "add", peerAddress + "/32", "dev", name).check();
    }

    /** Removes the UAPI socket wireguard-go leaves when it is killed rather than stopped. */
    public static void forget(String name) {
        try {
            Files.deleteIfExists(Path.of("/var/run/wireguard", name + ".sock"));
        } catch (IOException e) {
            // nothing to do: the socket is gone or cannot be, and a later device gets another name
        }
    }
}
