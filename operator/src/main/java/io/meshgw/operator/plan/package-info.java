/**
 * The plan: what one control-plane pass wants the gateway's engines to hold, as immutable, typed values. The
 * planner ({@code io.meshgw.operator.desired}) computes one per pass from the cluster's objects and the engines'
 * read side; each adapter of the gateway receives the whole plan and diffs it once against the thing it drives.
 *
 * <p>Addresses, prefixes, ports, protocols and cluster ids are the values of {@code io.meshgw.types}, parsed once
 * where text enters; nothing here is a string that another module parses again. These records are a stable
 * interface between the operator and the gateway: change them together.
 */
package io.meshgw.operator.plan;
