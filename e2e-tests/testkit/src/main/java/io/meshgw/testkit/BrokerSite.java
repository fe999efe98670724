package io.meshgw.testkit;

import io.meshgw.testkit.net.PartNamespace;
import java.util.function.Consumer;

/**
 * Where a lab wants its broker, for either kind of broker. A broker process on the host listens on
 * {@code hostAddress}, an address the host has on a link into the lab. A broker with a namespace
 * of its own (a container) is first wired by {@code plug} (links, routes) and then listens on
 * {@code ownAddress}, an address {@code plug} gave it.
 */
public record BrokerSite(String hostAddress, String ownAddress, Consumer<PartNamespace> plug) {}
