package io.meshgw.gateway.api.v1;

import java.util.List;

/**
 * What the gateway does with traffic to one address, stage by stage,
 * {@code GET /api/v1/explain?address=...}.
 *
 * @param address the address as asked
 * @param verdict the outcome in a few words, e.g. {@code translated}
 */
public record Explanation(String address, String verdict, List<ExplanationStep> steps) {}
