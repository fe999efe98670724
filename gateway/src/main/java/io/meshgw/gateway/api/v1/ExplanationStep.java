package io.meshgw.gateway.api.v1;

import java.util.Map;

/**
 * One stage of an {@link Explanation}.
 *
 * @param stage e.g. {@code bgp}, {@code export}, {@code backends}, {@code datapath}
 * @param details in the order the gateway gives them
 */
public record ExplanationStep(String stage, String summary, Map<String, String> details) {}
