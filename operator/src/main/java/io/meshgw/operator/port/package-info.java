/**
 * Ports: what the operator needs from the gateway, as interfaces the gateway implements. Each target receives the
 * whole {@link io.meshgw.operator.plan.Plan} of a pass and diffs it once against the thing it drives; the read side
 * (sessions, learned routes, the other clusters' exports) enters a pass only as its input.
 *
 * <p>The records here are a stable interface between the operator and the gateway: change them together.
 */
package io.meshgw.operator.port;
